// The efficiency complaints of 2002–2004 as the hotline's system recorded them (imported:
// verdict, conclusion and late response, no workflow of their own here), in the numbers of the
// seed report (./figures COMPLAINTS), against the departments that serve worse more often; the
// last ones of 2004 still open. With the sanctions decided on some substantiated ones.
import { formatComplaintNo } from '$lib/domain/complaints';
import type { Sanction } from '$lib/domain/complaints';
import { formatDate } from '$lib/domain/time';
import type { Actor } from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { complaint, complaintSanction } from '$lib/server/db/schema';
import { chunked } from '$lib/server/imports/records';
import { at, CLOSES, OPENS, weekdays } from './calendar';
import { COMPLAINT_CHANNEL_WEIGHTS, COMPLAINT_TOPICS } from './catalogue';
import { audited, type DemoDepartmentRow } from './context';
import { COMPLAINTS, DEMO_YEARS } from './figures';
import type { Random } from './prng';

const DAY_MS = 86_400_000;
const SANCTIONS: readonly (readonly [Sanction, number])[] = [
	['efficiency_warning', 6],
	['admonishment_talk', 4],
	['public_naming', 2],
	['transfer_from_post', 1],
	['discipline_referral', 1]
];

/** `count` weekdays of the days from `from` to `to`, at random, in order. */
function days(random: Random, from: string, to: string, count: number): string[] {
	const all = weekdays(from, to);
	return Array.from({ length: count }, () => all[random.int(0, all.length - 1)]!).sort();
}

export async function write(
	tx: Tx,
	actor: Actor,
	random: Random,
	departments: readonly DemoDepartmentRow[]
): Promise<number> {
	const weights = departments.map((d) => [d, 0.3 + 3 * (1 - d.quality) ** 2] as const);
	const values: (typeof complaint.$inferInsert)[] = [];
	const sanctions: { complaintNo: string; kind: Sanction; decidedOn: string }[] = [];
	for (const year of DEMO_YEARS) {
		const { total, firstHalf } = COMPLAINTS[year];
		const dates = [
			...days(random, `${year}-01-01`, `${year}-06-30`, firstHalf),
			...days(random, `${year}-07-01`, `${year}-12-31`, total - firstHalf)
		];
		dates.forEach((day, i) => {
			const d = random.weighted(weights);
			const receivedAt = at(day, random.int(OPENS, CLOSES));
			const topic = random.weighted(COMPLAINT_TOPICS);
			const complaintNo = formatComplaintNo(year, i + 1);
			// The last complaints of 2004 are still being handled.
			const open = year === DEMO_YEARS.at(-1) && day >= `${year}-12-15`;
			const r = random.next();
			const bad = 1 - d.quality;
			const verdict = open
				? null
				: r < 0.25 + 0.35 * bad
					? ('substantiated' as const)
					: r < 0.45 + 0.35 * bad
						? ('partial' as const)
						: ('unfounded' as const);
			const concludedAt = verdict
				? new Date(receivedAt.getTime() + random.int(8, 40) * DAY_MS)
				: null;
			values.push({
				complaintNo,
				departmentId: d.id,
				receivedAt,
				channel: random.weighted(COMPLAINT_CHANNEL_WEIGHTS),
				category: topic,
				verdict,
				concludedAt,
				responseLate: verdict !== null && random.chance(0.05 + 0.2 * bad),
				summary: `${topic}：反映${d.nameZh}`
			});
			if (verdict === 'substantiated' && random.chance(0.5))
				sanctions.push({
					complaintNo,
					kind: random.weighted(SANCTIONS),
					decidedOn: formatDate(concludedAt!)
				});
		});
	}
	const ids = new Map<string, number>();
	for (const part of chunked(values))
		for (const r of await tx
			.insert(complaint)
			.values(part)
			.returning({ id: complaint.id, no: complaint.complaintNo }))
			ids.set(r.no, r.id);
	for (const part of chunked(sanctions))
		await tx.insert(complaintSanction).values(
			part.map((s) => ({
				complaintId: ids.get(s.complaintNo)!,
				kind: s.kind,
				note: '效能监察大队查处',
				decidedOn: s.decidedOn
			}))
		);
	await audited({ tx, actor }, 'complaint', {
		created: values.length,
		sanctions: sanctions.length
	});
	return values.length;
}
