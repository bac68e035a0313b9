// The handbook of approval items (《行政事业单位审批(服务)事项汇编》, issue 9 §7, docs/handbook.md):
// one edition per year, imported from a file that replaces the year's items as a whole (all or
// nothing, audited once per import); the catalogue read by department, kind and words; the reform
// statistics between two editions, counted in one statement; and the check of service cases
// against the catalogue (a case promising other days than its item's), as SQL for the cases list.
import { and, asc, count, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
	INSTANT_PROMISE,
	isInstant,
	reformChange,
	type HandbookItemKind,
	type ReformChange
} from '$lib/domain/handbook';
import { isValidYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import {
	HANDBOOK_COLUMNS,
	HANDBOOK_EXAMPLE,
	HANDBOOK_HEADER_LABELS,
	handbookRowSchema,
	type HandbookRow
} from '$lib/schemas/handbook';
import type * as audit from '$lib/server/audit';
import { localDateSql } from '$lib/server/calendar/working-days-sql';
import { rows as rowsOf, type Executor, type Tx } from '$lib/server/db';
import { department, handbookEdition, handbookItem } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import { sha256Hex } from '$lib/server/imports/csv';
import {
	chunked,
	recordsImporter,
	REFERENCE_FILE_MAX_BYTES,
	type ImportResult,
	type Written
} from '$lib/server/imports/records';

export { HANDBOOK_COLUMNS, HANDBOOK_EXAMPLE, HANDBOOK_HEADER_LABELS, isInstant };
export type { ImportResult };
export const HANDBOOK_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

// --- The instant rule in SQL ------------------------------------------------------------------

/** `isInstant` in SQL: a promise of 0 working days (tested against it). */
export function instantSql(promisedWorkingDays: SQLWrapper): SQL {
	return sql`(${promisedWorkingDays} = ${INSTANT_PROMISE})`;
}

// --- Import -----------------------------------------------------------------------------------

export interface HandbookImportOptions {
	/** The edition the file is: its items replace that year's. */
	year: number;
	locale: Locale;
}

/** Thrown inside the import's transaction (rolling it back) when the file lists no item. */
class NoItems extends Error {}

/** What is compared to tell a changed item from an unchanged one. */
type ItemValues = Omit<typeof handbookItem.$inferInsert, 'id' | 'editionId'>;

const sameItem = (a: ItemValues, b: ItemValues) =>
	a.departmentId === b.departmentId &&
	a.name === b.name &&
	a.kind === b.kind &&
	a.promisedWorkingDays === b.promisedWorkingDays &&
	(a.statutoryWorkingDays ?? null) === (b.statutoryWorkingDays ?? null) &&
	(a.basis ?? '') === (b.basis ?? '') &&
	a.position === b.position &&
	JSON.stringify(a.prerequisites ?? []) === JSON.stringify(b.prerequisites ?? []);

/**
 * Replaces the year's items with the file's, in the file's order: counts the items new to the
 * edition, those changed and those no longer listed, and writes nothing when none is.
 */
async function replaceEdition(
	tx: Tx,
	rows: HandbookRow[],
	year: number,
	departmentIds: ReadonlyMap<string, number>,
	actor: audit.Actor
): Promise<Written> {
	if (rows.length === 0) throw new NoItems();
	await tx
		.insert(handbookEdition)
		.values({ year, createdBy: actor.kind === 'user' ? actor.id : null })
		.onConflictDoNothing({ target: handbookEdition.year });
	const [edition] = await tx
		.select({ id: handbookEdition.id })
		.from(handbookEdition)
		.where(eq(handbookEdition.year, year))
		.for('update');
	const editionId = edition!.id;
	const stored = await tx
		.select({
			itemCode: handbookItem.itemCode,
			departmentId: handbookItem.departmentId,
			name: handbookItem.name,
			kind: handbookItem.kind,
			promisedWorkingDays: handbookItem.promisedWorkingDays,
			statutoryWorkingDays: handbookItem.statutoryWorkingDays,
			prerequisites: handbookItem.prerequisites,
			basis: handbookItem.basis,
			position: handbookItem.position
		})
		.from(handbookItem)
		.where(eq(handbookItem.editionId, editionId));
	const before = new Map(stored.map((s) => [s.itemCode, s]));
	const items: ItemValues[] = rows.map((r, i) => ({
		itemCode: r.itemCode,
		departmentId: departmentIds.get(r.departmentCode)!,
		name: r.name,
		kind: r.kind,
		promisedWorkingDays: r.promisedWorkingDays,
		statutoryWorkingDays: r.statutoryWorkingDays,
		prerequisites: r.prerequisites,
		basis: r.basis,
		position: i + 1
	}));
	let created = 0;
	let updated = 0;
	for (const item of items) {
		const old = before.get(item.itemCode);
		if (!old) created++;
		else if (!sameItem(old, item)) updated++;
	}
	const listed = new Set(items.map((i) => i.itemCode));
	const removed = stored.filter((s) => !listed.has(s.itemCode)).length;
	if (created + updated + removed === 0) return { created, updated, removed, entries: [] };

	await tx.delete(handbookItem).where(eq(handbookItem.editionId, editionId));
	for (const part of chunked(items))
		await tx.insert(handbookItem).values(part.map((item) => ({ ...item, editionId })));
	await tx
		.update(handbookEdition)
		.set({ updatedAt: sql`now()` })
		.where(eq(handbookEdition.id, editionId));
	return { created, updated, removed, entries: [] };
}

export const handbookImport = recordsImporter<HandbookRow, HandbookImportOptions>({
	columns: HANDBOOK_COLUMNS,
	headerLabels: HANDBOOK_HEADER_LABELS,
	example: HANDBOOK_EXAMPLE,
	schema: handbookRowSchema,
	keyColumn: 'item_code',
	key: (r) => r.itemCode,
	departmentCode: (r) => r.departmentCode,
	maxBytes: HANDBOOK_MAX_BYTES,
	// Any constant unique to this lock: two imports of one year must not interleave.
	lockKey: 7_410_7701,
	write: (tx, rows, { opts, departmentIds, actor }) =>
		replaceEdition(tx, rows, opts.year, departmentIds, actor),
	audit: { action: 'handbook.import', entity: 'handbook_edition', facts: (o) => ({ year: o.year }) }
});

/**
 * Imports the edition of `opts.year` from a file (CSV in UTF-8 or GBK, or XLSX): every row valid
 * and every department known, or nothing is written; then the year's items are exactly the
 * file's, in its order (`removed`: the items it no longer lists). A file without items is refused.
 */
export async function importFile(
	db: Executor,
	bytes: Uint8Array,
	opts: HandbookImportOptions,
	actor: audit.Actor
): Promise<ImportResult & { removed?: number }> {
	const refused = (column: string, message: string) => ({
		ok: false as const,
		rows: 0,
		errors: [{ line: 0, column, message }],
		moreErrors: 0,
		sha256: sha256Hex(bytes)
	});
	if (!isValidYear(opts.year)) return refused('year', messageOf('year', {}, opts.locale));
	try {
		return await handbookImport.importFile(db, bytes, opts, actor);
	} catch (e) {
		if (e instanceof NoItems) return refused('', messageOf('handbook_no_items', {}, opts.locale));
		throw e;
	}
}

// --- Reading ----------------------------------------------------------------------------------

export interface EditionSummary {
	year: number;
	items: number;
	instant: number;
	departments: number;
	updatedAt: Date;
}

/** Every edition, newest year first, with its counts. */
export async function editions(db: Executor): Promise<EditionSummary[]> {
	return db
		.select({
			year: handbookEdition.year,
			items: sql<number>`count(${handbookItem.id})::int`,
			instant: sql<number>`(count(*) filter (where ${instantSql(handbookItem.promisedWorkingDays)}))::int`,
			departments: sql<number>`count(distinct ${handbookItem.departmentId})::int`,
			updatedAt: handbookEdition.updatedAt
		})
		.from(handbookEdition)
		.leftJoin(handbookItem, eq(handbookItem.editionId, handbookEdition.id))
		.groupBy(handbookEdition.id)
		.orderBy(sql`${handbookEdition.year} desc`);
}

/** One year's edition with its counts, or null when there is none. */
export async function edition(db: Executor, year: number): Promise<EditionSummary | null> {
	return (await editions(db)).find((e) => e.year === year) ?? null;
}

export interface ItemFilter {
	departmentCode?: string;
	kind?: HandbookItemKind;
	instantOnly?: boolean;
	/** Part of the item's code or name. */
	q?: string;
}

export interface ItemRow {
	id: number;
	itemCode: string;
	name: string;
	kind: HandbookItemKind;
	promisedWorkingDays: number;
	statutoryWorkingDays: number | null;
	instant: boolean;
	prerequisites: string[];
	basis: string;
	departmentCode: string;
	departmentNameZh: string;
	departmentNameEn: string;
}

const itemColumns = {
	id: handbookItem.id,
	itemCode: handbookItem.itemCode,
	name: handbookItem.name,
	kind: handbookItem.kind,
	promisedWorkingDays: handbookItem.promisedWorkingDays,
	statutoryWorkingDays: handbookItem.statutoryWorkingDays,
	instant: instantSql(handbookItem.promisedWorkingDays).mapWith(Boolean),
	prerequisites: handbookItem.prerequisites,
	basis: handbookItem.basis,
	departmentCode: department.code,
	departmentNameZh: department.nameZh,
	departmentNameEn: department.nameEn
};

/** The year's edition id as a subquery (no edition: no rows). */
const editionOf = (year: number) =>
	sql`(select ${handbookEdition.id} from ${handbookEdition} where ${handbookEdition.year} = ${year})`;

/**
 * The handbook's order: departments as the file first lists them, each department's items in
 * the file's order.
 */
const HANDBOOK_ORDER = [
	sql`min(${handbookItem.position}) over (partition by ${handbookItem.departmentId})`,
	asc(handbookItem.position)
];

function itemsWhere(year: number, filter: ItemFilter): SQL | undefined {
	return and(
		eq(handbookItem.editionId, editionOf(year)),
		filter.departmentCode ? eq(department.code, filter.departmentCode) : undefined,
		filter.kind ? eq(handbookItem.kind, filter.kind) : undefined,
		filter.instantOnly ? instantSql(handbookItem.promisedWorkingDays) : undefined,
		containsAny(filter.q, [handbookItem.itemCode, handbookItem.name])
	);
}

/** One page of the year's items in the handbook's order, and how many match. */
export async function items(
	db: Executor,
	year: number,
	filter: ItemFilter,
	page: number,
	pageSize: number
): Promise<{ rows: ItemRow[]; total: number }> {
	const where = itemsWhere(year, filter);
	const [list, [total]] = await Promise.all([
		db
			.select(itemColumns)
			.from(handbookItem)
			.innerJoin(department, eq(department.id, handbookItem.departmentId))
			.where(where)
			.orderBy(...HANDBOOK_ORDER)
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db
			.select({ n: count() })
			.from(handbookItem)
			.innerJoin(department, eq(department.id, handbookItem.departmentId))
			.where(where)
	]);
	return { rows: list, total: total?.n ?? 0 };
}

export interface DepartmentSection {
	code: string;
	nameZh: string;
	nameEn: string;
	items: ItemRow[];
}

/** The whole edition as the printed handbook has it: a section per department, in order. */
export async function sections(db: Executor, year: number): Promise<DepartmentSection[]> {
	const list = await db
		.select(itemColumns)
		.from(handbookItem)
		.innerJoin(department, eq(department.id, handbookItem.departmentId))
		.where(itemsWhere(year, {}))
		.orderBy(...HANDBOOK_ORDER);
	const out: DepartmentSection[] = [];
	for (const item of list) {
		let last = out.at(-1);
		if (last?.code !== item.departmentCode) {
			last = {
				code: item.departmentCode,
				nameZh: item.departmentNameZh,
				nameEn: item.departmentNameEn,
				items: []
			};
			out.push(last);
		}
		last.items.push(item);
	}
	return out;
}

/** The departments with items in the year's edition, for the catalogue's filter. */
export async function departmentsOf(
	db: Executor,
	year: number
): Promise<{ code: string; nameZh: string; nameEn: string; items: number }[]> {
	return db
		.select({
			code: department.code,
			nameZh: department.nameZh,
			nameEn: department.nameEn,
			items: sql<number>`count(*)::int`
		})
		.from(handbookItem)
		.innerJoin(department, eq(department.id, handbookItem.departmentId))
		.where(eq(handbookItem.editionId, editionOf(year)))
		.groupBy(department.id)
		.orderBy(sql`min(${handbookItem.position})`);
}

// --- Reform statistics ------------------------------------------------------------------------

/** The four figures the reform report compares, in two editions. */
export interface ReformFigures {
	items: ReformChange;
	prerequisites: ReformChange;
	/** The sum of the items' promised working days. */
	promisedDays: ReformChange;
	instant: ReformChange;
}

export const REFORM_FIGURES = ['items', 'prerequisites', 'promisedDays', 'instant'] as const;

export interface ReformStatistics {
	from: number;
	to: number;
	total: ReformFigures;
	/** Departments with items in either edition, in the later edition's order (then the earlier's). */
	departments: (ReformFigures & { code: string; nameZh: string; nameEn: string })[];
}

interface ReformRow {
	is_total: boolean;
	code: string | null;
	name_zh: string | null;
	name_en: string | null;
	items_from: number;
	items_to: number;
	prerequisites_from: number;
	prerequisites_to: number;
	days_from: number;
	days_to: number;
	instant_from: number;
	instant_to: number;
}

const DAYS = sql.raw('i.promised_working_days');

/** Each figure as an aggregate over the items that pass `inYear`. */
const FIGURE_SQL: [string, (inYear: SQL) => SQL][] = [
	['items', (y) => sql`count(*) filter (where ${y})`],
	['prerequisites', (y) => sql`coalesce(sum(cardinality(i.prerequisites)) filter (where ${y}), 0)`],
	['days', (y) => sql`coalesce(sum(${DAYS}) filter (where ${y}), 0)`],
	['instant', (y) => sql`count(*) filter (where ${y} and ${instantSql(DAYS)})`]
];

/**
 * Every figure of both editions, per department and in total, in one statement: the items of
 * the two years grouped by department with a grand total (ROLLUP), each figure counted for
 * either year with FILTER.
 */
function reformQuery(from: number, to: number): SQL {
	const sides = [
		['from', sql`e.year = ${from}`],
		['to', sql`e.year = ${to}`]
	] as const;
	const columns = FIGURE_SQL.flatMap(([name, aggregate]) =>
		sides.map(
			([side, inYear]) => sql`${aggregate(inYear)}::int as ${sql.identifier(`${name}_${side}`)}`
		)
	);
	return sql`
		with f as (
			select i.department_id, grouping(i.department_id) = 1 as is_total,
				${sql.join(columns, sql`, `)},
				min(i.position) filter (where e.year = ${to}) as pos_to,
				min(i.position) filter (where e.year = ${from}) as pos_from
			from handbook_item i
			join handbook_edition e on e.id = i.edition_id
			where e.year in (${from}, ${to})
			group by rollup (i.department_id)
		)
		select f.*, d.code, d.name_zh, d.name_en
		from f left join department d on d.id = f.department_id
		order by f.is_total desc, f.pos_to nulls last, f.pos_from, d.code`;
}

function figuresOf(r: ReformRow): ReformFigures {
	return {
		items: reformChange(r.items_from, r.items_to),
		prerequisites: reformChange(r.prerequisites_from, r.prerequisites_to),
		promisedDays: reformChange(r.days_from, r.days_to),
		instant: reformChange(r.instant_from, r.instant_to)
	};
}

/**
 * The reform statistics between the editions of `from` and `to`: items, prerequisites, total
 * promised working days and instant items, in total and per department. An edition that does
 * not exist counts as empty (the page says which exist).
 */
export async function reform(db: Executor, from: number, to: number): Promise<ReformStatistics> {
	const found = await rowsOf<ReformRow>(db, reformQuery(from, to));
	// The grand total's row is there even without items (ROLLUP's empty grouping set).
	const total = found.find((r) => r.is_total)!;
	return {
		from,
		to,
		total: figuresOf(total),
		departments: found
			.filter((r) => !r.is_total)
			.map((r) => ({ ...figuresOf(r), code: r.code!, nameZh: r.name_zh!, nameEn: r.name_en! }))
	};
}

// --- Service cases against the catalogue -------------------------------------------------------

/** The columns of a service case the check reads. */
export interface CaseColumns {
	itemCode: SQLWrapper;
	acceptedAt: SQLWrapper;
}

/**
 * The promised working days of a case's item in the handbook: the item with the case's
 * `item_code` in the edition of the year the case was accepted in (Beijing time); null when that
 * edition does not list it (or there is none).
 */
export function catalogueDaysSql(c: CaseColumns): SQL<number | null> {
	return sql<number | null>`(select hi.promised_working_days
		from handbook_item hi join handbook_edition he on he.id = hi.edition_id
		where he.year = extract(year from ${localDateSql(c.acceptedAt)})::int
			and hi.item_code = ${c.itemCode})`;
}

/** Whether a case promises other working days than its item in the handbook (false when unlisted). */
export function promiseDiffersSql(c: CaseColumns & { promisedWorkingDays: SQLWrapper }): SQL {
	return sql`coalesce(${catalogueDaysSql(c)} <> ${c.promisedWorkingDays}, false)`;
}
