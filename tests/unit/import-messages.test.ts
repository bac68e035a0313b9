// The import pages' messages with a number read right in English ("1 problem", "2 problems").
import { expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';

const en = { locale: 'en' } as const;

it.each([
	[
		m.imports_failed({ count: 1, file: 'a.csv' }, en),
		'The file a.csv has 1 problem; nothing was imported. Correct it and import again.'
	],
	[
		m.imports_failed({ count: 2, file: 'a.csv' }, en),
		'The file a.csv has 2 problems; nothing was imported. Correct them and import again.'
	],
	[m.imports_more_errors({ count: 1 }, en), '… and 1 more problem not listed.'],
	[m.imports_more_errors({ count: 12345 }, en), '… and 12345 more problems not listed.'],
	[m.imports_rows_read({ rows: 1 }, en), 'Importing: 1 row read…'],
	[m.imports_rows_read({ rows: 10000 }, en), 'Importing: 10000 rows read…']
])('%s', (text, expected) => {
	expect(text).toBe(expected);
});
