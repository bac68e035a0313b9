// The demo city's registers: its departments (through the departments module, one audited
// creation each, with their category from the first demo year) and its enterprises (by COPY,
// one audit entry).
import { inArray } from 'drizzle-orm';
import type { Actor } from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import { enterprise } from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { copyRows } from './bulk';
import { DEPARTMENTS, TOWNSHIPS } from './catalogue';
import { audited, type DemoDepartmentRow, type DemoEnterpriseRow } from './context';
import { DEMO_YEARS, ENTERPRISES } from './figures';
import { enterpriseNames, personName, phoneNumber } from './names';
import type { Random } from './prng';
import { makeUscc } from './uscc';

export async function createDepartments(
	tx: Tx,
	actor: Actor,
	random: Random
): Promise<DemoDepartmentRow[]> {
	const out: DemoDepartmentRow[] = [];
	for (const d of DEPARTMENTS) {
		const row = await departments.create(
			tx,
			{
				code: d.code,
				nameZh: d.nameZh,
				nameEn: d.nameEn,
				category: d.category,
				superiorAuthority: d.superiorAuthority ?? null,
				fromYear: DEMO_YEARS[0]
			},
			actor
		);
		const quality = Math.min(1, Math.max(0, 1 - d.trouble * 0.22 - random.next() * 0.3));
		out.push({ id: row.id, code: d.code, nameZh: d.nameZh, category: d.category, quality });
	}
	return out;
}

export async function createEnterprises(
	tx: Tx,
	actor: Actor,
	random: Random
): Promise<DemoEnterpriseRow[]> {
	const names = enterpriseNames(random, ENTERPRISES);
	const codes = new Set<string>();
	while (codes.size < ENTERPRISES) codes.add(makeUscc(random));
	const usccs = [...codes];
	const rows = names.map((n, i) => {
		const township = random.weighted(TOWNSHIPS.map((t, k) => [t, k < 4 ? 4 : 1] as const));
		const street = `${random.pick(['工业路', '燕江路', '新安路', '解放路', '南山路', '园区大道'])}${random.int(1, 300)}号`;
		return [
			usccs[i]!,
			n.name,
			`福建省永安市${township}${street}`,
			township,
			n.industry,
			personName(random),
			phoneNumber(random)
		] as const;
	});
	await copyRows(
		tx,
		'enterprise',
		['uscc', 'name', 'address', 'township', 'industry', 'contact_name', 'contact_phone'],
		rows
	);
	await audited({ tx, actor }, 'enterprise', { created: rows.length });
	const stored = await tx
		.select({ id: enterprise.id, uscc: enterprise.uscc, name: enterprise.name })
		.from(enterprise)
		.where(inArray(enterprise.uscc, usccs));
	const order = new Map(usccs.map((u, i) => [u, i]));
	return stored.sort((a, b) => order.get(a.uscc)! - order.get(b.uscc)!);
}
