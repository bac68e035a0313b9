// Snapshot factories: stored evaluation snapshots with hand-made content, for the pages that
// read snapshots (rankings, "why this score") and the rectifications publication creates,
// without running a computation.
import { sha256 } from '@oslojs/crypto/sha2';
import { sql } from 'drizzle-orm';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { canonicalJson } from '$lib/domain/canonical';
import { DEFAULT_SETTINGS, type Category, type EvaluationSettings } from '$lib/domain/scoring';
import {
	SNAPSHOT_FORMAT,
	type DepartmentResult,
	type Problem,
	type SnapshotContent
} from '$lib/domain/snapshot';
import type { Database } from '$lib/server/db';
import { evaluationSnapshot, evaluationYear, rectification } from '$lib/server/db/schema';

/**
 * A department's result whose numbers agree with its inputs: work 100 − 3 + min(12, 10) = 107 →
 * 100; cases 8 on time of 8 completed + 2 open overdue = 80, survey 75 → convenience 77.5;
 * complaints 100 − (5 + 2 + 1) = 92; appraisal (2 × 80 + 1 × 70) / 3 = 76.666…
 */
export function departmentResult(
	code: string,
	overrides: Partial<DepartmentResult> = {}
): DepartmentResult {
	const category: Category = overrides.category ?? 'municipal';
	return {
		code,
		nameZh: `部门${code}`,
		nameEn: `Department ${code}`,
		category,
		superiorAuthority: category === 'vertical' ? `上级${code}` : null,
		scores: {
			work: 100,
			convenience: 77.5,
			complaints: 92,
			appraisal: 230 / 3,
			total: (30 * 100 + 20 * 77.5 + 20 * 92 + 30 * (230 / 3)) / 100
		},
		rank: 1,
		rankFromBottom: 1,
		outcomes: ['commended'],
		responses: 40,
		insufficientSample: false,
		satisfactionRate: 87.5,
		criticisedLastYear: false,
		inputs: {
			work: {
				deductions: 3,
				bonus: 12,
				bonusCounted: 10,
				findings: [
					{
						findingNo: `${code}-F1`,
						date: '2025-03-02',
						source: 'undercover_visit',
						points: '-3.00',
						status: 'confirmed',
						counted: true,
						description: 'Window closed during office hours'
					},
					{
						findingNo: `${code}-F2`,
						date: '2025-05-10',
						source: 'special_inspection',
						points: '12.00',
						status: 'confirmed',
						counted: true,
						description: 'Model practice'
					},
					{
						findingNo: `${code}-F3`,
						date: '2025-06-01',
						source: 'task_supervision',
						points: '-4.00',
						status: 'withdrawn',
						counted: false,
						description: 'Withdrawn after review'
					}
				]
			},
			convenience: {
				cases: { accepted: 11, onTime: 8, late: 0, openOverdue: 2, openNotDue: 1, indicator: 80 },
				survey: {
					indicator: 75,
					campaigns: [
						{ code: 'C1', kind: 'enterprise_visit', weight: 2, responses: 30, mean: 75 },
						{ code: 'C2', kind: 'online', weight: 1, responses: 10, mean: 75 }
					]
				},
				share: 0.5,
				basis: 'both'
			},
			complaints: {
				substantiated: 1,
				partial: 1,
				unfounded: 2,
				lateResponses: 1,
				open: 0,
				deductions: 8
			},
			appraisal: {
				campaigns: [
					{ code: 'C1', kind: 'enterprise_visit', weight: 2, responses: 30, mean: 80 },
					{ code: 'C2', kind: 'online', weight: 1, responses: 10, mean: 70 }
				],
				answers: 200,
				satisfied: 175
			}
		},
		...overrides
	};
}

export function snapshotContent(
	year: number,
	departments: DepartmentResult[],
	extra: { errors?: Problem[]; warnings?: Problem[]; settings?: EvaluationSettings } = {}
): SnapshotContent {
	return {
		format: SNAPSHOT_FORMAT,
		year,
		settings: extra.settings ?? DEFAULT_SETTINGS,
		cutoff: `${year}-12-31`,
		departments,
		errors: extra.errors ?? [],
		warnings: extra.warnings ?? []
	};
}

export function digestOf(content: SnapshotContent): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonicalJson(content))));
}

/** The evaluation year row, if it does not exist yet. */
export async function makeYear(db: Database, year: number, settings = DEFAULT_SETTINGS) {
	await db.insert(evaluationYear).values({ year, settings }).onConflictDoNothing();
}

/** Stores a snapshot row (a draft, or a published revision when `revision` is given). */
export async function makeSnapshot(
	db: Database,
	content: SnapshotContent,
	opts: {
		revision?: number;
		replacesId?: number;
		note?: string;
		at?: Date;
	} = {}
) {
	await makeYear(db, content.year, content.settings);
	const at = opts.at ?? new Date();
	const published = opts.revision !== undefined;
	const [row] = await db
		.insert(evaluationSnapshot)
		.values({
			year: content.year,
			kind: published ? 'published' : 'draft',
			revision: opts.revision ?? null,
			replacesId: opts.replacesId ?? null,
			note: opts.note ?? null,
			content,
			digest: digestOf(content),
			errorCount: content.errors.length,
			warningCount: content.warnings.length,
			computedAt: at,
			computedBy: 'test',
			publishedAt: published ? at : null,
			publishedBy: published ? 'test' : null
		})
		.returning();
	return row!;
}

/** A rectification row as publication creates it. */
export async function makeRectification(
	db: Database,
	input: { year: number; departmentId: number; snapshotId: number; deadline: string }
) {
	const [row] = await db.insert(rectification).values(input).returning();
	return row!;
}

/**
 * Changes a stored snapshot's content behind the app's back, as someone with database rights
 * could: around the trigger that freezes published rows, without touching the digest. By
 * default its cutoff; else the JSON value at `path` (jsonb_set's path: keys and array indexes).
 */
export async function tamperWithSnapshot(
	db: Database,
	id: number,
	value: unknown = '2000-01-01',
	path: (string | number)[] = ['cutoff']
) {
	await db.execute(
		sql`alter table evaluation_snapshot disable trigger evaluation_snapshot_published_immutable`
	);
	try {
		await db.execute(
			sql`update evaluation_snapshot set content = jsonb_set(content,
					${`{${path.join(',')}}`}::text[], ${JSON.stringify(value)}::jsonb)
				where id = ${id}`
		);
	} finally {
		await db.execute(
			sql`alter table evaluation_snapshot enable trigger evaluation_snapshot_published_immutable`
		);
	}
}
