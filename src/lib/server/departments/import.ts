// The departments file of spec/exchange.md, a spec of the one record importer: every row is
// validated first (`departmentRowSchema`); then either all rows are written in one transaction or
// none, and a second import of the same file changes nothing. Categories and exemptions apply
// from the import's year on, which is why this file has its own writer.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { withCategoryFrom } from '$lib/domain/departments';
import { isValidYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import {
	DEPARTMENT_COLUMNS,
	DEPARTMENT_EXAMPLE,
	DEPARTMENT_HEADER_LABELS,
	departmentRowSchema,
	type DepartmentRow
} from '$lib/schemas/departments';
import * as audit from '$lib/server/audit';
import type { Executor, Tx } from '$lib/server/db';
import {
	department,
	departmentCategoryHistory,
	departmentExemption,
	type Department
} from '$lib/server/db/schema';
import { sha256Hex } from '$lib/server/imports/csv';
import {
	chunked,
	recordsImporter,
	REFERENCE_FILE_MAX_BYTES,
	type ImportResult,
	type RowError,
	type Written
} from '$lib/server/imports/records';
import { auditView, historyView, type CategoryRow } from './index';
import { invalidateDepartments } from '$lib/server/surveys/reference-cache';

export type { ImportResult, RowError };
export { DEPARTMENT_COLUMNS, DEPARTMENT_EXAMPLE, DEPARTMENT_HEADER_LABELS };
export const DEPARTMENT_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

/** Options of a departments import: the year categories and exemptions apply from. */
export interface DepartmentImportOptions {
	year: number;
	locale: Locale;
}

type Row = DepartmentRow;

export const departmentsImport = recordsImporter<Row, DepartmentImportOptions>({
	columns: DEPARTMENT_COLUMNS,
	headerLabels: DEPARTMENT_HEADER_LABELS,
	example: DEPARTMENT_EXAMPLE,
	schema: departmentRowSchema,
	keyColumn: 'code',
	key: (r) => r.code,
	maxBytes: DEPARTMENT_MAX_BYTES,
	// Any constant unique to this lock: two imports at once would race to create the same codes.
	lockKey: 7_410_2101,
	write: async (tx, rows, { opts }) => {
		await invalidateDepartments(tx);
		return write(tx, rows, opts.year);
	},
	audit: {
		action: 'departments.import',
		entity: 'department',
		facts: (opts) => ({ year: opts.year })
	}
});

/**
 * Imports a departments file. Categories and exemptions apply from `opts.year` on: the category
 * row of that year is set when the category in force then differs; the exemptions of that year
 * and later become exactly the listed ones (listed earlier years are added too). Messages are in
 * `opts.locale`. Writes nothing unless every row is valid, and nothing when nothing differs.
 */
export async function importDepartments(
	db: Executor,
	bytes: Uint8Array,
	opts: DepartmentImportOptions,
	actor: audit.Actor
): Promise<ImportResult> {
	if (!isValidYear(opts.year)) {
		const errors = [{ line: 0, column: 'year', message: messageOf('year', {}, opts.locale) }];
		return { ok: false, rows: 0, errors, moreErrors: 0, sha256: sha256Hex(bytes) };
	}
	return departmentsImport.importFile(db, bytes, opts, actor);
}

type Changes = ReturnType<typeof audit.diff>;

/** Writes valid rows set-based, a chunk at a time; nothing is written for unchanged rows. */
async function write(tx: Tx, rows: Row[], year: number): Promise<Written> {
	const out: Written = { created: 0, updated: 0, entries: [] };
	for (const part of chunked(rows)) {
		const w = await writeChunk(tx, part, year);
		out.created += w.created;
		out.updated += w.updated;
		out.entries.push(...w.entries);
	}
	return out;
}

async function writeChunk(tx: Tx, rows: Row[], year: number): Promise<Written> {
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
		/** Later category rows the new one makes redundant (withCategoryFrom). */
		dropYears: number[];
		addYears: number[];
		removeYears: number[];
		audit: Changes;
	}[] = [];

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
		// A row naming an example department makes it a real one (it is no longer removable).
		const after = {
			...before,
			nameZh: row.nameZh,
			nameEn: row.nameEn,
			superiorAuthority: row.superiorAuthority,
			example: false
		};
		const categoriesAfter = setCategory
			? withCategoryFrom(categories, year, row.category)
			: categories;
		const kept = (y: number) => categoriesAfter.some((c) => c.fromYear === y);
		const dropYears = categories.map((c) => c.fromYear).filter((y) => !kept(y));
		const yearsAfter = [...years.filter((y) => !removeYears.includes(y)), ...addYears];
		const changes = audit.diff(
			{ ...auditView(before), ...historyView(categories, years) },
			{ ...auditView(after), ...historyView(categoriesAfter, yearsAfter) }
		);
		if (Object.keys(changes).length === 0) continue;
		const fieldsChanged = Object.keys(audit.diff(auditView(before), auditView(after))).length > 0;
		changed.push({
			row,
			before,
			fieldsChanged,
			setCategory,
			dropYears,
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
					example = false, updated_at = now()
				from (values ${values}) as v(id, name_zh, name_en, superior_authority)
				where d.id = v.id`);
	}

	// Category rows of `year`: for new departments and where the category in force differs.
	const categoryUpserts = [
		...created.map((r) => ({ departmentId: idOf.get(r.code)!, category: r.category })),
		...changed
			.filter((c) => c.setCategory && !c.dropYears.includes(year))
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

	const redundant = changed.flatMap((c) =>
		c.dropYears.map((y) =>
			and(
				eq(departmentCategoryHistory.departmentId, c.before.id),
				eq(departmentCategoryHistory.fromYear, y)
			)
		)
	);
	if (redundant.length) await tx.delete(departmentCategoryHistory).where(or(...redundant));

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
		created: inserted.length,
		updated: changed.length,
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
