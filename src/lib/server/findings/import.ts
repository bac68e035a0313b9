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
import { department, finding, type Finding } from '$lib/server/db/schema';
import { idsByCode as departmentIdsByCode } from '$lib/server/departments';
import type { Locale } from '$lib/paraglide/runtime';
import type { CsvRecord } from '$lib/server/imports/csv';
import {
	chunked,
	importCsv,
	keyedDiff,
	type FileImporter,
	type ImportResult,
	type RowError
} from '$lib/server/imports/file-import';
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
	locale: Locale,
	errors: RowError[],
	departments: Map<string, number>
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

/** Imports a findings file; messages are in `opts.locale`. Writes nothing unless all rows are valid. */
export async function importFindings(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	return importCsv(db, bytes, opts.locale, actor, FINDINGS);
}

const FINDINGS: FileImporter<Row, Map<string, number>> = {
	columns: FINDING_COLUMNS,
	lockKey: IMPORT_LOCK_KEY,
	keyColumn: 'finding_no',
	key: (values) => (values.finding_no ?? '').trim(),
	duplicateMessage: (params, locale) => m.findings_import_duplicate_no(params, { locale }),
	prepare: knownDepartments,
	validate,
	write,
	summary: { action: 'findings.import', entity: 'finding' }
};

/** The ids of the departments the file names, looked up once for the whole file. */
async function knownDepartments(db: Database, records: readonly CsvRecord[]) {
	return departmentIdsByCode(
		db,
		records.map((r) => (r.values.department_code ?? '').trim()).filter(Boolean)
	);
}

async function write(tx: Tx, rows: Row[], departments: Map<string, number>, actor: audit.Actor) {
	const stored = new Map<string, Finding & { departmentCode: string }>();
	for (const part of chunked(rows)) {
		const found = await tx
			.select({ f: finding, departmentCode: department.code })
			.from(finding)
			.innerJoin(department, eq(department.id, finding.departmentId))
			.where(
				inArray(
					finding.findingNo,
					part.map((r) => r.findingNo)
				)
			)
			.for('update', { of: finding });
		for (const e of found) stored.set(e.f.findingNo, { ...e.f, departmentCode: e.departmentCode });
	}
	const { created, changed, unchanged } = keyedDiff(rows, stored, (r) => r.findingNo, {
		stored: auditView,
		row: auditView
	});

	for (const part of chunked(created)) {
		await tx.insert(finding).values(
			part.map((r) => ({
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
	for (const part of chunked(changed)) {
		const values = sql.join(
			part.map(
				(c) =>
					sql`(${c.before.id}::integer, ${departments.get(c.row.departmentCode)!}::integer, ${c.row.date}::date, ${c.row.source}::finding_source, ${c.row.points}::numeric, ${c.row.status}::finding_status, ${c.row.description}::text)`
			),
			sql`, `
		);
		await tx.execute(sql`update finding f
			set department_id = v.department_id, date = v.date, source = v.source, points = v.points,
				status = v.status, description = v.description, updated_at = now()
			from (values ${values}) as v(id, department_id, date, source, points, status, description)
			where f.id = v.id`);
	}

	return {
		counts: { created: created.length, updated: changed.length, unchanged },
		entries: [
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
			}))
		]
	};
}
