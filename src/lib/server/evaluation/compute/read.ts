// Reading the inputs of a year computation: every aggregation of ./queries in one consistent
// snapshot, turned into the plain numbers $lib/domain/evaluation-content builds from.
import { sql } from 'drizzle-orm';
import type { CaseCounts, EvaluationInputs, SurveyTotals } from '$lib/domain/evaluation-content';
import type { FindingLine } from '$lib/domain/snapshot';
import { rows, type Database, type Executor, type Tx } from '$lib/server/db';
import {
	casesQuery,
	complaintsQuery,
	findingsQuery,
	participantsQuery,
	previousYearQuery,
	slotsQuery,
	surveysQuery,
	type CaseStatusRow,
	type ComplaintRow,
	type FindingRow,
	type ParticipantRow,
	type PreviousYearRow,
	type SlotRow,
	type SurveyCampaign,
	type SurveyRow
} from './queries';

/** A PostgreSQL `numeric` (or anything numeric) as it arrives from either driver. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

type RecordInputs = Omit<EvaluationInputs, 'surveys'>;

/** The counts per status of each department's cases, from the query's (department, status) rows. */
function caseCounts(list: CaseStatusRow[]): CaseCounts[] {
	const byDepartment = new Map<number, CaseCounts>();
	for (const r of list) {
		const counts = byDepartment.get(r.department_id) ?? {
			departmentId: r.department_id,
			on_time: 0,
			late: 0,
			open_overdue: 0,
			open_not_due: 0
		};
		counts[r.status] += num(r.n);
		byDepartment.set(r.department_id, counts);
	}
	return [...byDepartment.values()];
}

/** The inputs other than the survey answers: participants, findings, cases, complaints, Y − 1. */
async function readRecords(tx: Executor, year: number, cutoff: string): Promise<RecordInputs> {
	const participants = await rows<ParticipantRow>(tx, participantsQuery(year));
	const findings = await rows<FindingRow>(tx, findingsQuery(year));
	const cases = await rows<CaseStatusRow>(tx, casesQuery(year, cutoff));
	const complaints = await rows<ComplaintRow>(tx, complaintsQuery(year));
	const [previous] = await rows<PreviousYearRow>(tx, previousYearQuery(year));
	return {
		participants: participants.map((p) => ({
			id: p.id,
			code: p.code,
			nameZh: p.name_zh,
			nameEn: p.name_en,
			superiorAuthority: p.superior_authority,
			category: p.category
		})),
		findings: findings.map((f) => ({
			departmentId: f.department_id,
			deductions: num(f.deductions),
			bonus: num(f.bonus),
			disputed: num(f.disputed),
			recorded: num(f.recorded),
			lines: JSON.parse(f.lines) as FindingLine[]
		})),
		cases: caseCounts(cases),
		complaints: complaints.map((k) => ({
			departmentId: k.department_id,
			substantiated: num(k.substantiated),
			partial: num(k.partial),
			unfounded: num(k.unfounded),
			lateResponses: num(k.late),
			open: num(k.open)
		})),
		criticisedLastYear: previous?.criticised ?? [],
		previousUnpublished: previous?.exists === true && (previous?.published ?? 0) === 0
	};
}

/** §2.4 per department, from the rating slots of the questionnaires of the year's campaigns. */
async function readSurveys(tx: Executor, year: number): Promise<SurveyTotals[]> {
	const query = surveysQuery(await rows<SlotRow>(tx, slotsQuery(year)));
	if (!query) return [];
	return (await rows<SurveyRow>(tx, query)).map((s) => ({
		departmentId: s.department_id,
		responses: num(s.responses),
		answers: num(s.answers),
		satisfied: num(s.satisfied),
		campaigns: (JSON.parse(s.campaigns) as SurveyCampaign[]).map((c) => ({
			code: c.code,
			kind: c.kind,
			weight: num(c.weight),
			appraisal: { responses: num(c.aResponses), mean: numOrNull(c.aMean) },
			convenience: { responses: num(c.cResponses), mean: numOrNull(c.cMean) }
		}))
	}));
}

/** Reads every input of the year; run inside one (read-only, serializable) transaction. */
export async function readInputs(
	tx: Executor,
	year: number,
	cutoff: string
): Promise<EvaluationInputs> {
	const records = await readRecords(tx, year, cutoff);
	return { ...records, surveys: await readSurveys(tx, year) };
}

/**
 * Session settings of a reading transaction, in one round trip: no statement timeout short of
 * ten minutes; no JIT (the calendar's generate_series is estimated at 1,000 rows, so the planner
 * would think the cases query huge and JIT-compile it: 0.3–0.6 s of compilation for a query
 * that takes a fraction of that, npm run bench, EXPLAIN ANALYZE); and room to hash the survey
 * aggregation's groups, whose keys (the counted answers, 0 … slots) have no statistics, so that
 * the planner guesses 100,000s of them where there are a few thousand.
 */
async function readerSettings(tx: Tx): Promise<void> {
	await tx.execute(sql`select set_config('statement_timeout', '10min', true),
		set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
}

/**
 * PostgreSQL: reads the inputs on two pooled connections at once, both in ONE snapshot. The
 * first transaction (SERIALIZABLE READ ONLY DEFERRABLE: a consistent snapshot that never aborts
 * or blocks writers) exports its snapshot, starts the second and aggregates the survey answers,
 * the longest read; the second (SERIALIZABLE READ ONLY) imports that snapshot as its first
 * statement and reads everything else meanwhile. An exported snapshot lives only as long as its
 * transaction, so the first waits for the import before it ends — unless the second has not
 * even got a connection by then (a busy pool): it is then told to stand down and the first
 * reads the rest itself. The second never holds a connection while it waits for the first, so
 * a full pool can slow a computation but never deadlock it.
 */
export async function readInputsShared(
	db: Database,
	year: number,
	cutoff: string
): Promise<EvaluationInputs> {
	let second: 'waiting' | 'started' | 'stood down' = 'waiting';
	let imported!: () => void;
	const importDone = new Promise<void>((resolve) => (imported = resolve));
	let rest: Promise<RecordInputs | null> = Promise.resolve(null);
	try {
		const main = await db.transaction(
			async (tx) => {
				await readerSettings(tx);
				const [row] = await rows<{ id: string }>(tx, sql`select pg_export_snapshot() as id`);
				const id = row!.id;
				// Snapshot ids are hex groups and dashes (`00000003-0000001B-1`); SET takes no
				// parameters, so the id is checked before it is spliced in.
				if (!/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
				rest = db.transaction(
					async (rtx) => {
						if (second === 'stood down') return null;
						second = 'started';
						try {
							await rtx.execute(sql.raw(`set transaction snapshot '${id}'`));
						} finally {
							imported();
						}
						await readerSettings(rtx);
						return readRecords(rtx, year, cutoff);
					},
					{ isolationLevel: 'serializable', accessMode: 'read only' }
				);
				// Awaited below whatever happens here; no unhandled rejection meanwhile.
				rest.catch(() => {});
				const surveys = await readSurveys(tx, year);
				if (second === 'waiting') {
					second = 'stood down';
					return { surveys, records: await readRecords(tx, year, cutoff) };
				}
				await importDone;
				return { surveys, records: null };
			},
			{ isolationLevel: 'serializable', accessMode: 'read only', deferrable: true }
		);
		const records = main.records ?? (await rest);
		if (!records) throw new Error('the inputs were not read');
		return { ...records, surveys: main.surveys };
	} finally {
		await rest.catch(() => null);
	}
}
