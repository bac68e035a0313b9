// Departments: the units that are evaluated and ranked, with their category per year (municipal /
// vertical, kept as history), superior authority and exemptions. Every change is audited.
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
	superiorAuthorityProblem,
	withCategoryFrom,
	type CategoryRow
} from '$lib/domain/departments';
import { currentYear } from '$lib/domain/years';
import { DomainError, type DepartmentReferrer } from '$lib/errors';
import { isValidDepartmentCode, type DepartmentCategory } from '$lib/schemas/departments';
import * as audit from '$lib/server/audit';
import * as exampleComplaints from '$lib/server/complaints/examples';
import { rows, type Executor, type Tx } from '$lib/server/db';
import {
	department,
	departmentCategoryHistory,
	departmentExemption,
	type Department
} from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';
import { invalidateDepartments } from '$lib/server/surveys/reference-cache';

export type { CategoryRow, DepartmentCategory };

export interface ExemptionRow {
	year: number;
	reason: string | null;
}

export interface DepartmentDetails extends Department {
	/** Newest first. */
	categories: CategoryRow[];
	/** Newest first. */
	exemptions: ExemptionRow[];
}

export interface DepartmentListRow {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	superiorAuthority: string | null;
	active: boolean;
	example: boolean;
	/** The category in the year asked for; null when the department had none yet. */
	category: DepartmentCategory | null;
	exempt: boolean;
}

/** The category row in force in `year`: the one with the greatest from_year <= year. */
export function categoryAtSql(departmentId: SQL | typeof department.id, year: number) {
	return sql<DepartmentCategory | null>`(select h.category::text from department_category_history h
		where h.department_id = ${departmentId} and h.from_year <= ${year}
		order by h.from_year desc limit 1)`;
}

/** One page of departments matching `q` (code or either name), each with its `year` facts. */
export async function list(
	db: Executor,
	opts: { q?: string; year: number; page: number; pageSize: number }
): Promise<{ rows: DepartmentListRow[]; total: number }> {
	const where = containsAny(opts.q?.trim(), [
		department.code,
		department.nameZh,
		department.nameEn
	]);
	const [page, [total]] = await Promise.all([
		db
			.select({
				id: department.id,
				code: department.code,
				nameZh: department.nameZh,
				nameEn: department.nameEn,
				superiorAuthority: department.superiorAuthority,
				active: department.active,
				example: department.example,
				category: categoryAtSql(department.id, opts.year),
				exempt: sql<boolean>`exists (select 1 from department_exemption e
					where e.department_id = ${department.id} and e.year = ${opts.year})`
			})
			.from(department)
			.where(where)
			.orderBy(asc(department.code))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(department).where(where)
	]);
	return { rows: page, total: total?.n ?? 0 };
}

export async function total(db: Executor): Promise<number> {
	const [r] = await db.select({ n: count() }).from(department);
	return r?.n ?? 0;
}

async function historyOf(db: Executor, departmentId: number) {
	const [categories, exemptions] = await Promise.all([
		db
			.select({
				fromYear: departmentCategoryHistory.fromYear,
				category: departmentCategoryHistory.category
			})
			.from(departmentCategoryHistory)
			.where(eq(departmentCategoryHistory.departmentId, departmentId))
			.orderBy(desc(departmentCategoryHistory.fromYear)),
		db
			.select({ year: departmentExemption.year, reason: departmentExemption.reason })
			.from(departmentExemption)
			.where(eq(departmentExemption.departmentId, departmentId))
			.orderBy(desc(departmentExemption.year))
	]);
	return { categories, exemptions };
}

/** A department with its category history and exemptions, or null. */
/** Department ids by code, for the codes given (one query however many rows name them). */
export async function idsByCode(
	db: Executor,
	codes: Iterable<string>
): Promise<Map<string, number>> {
	const unique = [...new Set(codes)];
	if (unique.length === 0) return new Map();
	const found = await db
		.select({ id: department.id, code: department.code })
		.from(department)
		.where(inArray(department.code, unique));
	return new Map(found.map((d) => [d.code, d.id]));
}

/** Every department's id by code (a few hundred): what the reference cache keeps. */
export async function allIdsByCode(db: Executor): Promise<Map<string, number>> {
	const found = await db.select({ id: department.id, code: department.code }).from(department);
	return new Map(found.map((d) => [d.code, d.id]));
}

export async function getByCode(db: Executor, code: string): Promise<DepartmentDetails | null> {
	const [d] = await db.select().from(department).where(eq(department.code, code));
	if (!d) return null;
	return { ...d, ...(await historyOf(db, d.id)) };
}

export async function getById(db: Executor, id: number): Promise<Department | null> {
	const [d] = await db.select().from(department).where(eq(department.id, id));
	return d ?? null;
}

/** The department's category in `year`, or null when it had none yet. */
export async function categoryFor(
	db: Executor,
	departmentId: number,
	year: number
): Promise<DepartmentCategory | null> {
	const [r] = await rows<{ category: DepartmentCategory | null }>(
		db,
		sql`select ${categoryAtSql(sql`${departmentId}`, year)} as category`
	);
	return r?.category ?? null;
}

/**
 * Whether the department is vertical in `year` or any later year it has a row for: then it needs
 * a superior authority (the two-years-running report goes there), else it may have none.
 */
async function verticalFrom(db: Executor, departmentId: number, year: number): Promise<boolean> {
	const [r] = await rows<{ vertical: boolean }>(
		db,
		sql`select exists (
			select 1 from department_category_history h
			where h.department_id = ${departmentId} and h.category = 'vertical'
				and (h.from_year > ${year} or h.from_year = (
					select max(h2.from_year) from department_category_history h2
					where h2.department_id = ${departmentId} and h2.from_year <= ${year}))
		) as vertical`
	);
	return r?.vertical === true;
}

/** What the audit trail records of a department itself. */
export function auditView(
	d: Pick<Department, 'code' | 'nameZh' | 'nameEn' | 'superiorAuthority' | 'active' | 'example'>
) {
	return {
		code: d.code,
		nameZh: d.nameZh,
		nameEn: d.nameEn,
		superiorAuthority: d.superiorAuthority,
		active: d.active,
		example: d.example
	};
}

/** Category history oldest first and exemption years ascending: the audit form of the history. */
export function historyView(categories: CategoryRow[], exemptYears: number[]) {
	return {
		categories: [...categories]
			.sort((a, b) => a.fromYear - b.fromYear)
			.map((c) => ({ fromYear: c.fromYear, category: c.category })),
		exemptYears: [...exemptYears].sort((a, b) => a - b)
	};
}

const blank = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

function checkSuperiorAuthority(vertical: boolean, superiorAuthority: string | null) {
	const code = superiorAuthorityProblem(vertical ? 'vertical' : 'municipal', superiorAuthority);
	if (code) throw new DomainError(code, { field: 'superiorAuthority' });
}

async function lockByCode(tx: Tx, code: string): Promise<Department> {
	const [d] = await tx.select().from(department).where(eq(department.code, code)).for('update');
	if (!d) throw new DomainError('department_not_found');
	return d;
}

export interface CreateDepartment {
	code: string;
	nameZh: string;
	nameEn: string;
	category: DepartmentCategory;
	/** The category applies from this year on. */
	fromYear: number;
	superiorAuthority?: string | null;
	exemptions?: { year: number; reason?: string | null }[];
	/** One of the examples created on first start (bootstrap.ts), removable with `remove`. */
	example?: boolean;
}

export async function create(
	db: Executor,
	input: CreateDepartment,
	actor: audit.Actor
): Promise<Department> {
	return db.transaction(async (tx) => {
		const code = input.code.trim();
		if (!isValidDepartmentCode(code))
			throw new DomainError('department_code_format', { field: 'code' });
		const superiorAuthority = blank(input.superiorAuthority);
		checkSuperiorAuthority(input.category === 'vertical', superiorAuthority);
		// ON CONFLICT rather than a read first: two clerks creating one code cannot both succeed.
		const [row] = await tx
			.insert(department)
			.values({
				code,
				nameZh: input.nameZh.trim(),
				nameEn: input.nameEn.trim(),
				superiorAuthority,
				example: input.example ?? false
			})
			.onConflictDoNothing({ target: department.code })
			.returning();
		if (!row) throw new DomainError('department_code_taken', { field: 'code' });
		await tx
			.insert(departmentCategoryHistory)
			.values({ departmentId: row.id, fromYear: input.fromYear, category: input.category });
		// A year given twice counts once, as first given.
		const exemptions = (input.exemptions ?? []).filter(
			(e, i, all) => all.findIndex((o) => o.year === e.year) === i
		);
		if (exemptions.length > 0) {
			await tx
				.insert(departmentExemption)
				.values(
					exemptions.map((e) => ({ departmentId: row.id, year: e.year, reason: blank(e.reason) }))
				);
		}
		await invalidateDepartments(tx);
		await audit.record(tx, actor, {
			action: 'department.create',
			entity: 'department',
			entityId: row.code,
			changes: audit.diff(null, {
				...auditView(row),
				...historyView(
					[{ fromYear: input.fromYear, category: input.category }],
					exemptions.map((e) => e.year)
				)
			})
		});
		return row;
	});
}

export interface UpdateDepartment {
	nameZh: string;
	nameEn: string;
	superiorAuthority?: string | null;
	active: boolean;
}

/**
 * Changes names, superior authority and the active flag; a change to nothing writes nothing. An
 * example department a clerk edits becomes a real one (no longer removed with the examples).
 */
export async function update(
	db: Executor,
	code: string,
	input: UpdateDepartment,
	actor: audit.Actor,
	now: Date = new Date()
): Promise<Department> {
	return db.transaction(async (tx) => {
		const before = await lockByCode(tx, code);
		const next = {
			nameZh: input.nameZh.trim(),
			nameEn: input.nameEn.trim(),
			superiorAuthority: blank(input.superiorAuthority),
			active: input.active
		};
		const edits = audit.diff(auditView(before), auditView({ ...before, ...next }));
		if (Object.keys(edits).length === 0) return before;
		const changes = audit.diff(
			auditView(before),
			auditView({ ...before, ...next, example: false })
		);
		// Checked only when it changes, so that a rename is never blocked by a category change that
		// has taken effect since the superior authority was last set.
		if ('superiorAuthority' in changes) {
			checkSuperiorAuthority(
				await verticalFrom(tx, before.id, currentYear(now)),
				next.superiorAuthority
			);
		}
		const [after] = await tx
			.update(department)
			.set({ ...next, example: false, updatedAt: now })
			.where(eq(department.id, before.id))
			.returning();
		await invalidateDepartments(tx);
		await audit.record(tx, actor, {
			action: 'department.update',
			entity: 'department',
			entityId: code,
			changes
		});
		return after!;
	});
}

/**
 * Sets the category from `fromYear` on (until a later row, which stays). A department that is
 * vertical this year or later needs a superior authority (given here or already on record);
 * one that is municipal from now on loses it.
 */
export async function setCategory(
	db: Executor,
	code: string,
	input: { fromYear: number; category: DepartmentCategory; superiorAuthority?: string | null },
	actor: audit.Actor,
	now: Date = new Date()
): Promise<void> {
	return db.transaction(async (tx) => {
		const before = await lockByCode(tx, code);
		if ((await categoryFor(tx, before.id, input.fromYear)) === input.category)
			throw new DomainError('category_unchanged', { field: 'category' });
		const history = await historyOf(tx, before.id);
		const categoriesAfter = withCategoryFrom(history.categories, input.fromYear, input.category);
		await tx
			.insert(departmentCategoryHistory)
			.values({ departmentId: before.id, fromYear: input.fromYear, category: input.category })
			.onConflictDoUpdate({
				target: [departmentCategoryHistory.departmentId, departmentCategoryHistory.fromYear],
				set: { category: input.category, createdAt: now }
			});
		const redundant = history.categories
			.map((c) => c.fromYear)
			.filter((y) => !categoriesAfter.some((c) => c.fromYear === y));
		if (redundant.length > 0)
			await tx
				.delete(departmentCategoryHistory)
				.where(
					and(
						eq(departmentCategoryHistory.departmentId, before.id),
						inArray(departmentCategoryHistory.fromYear, redundant)
					)
				);
		const vertical = await verticalFrom(tx, before.id, currentYear(now));
		const superiorAuthority = vertical
			? (blank(input.superiorAuthority) ?? before.superiorAuthority)
			: null;
		checkSuperiorAuthority(vertical, superiorAuthority);
		if (superiorAuthority !== before.superiorAuthority) {
			await tx
				.update(department)
				.set({ superiorAuthority, updatedAt: now })
				.where(eq(department.id, before.id));
		}
		await invalidateDepartments(tx);
		await audit.record(tx, actor, {
			action: 'department.category',
			entity: 'department',
			entityId: code,
			changes: audit.diff(
				{
					categories: historyView(history.categories, []).categories,
					superiorAuthority: before.superiorAuthority
				},
				{ categories: historyView(categoriesAfter, []).categories, superiorAuthority }
			)
		});
	});
}

export async function addExemption(
	db: Executor,
	code: string,
	input: { year: number; reason?: string | null },
	actor: audit.Actor
): Promise<void> {
	return db.transaction(async (tx) => {
		const d = await lockByCode(tx, code);
		const reason = blank(input.reason);
		const { exemptions } = await historyOf(tx, d.id);
		const [row] = await tx
			.insert(departmentExemption)
			.values({ departmentId: d.id, year: input.year, reason })
			.onConflictDoNothing()
			.returning({ year: departmentExemption.year });
		if (!row) throw new DomainError('exemption_exists', { field: 'year' });
		const years = exemptions.map((e) => e.year);
		await invalidateDepartments(tx);
		await audit.record(tx, actor, {
			action: 'department.exemption.add',
			entity: 'department',
			entityId: code,
			changes: {
				...audit.diff(
					{ exemptYears: historyView([], years).exemptYears },
					{ exemptYears: historyView([], [...years, input.year]).exemptYears }
				),
				...(reason ? { exemptionReason: { before: null, after: reason } } : {})
			}
		});
	});
}

export async function removeExemption(
	db: Executor,
	code: string,
	year: number,
	actor: audit.Actor
): Promise<void> {
	return db.transaction(async (tx) => {
		const d = await lockByCode(tx, code);
		const { exemptions } = await historyOf(tx, d.id);
		const [row] = await tx
			.delete(departmentExemption)
			.where(and(eq(departmentExemption.departmentId, d.id), eq(departmentExemption.year, year)))
			.returning({ reason: departmentExemption.reason });
		if (!row) throw new DomainError('exemption_not_found', { field: 'year' });
		const years = exemptions.map((e) => e.year);
		await invalidateDepartments(tx);
		await audit.record(tx, actor, {
			action: 'department.exemption.remove',
			entity: 'department',
			entityId: code,
			changes: {
				...audit.diff(
					{ exemptYears: historyView([], years).exemptYears },
					{
						exemptYears: historyView(
							[],
							years.filter((y) => y !== year)
						).exemptYears
					}
				),
				...(row.reason ? { exemptionReason: { before: row.reason, after: null } } : {})
			}
		});
	});
}

/**
 * What refers to a department, as counts by kind: each is a reason it cannot be deleted. Records
 * point at it by id (foreign keys, and the survey tables' triggers); a published result names it
 * by code. Evaluation drafts do not count: a recomputation replaces them.
 */
const REFERENCES = {
	users: (id: SQL) => sql`(select count(*) from "user" r where r.department_id = ${id})`,
	tokens: (id: SQL) => sql`(select count(*) from api_token r where r.department_id = ${id})`,
	findings: (id: SQL) => sql`(select count(*) from finding r where r.department_id = ${id})`,
	cases: (id: SQL) => sql`(select count(*) from service_case r where r.department_id = ${id})`,
	// Example complaints go with their department (deleteDepartment): they keep none.
	complaints: (id: SQL) =>
		sql`(select count(*) from complaint r where r.department_id = ${id} and not r.example)`,
	responses: (id: SQL) => sql`(select count(*) from (
		select response_id from survey_rating r where r.department_id = ${id}
		union select response_id from survey_text_answer r where r.department_id = ${id}) r)`,
	rectifications: (id: SQL) =>
		sql`(select count(*) from rectification r where r.department_id = ${id})`,
	results: (_id: SQL, code: SQL) => sql`(select count(*) from evaluation_snapshot r
		where r.kind = 'published'
			and r.content -> 'departments' @> jsonb_build_array(jsonb_build_object('code', ${code})))`
} as const satisfies Record<DepartmentReferrer, (id: SQL, code: SQL) => SQL>;

export type ReferenceKind = keyof typeof REFERENCES;
export const REFERENCE_KINDS = Object.keys(REFERENCES) as ReferenceKind[];

/** The columns `<kind>` (a count) of what refers to the department `id` / `code`. */
function referenceColumns(id: SQL, code: SQL) {
	return sql.join(
		REFERENCE_KINDS.map((k) => sql`${REFERENCES[k](id, code)}::int as ${sql.identifier(k)}`),
		sql`, `
	);
}

type Referrers = Partial<Record<ReferenceKind, number>>;

/** The kinds that refer to a department, with their counts (none: it may be deleted). */
function referrersOf(row: Record<ReferenceKind, number>): Referrers {
	return Object.fromEntries(REFERENCE_KINDS.filter((k) => row[k] > 0).map((k) => [k, row[k]]));
}

/** What refers to the department, by kind; empty when nothing does. */
export async function references(db: Executor, code: string): Promise<Referrers> {
	const [r] = await rows<Record<ReferenceKind, number>>(
		db,
		sql`select ${referenceColumns(sql`d.id`, sql`d.code`)} from department d where d.code = ${code}`
	);
	if (!r) throw new DomainError('department_not_found');
	return referrersOf(r);
}

async function deleteDepartment(tx: Tx, d: Department, actor: audit.Actor) {
	const { categories, exemptions } = await historyOf(tx, d.id);
	await exampleComplaints.removeExamples(tx, actor, d.id);
	await tx.delete(department).where(eq(department.id, d.id));
	await invalidateDepartments(tx);
	await audit.record(tx, actor, {
		action: 'department.remove',
		entity: 'department',
		entityId: d.code,
		changes: audit.diff(
			{
				...auditView(d),
				...historyView(
					categories,
					exemptions.map((e) => e.year)
				)
			},
			null
		)
	});
}

/**
 * Deletes a department that nothing refers to (a mistake, an example): its category history and
 * exemptions go with it. Refused while anything refers to it, naming what does.
 */
export async function remove(db: Executor, code: string, actor: audit.Actor): Promise<void> {
	return db.transaction(async (tx) => {
		// Locked first: a record written meanwhile waits for this delete and then fails on its key.
		const d = await lockByCode(tx, code);
		const referrers = await references(tx, code);
		if (Object.keys(referrers).length > 0)
			throw new DomainError('department_referenced', {
				params: { code, ...referrers }
			});
		await deleteDepartment(tx, d, actor);
	});
}

/** How many example departments there are (the import page offers to remove them). */
export async function exampleCount(db: Executor): Promise<number> {
	const [r] = await db.select({ n: count() }).from(department).where(eq(department.example, true));
	return r?.n ?? 0;
}

/**
 * Deletes the example complaints, then the example departments that nothing else refers to (after
 * the real list is imported); those something refers to stay. Returns the codes deleted.
 */
export async function removeUnusedExamples(db: Executor, actor: audit.Actor): Promise<string[]> {
	return db.transaction(async (tx) => {
		const examples = await tx
			.select()
			.from(department)
			.where(eq(department.example, true))
			.orderBy(asc(department.code))
			.for('update');
		// Every example complaint, also of an example department an import adopted: they only
		// showed the pages, and real figures must not count them.
		await exampleComplaints.removeExamples(tx, actor);
		if (examples.length === 0) return [];
		const counts = await rows<Record<ReferenceKind, number> & { id: number }>(
			tx,
			sql`select d.id, ${referenceColumns(sql`d.id`, sql`d.code`)} from department d
				where d.id in (${sql.join(
					examples.map((d) => sql`${d.id}::integer`),
					sql`, `
				)})`
		);
		const unused = new Set(
			counts.filter((c) => Object.keys(referrersOf(c)).length === 0).map((c) => c.id)
		);
		const removed: string[] = [];
		for (const d of examples) {
			if (!unused.has(d.id)) continue;
			await deleteDepartment(tx, d, actor);
			removed.push(d.code);
		}
		return removed;
	});
}
