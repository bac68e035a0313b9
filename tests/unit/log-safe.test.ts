// An unexpected error's log line keeps what finds the fault (kind, message, query text, code,
// stack) and drops what could name a respondent: a failed query's parameters, PostgreSQL's
// `detail` with the failing row, an invitation's token in the path.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loggableError, loggablePath } from '$lib/server/log-safe';

const PHONE = '13812345678';

function failedQuery(): Error {
	const cause = Object.assign(new Error('new row violates check constraint "x"'), {
		code: '23514',
		detail: `Failing row contains (1, ${PHONE}, 永安企业).`,
		parameters: [PHONE, '永安企业'],
		args: [PHONE]
	});
	const e = new Error(
		`Failed query: insert into sample_unit (phone, name) values ($1, $2)\nparams: ${PHONE},永安企业`,
		{ cause }
	);
	return Object.assign(e, { params: [PHONE, '永安企业'] });
}

describe('loggableError', () => {
	it('shows the values where the plain logger would', () => {
		// What console.error(error) printed before: the reason for this module.
		expect(inspect(failedQuery())).toContain(PHONE);
	});

	it('keeps the query text, the code and the stack, without any value', () => {
		const text = loggableError(failedQuery());
		expect(text).toContain('insert into sample_unit (phone, name) values ($1, $2)');
		expect(text).toContain('params: [withheld]');
		expect(text).toContain('[23514]');
		expect(text).toMatch(/\n\s+at /);
		expect(text).not.toContain(PHONE);
		expect(text).not.toContain('永安企业');
	});

	it('describes what is not an Error by its type only', () => {
		expect(loggableError({ phone: PHONE })).toBe('object');
	});
});

describe('loggablePath', () => {
	it('hides an invitation token and leaves other paths as they are', () => {
		expect(loggablePath('/i/abc.DEF-123')).toBe('/i/[token]');
		expect(loggablePath('/campaigns/x/sample')).toBe('/campaigns/x/sample');
	});
});
