// Example complaints for a new installation, against the example departments, so that the list
// and the statistics have something to show: the seed report's figures, 237 complaints in one
// year and 147 the next (−37.97 %), 75 and 63 of them from January to June (−16.0 %). They lie
// in the last two whole years before the first start, never in the future. Marked `example`:
// removed with the example departments, and never a reason to keep a department.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ComplaintChannel, Sanction } from '$lib/domain/complaints';
import { formatDate, startOfDay } from '$lib/domain/time';
import { currentYear } from '$lib/domain/years';
import type { Verdict } from '$lib/schemas/complaints';
import * as audit from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import {
	complaint,
	complaintAttachment,
	complaintSanction,
	department
} from '$lib/server/db/schema';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';

/** Complaints of the earlier and of the later example year: in all, and January–June. */
export const EXAMPLE_FIGURES = {
	earlier: { total: 237, firstHalf: 75 },
	later: { total: 147, firstHalf: 63 }
} as const;

/** The two example years for a first start at `now`: the last two whole years. */
export function exampleYears(now: Date): { earlier: number; later: number } {
	const year = currentYear(now);
	return { earlier: year - 2, later: year - 1 };
}

// Weights, so that the charts have tall and short bars: the departments the seed report's
// stories are about (police, construction, industry and commerce) get the most complaints.
const DEPARTMENT_WEIGHTS: Record<string, number> = {
	gaj: 6,
	jsj: 5,
	gsgl: 4,
	ldj: 3,
	jtj: 3,
	fgj: 2,
	czj: 2,
	jyj: 2,
	gsj: 2,
	zjj: 2,
	ycj: 1,
	qxj: 1
};
const CATEGORIES: [string, number][] = [
	['超时限未办结', 5], // a permit not issued within the promised time
	['乱收费', 4], // arbitrary fees charged again and again
	['罚款不开票据', 2], // a fine collected without a receipt
	['不作为', 3], // a police station that did not come when called
	['服务态度差', 3]
];
const CHANNELS: [ComplaintChannel, number][] = [
	['hotline', 6],
	['online', 4],
	['letter', 2],
	['walk_in', 2],
	['visit', 1]
];
// Lightest first, as often as the rules use them.
const SANCTION_CYCLE: Sanction[] = [
	'efficiency_warning',
	'admonishment_talk',
	'efficiency_warning',
	'public_naming',
	'efficiency_warning',
	'admonishment_talk',
	'transfer_from_post',
	'discipline_referral'
];
const VERDICT_CYCLE: Verdict[] = [
	'substantiated',
	'unfounded',
	'partial',
	'unfounded',
	'substantiated',
	'unfounded',
	'partial',
	'substantiated',
	'unfounded',
	'unfounded'
];

/** The item at position `n` of a weighted list cycled through (deterministic, well spread). */
function weighted<T>(items: [T, number][], n: number): T {
	const sum = items.reduce((a, [, w]) => a + w, 0);
	let r = n % sum;
	for (const [item, w] of items) {
		if (r < w) return item;
		r -= w;
	}
	return items[0]![0];
}

export interface ExampleComplaint {
	complaintNo: string;
	departmentCode: string;
	receivedAt: Date;
	channel: ComplaintChannel;
	category: string;
	verdict: Verdict | null;
	concludedAt: Date | null;
	responseLate: boolean;
	summary: string;
	sanction: Sanction | null;
}

const DAY_MS = 86_400_000;

/** `count` complaints spread evenly over the days from `from` to `to` (local dates, included). */
function spread(year: number, from: string, to: string, count: number, offset: number) {
	const start = startOfDay(`${year}-${from}`)!.getTime();
	const days = (startOfDay(`${year}-${to}`)!.getTime() - start) / DAY_MS + 1;
	return Array.from({ length: count }, (_, i) => {
		const day = Math.floor((i * days) / count);
		// Office hours, 08:30 to 17:30.
		const minutes = 8 * 60 + 30 + (((i + offset) * 97) % 540);
		return new Date(start + day * DAY_MS + minutes * 60_000);
	});
}

/** The example complaints of one year, numbered `EX-<year>-0001` on. */
function yearOfExamples(year: number, total: number, firstHalf: number): ExampleComplaint[] {
	const departments = EXAMPLE_DEPARTMENTS.map((d) => [d.code, DEPARTMENT_WEIGHTS[d.code] ?? 1]) as [
		string,
		number
	][];
	const times = [
		...spread(year, '01-01', '06-30', firstHalf, 0),
		...spread(year, '07-01', '12-31', total - firstHalf, firstHalf)
	];
	// A few of the year's last complaints are still open; the rest have their verdict.
	return times.map((receivedAt, i) => {
		const open = i >= total - Math.ceil(total / 20);
		const verdict = open ? null : VERDICT_CYCLE[(i + year) % VERDICT_CYCLE.length]!;
		const category = weighted(CATEGORIES, i * 5 + year);
		return {
			complaintNo: `EX-${year}-${String(i + 1).padStart(4, '0')}`,
			departmentCode: weighted(departments, i * 7 + year),
			receivedAt,
			channel: weighted(CHANNELS, i * 4 + year),
			category,
			verdict,
			concludedAt: verdict ? new Date(receivedAt.getTime() + (12 + (i % 17)) * DAY_MS) : null,
			responseLate: verdict !== null && i % 9 === 4,
			summary: `（示例）${category}`,
			sanction:
				verdict === 'substantiated' && i % 2 === 0
					? SANCTION_CYCLE[Math.floor(i / 2) % SANCTION_CYCLE.length]!
					: null
		};
	});
}

/** Every example complaint for a first start at `now`. */
export function exampleComplaints(now: Date): ExampleComplaint[] {
	const { earlier, later } = exampleYears(now);
	return [
		...yearOfExamples(earlier, EXAMPLE_FIGURES.earlier.total, EXAMPLE_FIGURES.earlier.firstHalf),
		...yearOfExamples(later, EXAMPLE_FIGURES.later.total, EXAMPLE_FIGURES.later.firstHalf)
	];
}

/**
 * Inserts the example complaints (and their sanctions) against the example departments, which
 * must exist: the first start calls it right after creating them, in the same transaction.
 */
export async function createExamples(tx: Tx, now: Date, actor: audit.Actor): Promise<number> {
	const examples = exampleComplaints(now);
	const ids = new Map(
		(
			await tx
				.select({ id: department.id, code: department.code })
				.from(department)
				.where(
					inArray(
						department.code,
						EXAMPLE_DEPARTMENTS.map((d) => d.code)
					)
				)
		).map((d) => [d.code, d.id])
	);
	const inserted = await tx
		.insert(complaint)
		.values(
			examples.map(({ departmentCode, sanction: _, ...c }) => ({
				...c,
				departmentId: ids.get(departmentCode)!,
				example: true
			}))
		)
		.returning({ id: complaint.id, complaintNo: complaint.complaintNo });
	const idOf = new Map(inserted.map((c) => [c.complaintNo, c.id]));
	const sanctions = examples.filter((e) => e.sanction !== null);
	if (sanctions.length > 0)
		await tx.insert(complaintSanction).values(
			sanctions.map((e) => ({
				complaintId: idOf.get(e.complaintNo)!,
				kind: e.sanction!,
				note: '（示例）',
				decidedOn: formatDate(e.concludedAt!)
			}))
		);
	await audit.record(tx, actor, {
		action: 'complaints.examples',
		entity: 'complaint',
		changes: { created: examples.length, sanctions: sanctions.length }
	});
	return examples.length;
}

/**
 * Deletes the example complaints with their sanctions and attachments: all of them, or those of
 * one department (which goes with them). Returns how many went.
 */
export async function removeExamples(
	tx: Tx,
	actor: audit.Actor,
	departmentId?: number
): Promise<number> {
	const examples = sql`(select id from complaint where example${
		departmentId === undefined ? sql`` : sql` and department_id = ${departmentId}`
	})`;
	await tx.delete(complaintSanction).where(sql`${complaintSanction.complaintId} in ${examples}`);
	await tx
		.delete(complaintAttachment)
		.where(sql`${complaintAttachment.complaintId} in ${examples}`);
	const removed = await tx
		.delete(complaint)
		.where(
			departmentId === undefined
				? eq(complaint.example, true)
				: and(eq(complaint.example, true), eq(complaint.departmentId, departmentId))
		)
		.returning({ id: complaint.id });
	if (removed.length > 0)
		await audit.record(tx, actor, {
			action: 'complaints.examples_removed',
			entity: 'complaint',
			changes: { removed: removed.length }
		});
	return removed.length;
}
