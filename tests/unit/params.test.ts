// Route matchers: `[id=id]` takes a record id as the database holds it, nothing else;
// `[format=format]` one of the results export's formats.
import { describe, expect, it } from 'vitest';
import { match as format } from '../../src/params/format';
import { match as id, MAX_ID } from '../../src/params/id';

describe('[id=id]', () => {
	it.each(['1', '7', '42', '1000000', String(MAX_ID)])('takes %s', (param) => {
		expect(id(param)).toBe(true);
	});

	it.each([
		['zero', '0'],
		['a leading zero', '007'],
		['a sign', '+1'],
		['a negative', '-1'],
		['a fraction', '1.5'],
		['an exponent', '1e3'],
		['hex', '0x10'],
		['spaces', ' 1'],
		['beyond the serial range', String(MAX_ID + 1)],
		['eleven digits', '12345678901'],
		['a word', 'abc'],
		['full-width digits', '１２'],
		['nothing', '']
	])('refuses %s', (_, param) => {
		expect(id(param)).toBe(false);
	});
});

describe('[format=format]', () => {
	it.each(['csv', 'json', 'xlsx'])('takes %s', (param) => expect(format(param)).toBe(true));
	it.each(['pdf', 'CSV', 'csv ', 'xls', ''])('refuses %j', (param) =>
		expect(format(param)).toBe(false)
	);
});
