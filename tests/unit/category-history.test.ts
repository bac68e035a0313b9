// The category history after a category is set from a year on: no two rows in a row say the
// same thing (issue 7, item 10: an import for an earlier year left a redundant row).
import { describe, expect, it } from 'vitest';
import { withCategoryFrom, type CategoryRow } from '$lib/domain/departments';

const M = 'municipal' as const;
const V = 'vertical' as const;
const rows = (...r: [number, typeof M | typeof V][]): CategoryRow[] =>
	r.map(([fromYear, category]) => ({ fromYear, category }));

describe('withCategoryFrom', () => {
	it.each([
		['a first row', rows(), 2025, M, rows([2025, M])],
		['a later change', rows([2020, M]), 2026, V, rows([2020, M], [2026, V])],
		['an earlier year, same as the next row', rows([2026, M]), 2024, M, rows([2024, M])],
		['an earlier year, another category', rows([2026, M]), 2024, V, rows([2024, V], [2026, M])],
		['back to what was before', rows([2020, M], [2026, V]), 2026, M, rows([2020, M])],
		[
			'between two rows, same as the later',
			rows([2020, V], [2026, M]),
			2023,
			M,
			rows([2020, V], [2023, M])
		],
		[
			'between two rows, same as the earlier',
			rows([2020, V], [2026, M]),
			2023,
			V,
			rows([2020, V], [2026, M])
		],
		['replacing a year, rows newest first', rows([2026, V], [2020, M]), 2020, V, rows([2020, V])],
		[
			'repeats already there collapse too',
			rows([2020, M], [2022, M], [2024, V]),
			2024,
			M,
			rows([2020, M])
		]
	])('%s', (_, history, year, category, expected) => {
		expect(withCategoryFrom(history, year, category)).toEqual(expected);
	});
});
