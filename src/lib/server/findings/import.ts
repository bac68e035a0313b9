// The findings file of spec/exchange.md, keyed by `finding_no`: every row is validated first;
// then all rows are written in one transaction or none, and the same file twice changes nothing.
import { eq, inArray, sql } from 'drizzle-orm';
import {
	FINDING_NO_MAX,
	FINDING_SOURCES,
	IMPORTED_FINDING_STATUSES,
	isValidFindingNo,
	parsePoints,
	POINTS_LIMIT,
	type FindingSource,
	type FindingStatus
} from '$lib/domain/findings';
import { startOfDay } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import { DESCRIPTION_MAX } from '$lib/schemas/findings';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import { department, finding } from '$lib/server/db/schema';
import type { ImportResult, RowError } from '$lib/server/departments/import';
import { readCsv, sha256Hex, type Locale } from '$lib/server/imports/csv';
import { auditView } from './index';

export const FINDING_COLUMNS = [
	'finding_no',
	'department_code',
	'date',
	'source',
	'points',
	'status',
	'description'
] as const;

// Any constant unique to this lock: two imports of overlapping files must not interleave.
const IMPORT_LOCK_KEY = 7_410_3102;
const CHUNK = 1000;

interface Row {
	line: number;
	findingNo: string;
	departmentCode: string;
	date: string;
	source: FindingSource;
	points: string;
	status: FindingStatus;
	description: string;
}

function validate(
	line: number,
	values: Record<string, string>,
	departments: Map<string, number>,
	locale: Locale,
	errors: RowError[]
): Row | null {
	const o = { locale };
	const before = errors.length;
	const bad = (column: string, message: string) => errors.push({ line, column, message });
	const required = (column: string) => {
		const v = (values[column] ?? '').trim();
		if (v === '') bad(column, m.common_required({}, o));
		return v;
	};

	const findingNo = required('finding_no');
	if (findingNo && !isValidFindingNo(findingNo))
		bad('finding_no', m.findings_import_bad_no({ value: findingNo, max: FINDING_NO_MAX }, o));

	const departmentCode = required('department_code');
	if (departmentCode && !departments.has(departmentCode))
		bad('department_code', m.findings_import_unknown_department({ value: departmentCode }, o));

	const date = required('date');
	if (date && startOfDay(date) === null)
		bad('date', m.findings_import_bad_date({ value: date }, o));

	const rawSource = required('source');
	const source = rawSource.toLowerCase() as FindingSource;
	if (rawSource && !FINDING_SOURCES.includes(source))
		bad(
			'source',
			m.findings_import_bad_source({ value: rawSource, expected: FINDING_SOURCES.join(', ') }, o)
		);

	const rawPoints = required('points');
	const points = rawPoints ? parsePoints(rawPoints) : null;
	if (points && !points.ok)
		bad(
			'points',
			points.problem === 'zero'
				? m.findings_import_points_zero({}, o)
				: points.problem === 'range'
					? m.findings_import_points_range({ value: rawPoints, limit: POINTS_LIMIT }, o)
					: m.findings_import_points_number({ value: rawPoints }, o)
		);

	const rawStatus = required('status');
	const status = rawStatus.toLowerCase() as FindingStatus;
	if (rawStatus && !(IMPORTED_FINDING_STATUSES as readonly string[]).includes(status))
		bad(
			'status',
			m.findings_import_bad_status(
				{ value: rawStatus, expected: IMPORTED_FINDING_STATUSES.join(', ') },
				o
			)
		);

	const description = required('description');
	if (description.length > DESCRIPTION_MAX)
		bad('description', m.findings_import_too_long({ max: DESCRIPTION_MAX }, o));

	if (errors.length > before || !points?.ok) return null;
	return {
		line,
		findingNo,
		departmentCode,
		date,
		source,
		points: points.value,
		status,
		description
	};
}

const columnOrder = (column: string) => {
	const i = (FINDING_COLUMNS as readonly string[]).indexOf(column);
	return i === -1 ? FINDING_COLUMNS.length : i;
};

/** Imports a findings file; messages are in `opts.locale`. Writes nothing unless all rows are valid. */
export async function importFindings(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	const { locale } = opts;
	const sha256 = sha256Hex(bytes);
	const file = readCsv(bytes, { required: FINDING_COLUMNS, locale });
	const rowCount = file.records.length + file.errors.filter((e) => e.line > 1).length;
	if (!file.headerOk) return { ok: false, rows: 0, errors: file.errors, sha256 };

	// Known departments, looked up once for the whole file.
	const codes = [
		...new Set(file.records.map((r) => (r.values.department_code ?? '').trim()).filter(Boolean))
	];
	const known = codes.length
		? await db
				.select({ id: department.id, code: department.code })
				.from(department)
				.where(inArray(department.code, codes))
		: [];
	const departments = new Map(known.map((d) => [d.code, d.id]));

	const errors: RowError[] = [...file.errors];
	const rows: Row[] = [];
	const firstLineOf = new Map<string, number>();
	for (const record of file.records) {
		const row = validate(record.line, record.values, departments, locale, errors);
		const no = (record.values.finding_no ?? '').trim();
		const first = firstLineOf.get(no);
		if (no && first !== undefined) {
			errors.push({
				line: record.line,
				column: 'finding_no',
				message: m.findings_import_duplicate_no({ value: no, line: first }, { locale })
			});
			continue;
		}
		if (no) firstLineOf.set(no, record.line);
		if (row) rows.push(row);
	}
	if (errors.length > 0) {
		errors.sort((a, b) => a.line - b.line || columnOrder(a.column) - columnOrder(b.column));
		return { ok: false, rows: rowCount, errors, sha256 };
	}
	const counts = await db.transaction((tx) =>
		write(tx, rows, departments, actor, { sha256, encoding: file.encoding })
	);
	return { ok: true, rows: rows.length, ...counts, sha256 };
}

async function write(
	tx: Tx,
	rows: Row[],
	departments: Map<string, number>,
	actor: audit.Actor,
	source: { sha256: string; encoding: string }
) {
	await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
	const existing: {
		id: number;
		findingNo: string;
		departmentCode: string;
		f: typeof finding.$inferSelect;
	}[] = [];
	for (let i = 0; i < rows.length; i += CHUNK) {
		const nos = rows.slice(i, i + CHUNK).map((r) => r.findingNo);
		const found = await tx
			.select({ f: finding, departmentCode: department.code })
			.from(finding)
			.innerJoin(department, eq(department.id, finding.departmentId))
			.where(inArray(finding.findingNo, nos))
			.for('update', { of: finding });
		existing.push(...found.map((e) => ({ id: e.f.id, findingNo: e.f.findingNo, ...e })));
	}
	const byNo = new Map(existing.map((e) => [e.findingNo, e]));

	const created: Row[] = [];
	const changed: { id: number; row: Row; changes: ReturnType<typeof audit.diff> }[] = [];
	let unchanged = 0;
	for (const row of rows) {
		const before = byNo.get(row.findingNo);
		if (!before) {
			created.push(row);
			continue;
		}
		const changes = audit.diff(
			auditView({ ...before.f, departmentCode: before.departmentCode }),
			auditView(row)
		);
		if (Object.keys(changes).length === 0) unchanged++;
		else changed.push({ id: before.id, row, changes });
	}

	for (let i = 0; i < created.length; i += CHUNK) {
		await tx.insert(finding).values(
			created.slice(i, i + CHUNK).map((r) => ({
				findingNo: r.findingNo,
				departmentId: departments.get(r.departmentCode)!,
				date: r.date,
				source: r.source,
				points: r.points,
				status: r.status,
				description: r.description,
				createdBy: actor.kind === 'user' ? actor.id : null
			}))
		);
	}
	for (let i = 0; i < changed.length; i += CHUNK) {
		const values = sql.join(
			changed
				.slice(i, i + CHUNK)
				.map(
					(c) =>
						sql`(${c.id}::integer, ${departments.get(c.row.departmentCode)!}::integer, ${c.row.date}::date, ${c.row.source}::finding_source, ${c.row.points}::numeric, ${c.row.status}::finding_status, ${c.row.description}::text)`
				),
			sql`, `
		);
		await tx.execute(sql`update finding f
			set department_id = v.department_id, date = v.date, source = v.source, points = v.points,
				status = v.status, description = v.description, updated_at = now()
			from (values ${values}) as v(id, department_id, date, source, points, status, description)
			where f.id = v.id`);
	}

	const counts = { created: created.length, updated: changed.length, unchanged };
	if (counts.created + counts.updated > 0) {
		await audit.recordMany(tx, actor, [
			...created.map((r) => ({
				action: 'finding.create',
				entity: 'finding',
				entityId: r.findingNo,
				changes: audit.diff(null, auditView(r))
			})),
			...changed.map((c) => ({
				action: 'finding.update',
				entity: 'finding',
				entityId: c.row.findingNo,
				changes: c.changes
			})),
			{
				action: 'findings.import',
				entity: 'finding',
				entityId: null,
				changes: {
					sha256: { before: null, after: source.sha256 },
					encoding: { before: null, after: source.encoding },
					rows: { before: null, after: rows.length },
					created: { before: null, after: counts.created },
					updated: { before: null, after: counts.updated },
					unchanged: { before: null, after: counts.unchanged }
				}
			}
		]);
	}
	return counts;
}
