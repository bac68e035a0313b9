// Inspection findings (督查发现) of 2002–2004: deductions for the departments that serve worse,
// bonuses for those that serve well, confirmed; in 2004 a disputed and a recorded one (shown as
// warnings of the draft). One audit entry.
import type { Actor } from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { finding } from '$lib/server/db/schema';
import { chunked } from '$lib/server/imports/records';
import { weekdays } from './calendar';
import { FINDING_TEXTS } from './catalogue';
import { audited, type DemoDepartmentRow } from './context';
import { DEMO_YEARS } from './figures';
import type { Random } from './prng';

export async function write(
	tx: Tx,
	actor: Actor,
	random: Random,
	departments: readonly DemoDepartmentRow[]
): Promise<number> {
	const deductions = FINDING_TEXTS.filter((f) => !f.bonus);
	const bonuses = FINDING_TEXTS.filter((f) => f.bonus);
	const values: (typeof finding.$inferInsert)[] = [];
	for (const year of DEMO_YEARS) {
		const days = weekdays(`${year}-02-01`, `${year}-11-30`);
		let n = 0;
		const add = (
			d: DemoDepartmentRow,
			bonus: boolean,
			status: 'confirmed' | 'disputed' | 'recorded'
		) => {
			const t = random.pick(bonus ? bonuses : deductions);
			const points = bonus ? random.int(2, 5) : -random.int(1, 2 + Math.round(6 * (1 - d.quality)));
			values.push({
				findingNo: `DC${year}-${String(++n).padStart(4, '0')}`,
				departmentId: d.id,
				date: random.pick(days),
				source: t.source,
				points: String(points),
				status,
				description: t.text,
				...(status === 'disputed'
					? {
							disputeReason: '已按要求整改，扣分偏重',
							disputedAt: new Date(`${year}-12-01T02:00:00Z`)
						}
					: {})
			});
		};
		for (const d of departments) {
			const many = Math.round((1 - d.quality) * 4 + random.next());
			for (let i = 0; i < many; i++) add(d, false, 'confirmed');
			if (d.quality > 0.75 && random.chance(0.5)) add(d, true, 'confirmed');
		}
		if (year === DEMO_YEARS.at(-1)) {
			add(random.pick(departments), false, 'disputed');
			add(random.pick(departments), false, 'recorded');
		}
	}
	for (const part of chunked(values)) await tx.insert(finding).values(part);
	await audited({ tx, actor }, 'finding', { created: values.length });
	return values.length;
}
