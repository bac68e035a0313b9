// The structured log (src/lib/server/log.ts): one JSON object per line, personal numbers masked
// wherever they are, errors without a failed query's values, request ids taken from a proxy only
// when they look like one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, logError, requestIdOf } from '$lib/server/log';

afterEach(() => vi.restoreAllMocks());

function captured(level: 'log' | 'error') {
	const lines: string[] = [];
	vi.spyOn(console, level).mockImplementation((line: string) => void lines.push(line));
	return lines;
}

describe('log', () => {
	it('writes one JSON line with time, level and message first, info on stdout', () => {
		const lines = captured('log');
		log('info', 'request', { requestId: 'r-12345678', status: 200 });
		expect(lines).toHaveLength(1);
		const entry = JSON.parse(lines[0]!);
		expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'msg']);
		expect(entry).toMatchObject({
			level: 'info',
			msg: 'request',
			requestId: 'r-12345678',
			status: 200
		});
		expect(new Date(entry.time).getTime()).not.toBeNaN();
	});

	it('masks phone and ID numbers in the message and in any field, however deep', () => {
		const lines = captured('error');
		log('warn', '回电 13812345678', { note: { said: ['身份证 350102199001011234'] } });
		expect(lines[0]).not.toContain('13812345678');
		expect(lines[0]).not.toContain('350102199001011234');
		const entry = JSON.parse(lines[0]!);
		expect(entry.msg).toBe('回电 138****5678');
		expect(entry.note.said[0]).toBe('身份证 3501************34');
	});

	it('logs an error without the failed query’s parameters', () => {
		const lines = captured('error');
		const e = Object.assign(new Error('insert failed\nparams: 13812345678,张三'), {
			code: '23505'
		});
		logError('unexpected error', e, { requestId: 'abcdefgh' });
		const entry = JSON.parse(lines[0]!);
		expect(entry.level).toBe('error');
		expect(entry.error).toContain('insert failed');
		expect(entry.error).toContain('[23505]');
		expect(lines[0]).not.toContain('张三');
		expect(lines[0]).not.toContain('13812345678');
	});
});

describe('requestIdOf', () => {
	const req = (id?: string) =>
		new Request('http://x/', { headers: id === undefined ? {} : { 'x-request-id': id } });

	it('takes a proxy’s plausible id, and makes one otherwise', () => {
		expect(requestIdOf(req('0f8e2c1d9b7a6e5f4d3c2b1a0f9e8d7c'))).toBe(
			'0f8e2c1d9b7a6e5f4d3c2b1a0f9e8d7c'
		);
		for (const bad of [
			undefined,
			'',
			'short',
			'a'.repeat(65),
			'has space 123',
			'<script>x</script>'
		])
			expect(requestIdOf(req(bad))).toMatch(/^[0-9a-f-]{36}$/);
	});
});
