// Inspection findings: recording (numbers given or generated), confirming, withdrawing, the
// department's one dispute, liaison scoping, the list's filters, and the findings file.
import { readFileSync } from 'node:fs';
import { asc, count, eq, like } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import { auditEntry, finding } from '$lib/server/db/schema';
import * as findings from '$lib/server/findings';
import { importFindings } from '$lib/server/findings/import';
import { messageOf } from '$lib/errors';
import { sha256Hex } from '$lib/server/imports/csv';
import { describeEachDatabase } from '../helpers/db';
import { adminReader, makeDepartment, makeFinding, makeUser, testActor } from '../factories';
import { refusalCode } from '../helpers/refusal';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
const HEADER = 'finding_no,department_code,date,source,points,status,description';

async function snapshot(db: Database) {
	const [rows, [entries]] = await Promise.all([
		db.select().from(finding).orderBy(asc(finding.id)),
		db.select({ n: count() }).from(auditEntry)
	]);
	return { rows, auditEntries: entries!.n };
}

describeEachDatabase('findings', (t) => {
	let deptA: { id: number; code: string };
	let supervisor: Actor;
	let liaisonA: Actor;

	beforeAll(async () => {
		deptA = await makeDepartment(t.db, { code: 'fx-a' });
		await makeDepartment(t.db, { code: 'fx-b' });
		const s = await makeUser(t.db, { role: 'supervisor' });
		const l = await makeUser(t.db, { role: 'liaison', departmentCode: 'fx-a' });
		supervisor = { kind: 'user', id: s.id, label: s.username };
		liaisonA = { kind: 'user', id: l.id, label: l.username };
	});

	it('records a finding with a generated number, as recorded, and audits it', async () => {
		const f1 = await t.db.transaction((tx) =>
			findings.record(
				tx,
				{
					departmentCode: 'fx-a',
					date: '2026-02-03',
					source: 'undercover_visit',
					points: '-2.00',
					description: '  窗口无人值守  '
				},
				supervisor
			)
		);
		expect(f1).toMatchObject({
			findingNo: 'F2026-000001',
			status: 'recorded',
			departmentId: deptA.id,
			description: '窗口无人值守',
			createdBy: supervisor.id
		});
		expect(Number(f1.points)).toBe(-2);
		const f2 = await makeFinding(t.db, 'fx-b', { date: '2026-03-01', points: '1.50' });
		expect(f2.findingNo).toBe('F2026-000002');
		// Another year counts from 1; a number given by hand does not disturb the sequence.
		expect((await makeFinding(t.db, 'fx-b', { date: '2027-01-05' })).findingNo).toBe(
			'F2027-000001'
		);
		await makeFinding(t.db, 'fx-b', { date: '2026-03-02', findingNo: 'DC-2026-7' });
		expect((await makeFinding(t.db, 'fx-b', { date: '2026-03-03' })).findingNo).toBe(
			'F2026-000003'
		);

		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.entityId, 'F2026-000001'));
		expect(entry).toMatchObject({ action: 'finding.create', entity: 'finding' });
		expect(entry!.changes).toMatchObject({
			department: { before: null, after: 'fx-a' },
			points: { before: null, after: '-2.00' },
			status: { before: null, after: 'recorded' }
		});
	});

	it('refuses a taken number and an unknown department', async () => {
		expect(await refusalCode(makeFinding(t.db, 'fx-a', { findingNo: 'F2026-000001' }))).toBe(
			'finding_no_taken'
		);
		expect(await refusalCode(makeFinding(t.db, 'nope'))).toBe('department_unknown');
	});

	it('confirms, and refuses to confirm twice', async () => {
		const f = await makeFinding(t.db, 'fx-a');
		const after = await t.db.transaction((tx) => findings.confirm(tx, f.findingNo, {}, supervisor));
		expect(after).toMatchObject({ status: 'confirmed', resolvedBy: supervisor.id });
		expect(
			await refusalCode(t.db.transaction((tx) => findings.confirm(tx, f.findingNo, {}, supervisor)))
		).toBe('finding_already_confirmed');
	});

	it('lets the department dispute once; a supervisor confirms; a second dispute is refused', async () => {
		const f = await makeFinding(t.db, 'fx-a', { points: '-4.00' });
		await t.db.transaction((tx) => findings.confirm(tx, f.findingNo, {}, supervisor));

		const disputed = await t.db.transaction((tx) =>
			findings.dispute(
				tx,
				f.findingNo,
				{ reason: '当天系统故障，已报备', departmentId: deptA.id },
				liaisonA
			)
		);
		expect(disputed).toMatchObject({
			status: 'disputed',
			disputeReason: '当天系统故障，已报备',
			disputedBy: liaisonA.id
		});
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					findings.dispute(tx, f.findingNo, { reason: 'again', departmentId: deptA.id }, liaisonA)
				)
			)
		).toBe('finding_already_disputed');

		const confirmed = await t.db.transaction((tx) =>
			findings.confirm(tx, f.findingNo, { note: '复核属实' }, supervisor)
		);
		expect(confirmed).toMatchObject({ status: 'confirmed', resolutionNote: '复核属实' });

		// Confirmed again: the one dispute is used.
		const code = await refusalCode(
			t.db.transaction((tx) =>
				findings.dispute(tx, f.findingNo, { reason: 'again', departmentId: deptA.id }, liaisonA)
			)
		);
		expect(code).toBe('finding_dispute_used');
		expect(messageOf('finding_dispute_used', {}, 'en')).toBe(
			m.findings_error_dispute_used({}, { locale: 'en' })
		);
		expect((await findings.get(t.db, adminReader, f.findingNo))?.status).toBe('confirmed');

		const history = await findings.history(t.db, adminReader, f.findingNo);
		expect(history.map((h) => h.action)).toEqual([
			'finding.create',
			'finding.confirm',
			'finding.dispute',
			'finding.confirm'
		]);
		expect(history[2]).toMatchObject({
			actorLabel: liaisonA.label,
			changes: {
				status: { before: 'confirmed', after: 'disputed' },
				reason: { before: null, after: '当天系统故障，已报备' }
			}
		});
	});

	it("refuses a dispute of another department's finding as not found, changing nothing", async () => {
		const f = await makeFinding(t.db, 'fx-b');
		const before = await snapshot(t.db);
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					findings.dispute(
						tx,
						f.findingNo,
						{ reason: 'not ours', departmentId: deptA.id },
						liaisonA
					)
				)
			)
		).toBe('finding_not_found');
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('withdraws with a note; a withdrawn finding can be neither confirmed nor disputed', async () => {
		const f = await makeFinding(t.db, 'fx-a');
		const w = await t.db.transaction((tx) =>
			findings.withdraw(tx, f.findingNo, { note: '重复记录' }, supervisor)
		);
		expect(w).toMatchObject({ status: 'withdrawn', resolutionNote: '重复记录' });
		expect(
			await refusalCode(t.db.transaction((tx) => findings.confirm(tx, f.findingNo, {}, supervisor)))
		).toBe('finding_already_withdrawn');
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					findings.dispute(tx, f.findingNo, { reason: 'x', departmentId: deptA.id }, liaisonA)
				)
			)
		).toBe('finding_already_withdrawn');
		expect(
			await refusalCode(
				t.db.transaction((tx) => findings.withdraw(tx, 'F1999-000404', { note: 'x' }, supervisor))
			)
		).toBe('finding_not_found');
	});

	it("lists a liaison's own department only, with filters and the confirmed points", async () => {
		const all = await findings.list(t.db, adminReader, { page: 1, pageSize: 100 });
		const own = await findings.list(t.db, adminReader, {
			departmentId: deptA.id,
			page: 1,
			pageSize: 100
		});
		expect(own.total).toBeGreaterThan(0);
		expect(own.total).toBeLessThan(all.total);
		expect(own.rows.every((r) => r.departmentCode === 'fx-a')).toBe(true);
		// A liaison's department wins over any department code the query names.
		const tricked = await findings.list(t.db, adminReader, {
			departmentId: deptA.id,
			departmentCode: 'fx-b',
			page: 1,
			pageSize: 100
		});
		expect(tricked.total).toBe(0);

		const confirmed = await findings.list(t.db, adminReader, {
			departmentId: deptA.id,
			status: 'confirmed',
			page: 1,
			pageSize: 100
		});
		expect(confirmed.rows.every((r) => r.status === 'confirmed')).toBe(true);
		const sum = confirmed.rows.reduce((s, r) => s + Number(r.points), 0);
		expect(Number(own.confirmedPoints)).toBeCloseTo(sum, 2);

		const y2027 = await findings.list(t.db, adminReader, { year: 2027, page: 1, pageSize: 100 });
		expect(y2027.rows.map((r) => r.findingNo)).toEqual(['F2027-000001']);
		const bySource = await findings.list(t.db, adminReader, {
			source: 'undercover_visit',
			page: 1,
			pageSize: 100
		});
		expect(bySource.rows.map((r) => r.findingNo)).toContain('F2026-000001');
		expect(bySource.rows.every((r) => r.source === 'undercover_visit')).toBe(true);
		const search = await findings.list(t.db, adminReader, {
			q: '无人值守',
			page: 1,
			pageSize: 100
		});
		expect(search.rows.map((r) => r.findingNo)).toEqual(['F2026-000001']);

		// Pages: newest first, no row twice.
		const p1 = await findings.list(t.db, adminReader, { page: 1, pageSize: 2 });
		const p2 = await findings.list(t.db, adminReader, { page: 2, pageSize: 2 });
		expect(p1.rows).toHaveLength(2);
		expect(p1.total).toBe(all.total);
		expect(p1.rows.map((r) => r.id)).not.toContain(p2.rows[0]?.id);
		expect(p1.rows[0]!.date >= p1.rows[1]!.date).toBe(true);

		expect(await findings.years(t.db)).toEqual([2027, 2026, 2025]);
	});

	it('masks the phone and ID numbers typed into a finding for leaders and the department', async () => {
		const typed = '群众反映：请回电 138-1234-5678，身份证 350102199001011234';
		const f = await makeFinding(t.db, 'fx-a', { date: '2026-05-06', description: typed });
		await findings.dispute(
			t.db,
			f.findingNo,
			{ reason: '已联系 13912345678', departmentId: deptA.id },
			liaisonA
		);
		const list = (role: 'admin' | 'supervisor' | 'leader' | 'liaison') =>
			findings.list(t.db, { role }, { q: f.findingNo, page: 1, pageSize: 10 });
		// Those who may see identities (roles.md) read it whole, the trail too.
		for (const role of ['admin', 'supervisor'] as const) {
			const got = await findings.get(t.db, { role }, f.findingNo);
			expect(got).toMatchObject({ description: typed, disputeReason: '已联系 13912345678' });
			expect((await list(role)).rows.map((r) => r.description)).toEqual([typed]);
			expect(JSON.stringify(await findings.history(t.db, { role }, f.findingNo))).toContain(
				'350102199001011234'
			);
		}
		const masked = '群众反映：请回电 138****5678，身份证 3501************34';
		for (const role of ['leader', 'liaison'] as const) {
			const got = await findings.get(t.db, { role }, f.findingNo);
			expect(got).toMatchObject({ description: masked, disputeReason: '已联系 139****5678' });
			expect((await list(role)).rows.map((r) => r.description)).toEqual([masked]);
			const history = JSON.stringify(await findings.history(t.db, { role }, f.findingNo));
			expect(history).toContain('138****5678');
			for (const whole of ['1234-5678', '13912345678', '350102199001011234'])
				expect(history).not.toContain(whole);
		}
	});
});

describeEachDatabase('findings import', (t) => {
	const run = (bytes: Uint8Array, locale: 'zh-CN' | 'en' = 'en') =>
		importFindings(t.db, bytes, { locale }, testActor);

	beforeAll(async () => {
		await makeDepartment(t.db, { code: 'fx-a' });
		await makeDepartment(t.db, { code: 'fx-b' });
	});

	it('imports the sample file, with one audit entry per finding and one for the import', async () => {
		const bytes = fixture('findings-good.csv');
		const result = await run(bytes);
		expect(result).toEqual({
			ok: true,
			rows: 5,
			created: 5,
			updated: 0,
			unchanged: 0,
			sha256: sha256Hex(bytes)
		});
		const f2 = await findings.get(t.db, adminReader, 'F2025-000002');
		expect(f2).toMatchObject({
			departmentCode: 'fx-a',
			date: '2025-05-20',
			source: 'undercover_visit',
			status: 'confirmed',
			description: '暗访发现办事指南未公开，"一次性告知"未落实'
		});
		expect(Number(f2!.points)).toBe(-1.5);
		expect((await findings.get(t.db, adminReader, 'F2025-000004'))?.status).toBe('disputed');
		const entries = await t.db
			.select()
			.from(auditEntry)
			.where(like(auditEntry.action, 'finding%'))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual([
			...Array(5).fill('finding.create'),
			'findings.import'
		]);
		expect(entries.at(-1)!.changes).toMatchObject({
			sha256: { before: null, after: sha256Hex(bytes) },
			rows: { before: null, after: 5 },
			created: { before: null, after: 5 }
		});
	});

	it('changes nothing the second time: no data change, no audit entry', async () => {
		const before = await snapshot(t.db);
		const result = await run(fixture('findings-good.csv'));
		expect(result).toMatchObject({ ok: true, rows: 5, created: 0, updated: 0, unchanged: 5 });
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('updates a changed row and audits the change', async () => {
		const result = await run(
			csv(
				HEADER,
				'F2025-000004,fx-b,2025-07-18,task_supervision,-5.00,confirmed,督办事项逾期未办结',
				'F2025-000001,fx-a,2025-03-12,special_inspection,-2,confirmed,窗口工作人员上班时间玩手机'
			)
		);
		expect(result).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 1 });
		expect((await findings.get(t.db, adminReader, 'F2025-000004'))?.status).toBe('confirmed');
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'finding.update'));
		expect(entry).toMatchObject({ entityId: 'F2025-000004' });
		expect(entry!.changes).toEqual({ status: { before: 'disputed', after: 'confirmed' } });
	});

	it('reads a GBK file as Excel on a Chinese Windows saves it', async () => {
		const text = [
			HEADER,
			'F2025-000100,fx-b,2025-11-02,onsite_measurement,2,confirmed,群众好评',
			''
		].join('\r\n');
		const result = await run(new Uint8Array(iconv.encode(text, 'gbk')));
		expect(result).toMatchObject({ ok: true, created: 1 });
		expect((await findings.get(t.db, adminReader, 'F2025-000100'))?.description).toBe('群众好评');
	});

	it('writes nothing when any row is bad, and reports every bad row with line and column', async () => {
		const before = await snapshot(t.db);
		const bytes = csv(
			HEADER, // 1
			'F2025-000200,fx-a,2025-01-05,special_inspection,-1,confirmed,fine', // 2: fine, not written
			'F2025-000201,nope,2025-01-05,special_inspection,-1,confirmed,x', // 3: unknown department
			'F2025-000202,fx-a,2025-02-30,special_inspection,-1,confirmed,x', // 4: no such date
			'F2025-000203,fx-a,2025-01-05,phone_call,-1,confirmed,x', // 5: bad source
			'F2025-000204,fx-a,2025-01-05,special_inspection,0,confirmed,x', // 6: zero points
			'F2025-000205,fx-a,2025-01-05,special_inspection,minus two,confirmed,x', // 7: not a number
			'F2025-000206,fx-a,2025-01-05,special_inspection,-1,recorded,x', // 8: status not in files
			'F2025-000200,fx-a,2025-01-05,special_inspection,-1,confirmed,dup', // 9: number repeats line 2
			'bad no,fx-a,2025-01-05,special_inspection,-1,confirmed,x', // 10: bad number
			',,,,,,' // 11: empty cells → skipped as a blank row
		);
		const result = await run(bytes);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'department_code'],
			[4, 'date'],
			[5, 'source'],
			[6, 'points'],
			[7, 'points'],
			[8, 'status'],
			[9, 'finding_no'],
			[10, 'finding_no']
		]);
		const byLine = new Map(result.errors.map((e) => [e.line, e.message]));
		expect(byLine.get(3)).toBe(messageOf('department_unknown', { code: 'nope' }, 'en'));
		expect(byLine.get(6)).toBe(messageOf('finding_points_zero', {}, 'en'));
		expect(byLine.get(9)).toBe(
			messageOf('duplicate_key_line', { value: 'F2025-000200', line: 2 }, 'en')
		);
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('reports problems in the chosen language and a missing column in the header', async () => {
		const zh = await run(
			csv(HEADER, 'F2025-000300,fx-a,2025-01-05,special_inspection,0,confirmed,x'),
			'zh-CN'
		);
		expect(zh.ok).toBe(false);
		if (!zh.ok) expect(zh.errors[0]!.message).toBe(messageOf('finding_points_zero', {}, 'zh-CN'));

		const noStatus = await run(
			csv(
				'finding_no,department_code,date,source,points,description',
				'F2025-000301,fx-a,2025-01-05,special_inspection,-1,x'
			)
		);
		expect(noStatus.ok).toBe(false);
		if (!noStatus.ok)
			expect(noStatus.errors).toEqual([
				{
					line: 1,
					column: 'status',
					message: m.imports_missing_column({ column: 'status' }, { locale: 'en' })
				}
			]);
	});
});
