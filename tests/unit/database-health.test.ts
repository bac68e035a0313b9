// The judgement of whether PostgreSQL answers (src/lib/server/db/health.ts): which errors say it
// cannot be reached, one probe at a time, down on a failed or late probe, probed again while down
// until it answers, and `whenDown` for the requests still waiting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatabaseHealth, isUnavailableError } from '$lib/server/db/health';

const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('errors that say the database cannot be reached', () => {
	it.each([
		'ECONNREFUSED',
		'ECONNRESET',
		'ETIMEDOUT',
		'CONNECT_TIMEOUT',
		'CONNECTION_CLOSED',
		'CONNECTION_ENDED',
		'57P01',
		'57P03',
		'08006',
		'08001'
	])('%s', (code) => expect(isUnavailableError(coded(code))).toBe(true));

	it.each(['23505', '40001', '57014', '42P01', 'P0001', 'ENOENT'])('not %s', (code) =>
		expect(isUnavailableError(coded(code))).toBe(false)
	);

	it('looks inside a wrapping error and an aggregate', () => {
		expect(isUnavailableError(new Error('query failed', { cause: coded('ECONNREFUSED') }))).toBe(
			true
		);
		expect(isUnavailableError(new AggregateError([coded('ECONNREFUSED')]))).toBe(true);
		expect(isUnavailableError(new Error('query failed', { cause: coded('23505') }))).toBe(false);
		expect(isUnavailableError('ECONNREFUSED')).toBe(false);
		expect(isUnavailableError(null)).toBe(false);
	});
});

describe('the health of the database', () => {
	afterEach(() => vi.useRealTimers());

	it('goes down on a failed probe, is probed again while down, and comes back up', async () => {
		vi.useFakeTimers();
		let answers = false;
		const probe = vi.fn(async () => {
			if (!answers) throw coded('ECONNREFUSED');
		});
		const health = new DatabaseHealth(probe, { probeTimeoutMs: 100, downProbeIntervalMs: 50 });
		const down = health.whenDown();
		let wentDown = false;
		void down.then(() => (wentDown = true));
		expect(health.up).toBe(true);
		expect(await health.check()).toBe(false);
		await Promise.resolve();
		expect(wentDown).toBe(true);
		expect(health.up).toBe(false);
		expect(health.down).toMatchObject({ error: 'ECONNREFUSED' });
		await vi.advanceTimersByTimeAsync(160);
		expect(probe.mock.calls.length).toBeGreaterThanOrEqual(4);
		answers = true;
		await vi.advanceTimersByTimeAsync(60);
		expect(health.up).toBe(true);
		expect(health.down).toBeNull();
		// Probing stops once up; a new wait is armed.
		const calls = probe.mock.calls.length;
		await vi.advanceTimersByTimeAsync(500);
		expect(probe.mock.calls.length).toBe(calls);
		let again = false;
		void health.whenDown().then(() => (again = true));
		await Promise.resolve();
		expect(again).toBe(false);
		health.stop();
	});

	it('counts a probe that does not answer in time as down', async () => {
		vi.useFakeTimers();
		const health = new DatabaseHealth(() => new Promise<void>(() => {}), {
			probeTimeoutMs: 100,
			downProbeIntervalMs: 1_000
		});
		const checked = health.check();
		await vi.advanceTimersByTimeAsync(100);
		expect(await checked).toBe(false);
		expect(health.up).toBe(false);
		expect(health.down?.error).toContain('100 ms');
		health.stop();
	});

	it('runs one probe at a time, and probes on a connection error only', async () => {
		let release!: () => void;
		const probe = vi.fn(() => new Promise<void>((ok) => (release = ok)));
		const health = new DatabaseHealth(probe, { probeTimeoutMs: 1_000 });
		const a = health.check();
		const b = health.check();
		health.report(coded('ECONNRESET'));
		health.report(coded('23505'));
		expect(probe).toHaveBeenCalledTimes(1);
		release();
		expect(await a).toBe(true);
		expect(await b).toBe(true);
		health.report(coded('23505'));
		expect(probe).toHaveBeenCalledTimes(1);
		health.report(coded('CONNECTION_CLOSED'));
		expect(probe).toHaveBeenCalledTimes(2);
		release();
		health.stop();
	});
});
