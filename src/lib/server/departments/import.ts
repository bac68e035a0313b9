// The departments file of spec/exchange.md: every row is validated first; then either all rows
// are written in one transaction or none, and a second import of the same file changes nothing.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { isValidYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import {
	CODE_MAX,
	DEPARTMENT_CATEGORIES,
	isValidDepartmentCode,
	NAME_MAX,
	type DepartmentCategory
} from '$lib/schemas/departments';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import {
	department,
	departmentCategoryHistory,
	departmentExemption,
	type Department
} from '$lib/server/db/schema';
import type { Locale } from '$lib/paraglide/runtime';
import { sha256Hex } from '$lib/server/imports/csv';
import { importCsv, type ImportResult, type RowError } from '$lib/server/imports/file-import';
import { auditView, historyView, type CategoryRow } from './index';

export type { ImportResult, RowError };

export const DEPARTMENT_COLUMNS = [
	'code',
	'name_zh',
	'name_en',
	'category',
	'superior_authority',
	'exempt_years'
] as const;

// Any constant unique to this lock: two imports at once would race to create the same codes.
const IMPORT_LOCK_KEY = 7_410_2101;

interface Row {
	line: number;
	code: string;
	nameZh: string;
	nameEn: string;
	category: DepartmentCategory;
	superiorAuthority: string | null;
	exemptYears: number[];
}

/** Checks one record; returns the row or pushes its problems (every problem, not the first). */
function validate(
	line: number,
	values: Record<string, string>,
	locale: Locale,
	errors: RowError[]
): Row | null {
	const o = { locale };
	const before = errors.length;
	const bad = (column: string, message: string) => errors.push({ line, column, message });
	const text = (column: string, max: number) => {
		const v = (values[column] ?? '').trim();
		if (v === '') bad(column, m.departments_import_required({}, o));
		else if (v.length > max) bad(column, m.departments_import_too_long({ max }, o));
		return v;
	};

	const code = text('code', CODE_MAX);
	if (code && code.length <= CODE_MAX && !isValidDepartmentCode(code))
		bad('code', m.departments_import_code_format({ value: code }, o));
	const nameZh = text('name_zh', NAME_MAX);
	const nameEn = text('name_en', NAME_MAX);

	const rawCategory = (values.category ?? '').trim();
	const category = rawCategory.toLowerCase() as DepartmentCategory;
	if (rawCategory === '') bad('category', m.departments_import_required({}, o));
	else if (!DEPARTMENT_CATEGORIES.includes(category))
		bad('category', m.departments_import_bad_category({ value: rawCategory }, o));

	const superiorAuthority = (values.superior_authority ?? '').trim();
	if (superiorAuthority.length > NAME_MAX)
		bad('superior_authority', m.departments_import_too_long({ max: NAME_MAX }, o));
	else if (category === 'vertical' && !superiorAuthority)
		bad('superior_authority', m.departments_import_superior_required({}, o));
	else if (category === 'municipal' && superiorAuthority)
		bad('superior_authority', m.departments_import_superior_forbidden({}, o));

	const exemptYears = new Set<number>();
	// `;` as the spec says; full-width and comma separators too, as typed on a Chinese keyboard.
	for (const token of (values.exempt_years ?? '').split(/[;；,，\s]+/).filter(Boolean)) {
		const year = /^\d{4}$/.test(token) ? Number(token) : NaN;
		if (!isValidYear(year))
			bad(
				'exempt_years',
				m.departments_import_bad_year({ value: token, min: MIN_YEAR, max: MAX_YEAR }, o)
			);
		else exemptYears.add(year);
	}

	if (errors.length > before) return null;
	return {
		line,
		code,
		nameZh,
		nameEn,
		category,
		superiorAuthority: category === 'vertical' ? superiorAuthority : null,
		exemptYears: [...exemptYears].sort((a, b) => a - b)
	};
}

/**
 * Imports a departments file. Categories and exemptions apply from `opts.year` on: the category
 * row of that year is set when the category in force then differs; the exemptions of that year
 * and later become exactly the listed ones (listed earlier years are added too). Messages are in
 * `opts.locale`. Writes nothing unless every row is valid, and nothing when nothing differs.
 */
export async function importDepartments(
	db: Database,
	bytes: Uint8Array,
	opts: { year: number; locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	const { year, locale } = opts;
	if (!isValidYear(year)) {
		const message = m.departments_error_year({ min: MIN_YEAR, max: MAX_YEAR }, { locale });
		const errors = [{ line: 0, column: 'year', message }];
		return { ok: false, rows: 0, errors, sha256: sha256Hex(bytes) };
	}
	return importCsv(db, bytes, locale, actor, {
		columns: DEPARTMENT_COLUMNS,
		lockKey: IMPORT_LOCK_KEY,
		keyColumn: 'code',
		key: (values) => (values.code ?? '').trim(),
		duplicateMessage: (params, locale) => m.departments_import_duplicate_code(params, { locale }),
		validate,
		write: (tx, rows) => write(tx, rows, year),
		summary: { action: 'departments.import', entity: 'department', facts: { year } }
	});
}

type Changes = ReturnType<typeof audit.diff>;

/** Writes valid rows set-based; returns what it did. Nothing is written for unchanged rows. */
async function write(tx: Tx, rows: Row[], year: number) {
	const codes = rows.map((r) => r.code);
	const existing = codes.length
		? await tx.select().from(department).where(inArray(department.code, codes)).for('update')
		: [];
	const byCode = new Map(existing.map((d) => [d.code, d]));
	const ids = existing.map((d) => d.id);
	const [categoryRows, exemptionRows] = ids.length
		? await Promise.all([
				tx
					.select()
					.from(departmentCategoryHistory)
					.where(inArray(departmentCategoryHistory.departmentId, ids)),
				tx.select().from(departmentExemption).where(inArray(departmentExemption.departmentId, ids))
			])
		: [[], []];
	const categoriesOf = groupBy(categoryRows, (c) => c.departmentId);
	const exemptYearsOf = groupBy(exemptionRows, (e) => e.departmentId);

	const created: Row[] = [];
	const changed: {
		row: Row;
		before: Department;
		fieldsChanged: boolean;
		setCategory: boolean;
		addYears: number[];
		removeYears: number[];
		audit: Changes;
	}[] = [];
	let unchanged = 0;

	for (const row of rows) {
		const before = byCode.get(row.code);
		if (!before) {
			created.push(row);
			continue;
		}
		const categories: CategoryRow[] = (categoriesOf.get(before.id) ?? []).map((c) => ({
			fromYear: c.fromYear,
			category: c.category
		}));
		const inForce = categories
			.filter((c) => c.fromYear <= year)
			.sort((a, b) => b.fromYear - a.fromYear)[0]?.category;
		const setCategory = inForce !== row.category;
		const years = (exemptYearsOf.get(before.id) ?? []).map((e) => e.year);
		const listed = new Set(row.exemptYears);
		const addYears = row.exemptYears.filter((y) => !years.includes(y));
		const removeYears = years.filter((y) => y >= year && !listed.has(y));
		const after = {
			...before,
			nameZh: row.nameZh,
			nameEn: row.nameEn,
			superiorAuthority: row.superiorAuthority
		};
		const categoriesAfter = setCategory
			? [
					...categories.filter((c) => c.fromYear !== year),
					{ fromYear: year, category: row.category }
				]
			: categories;
		const yearsAfter = [...years.filter((y) => !removeYears.includes(y)), ...addYears];
		const changes = audit.diff(
			{ ...auditView(before), ...historyView(categories, years) },
			{ ...auditView(after), ...historyView(categoriesAfter, yearsAfter) }
		);
		if (Object.keys(changes).length === 0) {
			unchanged++;
			continue;
		}
		const fieldsChanged = Object.keys(audit.diff(auditView(before), auditView(after))).length > 0;
		changed.push({
			row,
			before,
			fieldsChanged,
			setCategory,
			addYears,
			removeYears,
			audit: changes
		});
	}

	// New departments, in one statement.
	const inserted = created.length
		? await tx
				.insert(department)
				.values(
					created.map((r) => ({
						code: r.code,
						nameZh: r.nameZh,
						nameEn: r.nameEn,
						superiorAuthority: r.superiorAuthority
					}))
				)
				.returning()
		: [];
	const idOf = new Map<string, number>([
		...existing.map((d) => [d.code, d.id] as const),
		...inserted.map((d) => [d.code, d.id] as const)
	]);

	// Changed names and superior authorities, in one statement.
	const fieldUpdates = changed.filter((c) => c.fieldsChanged);
	if (fieldUpdates.length) {
		const values = sql.join(
			fieldUpdates.map(
				(c) =>
					sql`(${c.before.id}::integer, ${c.row.nameZh}::text, ${c.row.nameEn}::text, ${c.row.superiorAuthority}::text)`
			),
			sql`, `
		);
		await tx.execute(sql`update department d
				set name_zh = v.name_zh, name_en = v.name_en, superior_authority = v.superior_authority,
					updated_at = now()
				from (values ${values}) as v(id, name_zh, name_en, superior_authority)
				where d.id = v.id`);
	}

	// Category rows of `year`: for new departments and where the category in force differs.
	const categoryUpserts = [
		...created.map((r) => ({ departmentId: idOf.get(r.code)!, category: r.category })),
		...changed
			.filter((c) => c.setCategory)
			.map((c) => ({ departmentId: c.before.id, category: c.row.category }))
	];
	if (categoryUpserts.length) {
		await tx
			.insert(departmentCategoryHistory)
			.values(categoryUpserts.map((c) => ({ ...c, fromYear: year })))
			.onConflictDoUpdate({
				target: [departmentCategoryHistory.departmentId, departmentCategoryHistory.fromYear],
				set: { category: sql`excluded.category`, createdAt: sql`now()` }
			});
	}

	// Exemptions: drop the unlisted ones of `year` and later, add the listed missing ones.
	const removals = changed.flatMap((c) =>
		c.removeYears.map((y) =>
			and(eq(departmentExemption.departmentId, c.before.id), eq(departmentExemption.year, y))
		)
	);
	if (removals.length) await tx.delete(departmentExemption).where(or(...removals));
	const additions = [
		...created.flatMap((r) =>
			r.exemptYears.map((y) => ({ departmentId: idOf.get(r.code)!, year: y }))
		),
		...changed.flatMap((c) => c.addYears.map((y) => ({ departmentId: c.before.id, year: y })))
	];
	if (additions.length)
		await tx.insert(departmentExemption).values(additions).onConflictDoNothing();

	// One audit entry per department created or changed (the import's summary follows them).
	const createdRow = new Map(created.map((r) => [r.code, r]));
	return {
		counts: { created: inserted.length, updated: changed.length, unchanged },
		entries: [
			...inserted.map((d) => ({
				action: 'department.create',
				entity: 'department',
				entityId: d.code,
				changes: audit.diff(null, {
					...auditView(d),
					...historyView(
						[{ fromYear: year, category: createdRow.get(d.code)!.category }],
						createdRow.get(d.code)!.exemptYears
					)
				})
			})),
			...changed.map((c) => ({
				action: 'department.update',
				entity: 'department',
				entityId: c.row.code,
				changes: c.audit
			}))
		]
	};
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
	const out = new Map<K, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = out.get(k);
		if (list) list.push(item);
		else out.set(k, [item]);
	}
	return out;
}
