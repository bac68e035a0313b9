// A campaign's sample through the database: drawn reproducibly from its seed, stratified, replaced
// only while no invitation exists and the campaign is open, or imported as a call list (all or
// nothing); units assigned to supervisors; phone numbers masked per reader, reveals audited.
import { and, asc, count, eq, like } from 'drizzle-orm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Principal } from '$lib/server/auth/guard';
import type { Database } from '$lib/server/db';
import {
	auditEntry,
	campaign,
	campaignSample,
	enterprise,
	invitation,
	sampleUnit
} from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode as refusal } from '../helpers/refusal';
import { makeUser, principalOf as principal, testActor, unique } from '../factories';
import { makeCampaign } from '../factories/records';

const en = { locale: 'en' } as const;
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');

/** 100 enterprises: townships 50 / 30 / 20, industries 60 / 40, phones 1380000xxxx. */
async function seedRegister(db: Database) {
	const values = Array.from({ length: 100 }, (_, i) => ({
		uscc: `T${String(i).padStart(17, '0')}`,
		name: `企业${i}`,
		township: i < 50 ? '燕西街道' : i < 80 ? '燕东街道' : '贡川镇',
		industry: i % 5 < 3 ? '制造业' : '服务业',
		contactPhone: `1380000${String(i).padStart(4, '0')}`
	}));
	await db.insert(enterprise).values(values);
}

async function unitsOf(db: Database, code: string) {
	return db
		.select({
			enterpriseId: sampleUnit.enterpriseId,
			position: sampleUnit.position,
			stratum: sampleUnit.stratum,
			phone: sampleUnit.phone,
			name: sampleUnit.name
		})
		.from(sampleUnit)
		.innerJoin(campaign, eq(campaign.id, sampleUnit.campaignId))
		.where(eq(campaign.code, code))
		.orderBy(asc(sampleUnit.position));
}

async function auditCount(db: Database, action: string) {
	const [r] = await db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, action));
	return r!.n;
}

describeEachDatabase('samples', (t) => {
	const newCampaign = () => makeCampaign(t.db, { year: 2026, code: unique('smp') });
	const drawIn = (code: string, size: number, seed: number, stratify = 'none' as const) =>
		surveys.drawSample(t.db, { campaignCode: code, size, seed, stratify }, testActor);

	it('draws the same enterprises from the same seed, another sample from another', async () => {
		await seedRegister(t.db);
		const a = await newCampaign();
		const b = await newCampaign();
		await drawIn(a.code, 20, 4242);
		await drawIn(b.code, 20, 4242);
		const ua = await unitsOf(t.db, a.code);
		const ub = await unitsOf(t.db, b.code);
		expect(ua).toHaveLength(20);
		expect(ub).toEqual(ua);
		// Names and phones copied from the register.
		expect(ua[0]!.phone).toMatch(/^1380000\d{4}$/);
		const c = await newCampaign();
		await drawIn(c.code, 20, 4243);
		expect((await unitsOf(t.db, c.code)).map((u) => u.enterpriseId)).not.toEqual(
			ua.map((u) => u.enterpriseId)
		);
		const [s] = await t.db.select().from(campaignSample).where(eq(campaignSample.campaignId, a.id));
		expect(s).toMatchObject({ source: 'drawn', seed: 4242, size: 20, stratify: 'none' });
	});

	it('gives each township its proportional share', async () => {
		const c = await newCampaign();
		const result = await surveys.drawSample(
			t.db,
			{ campaignCode: c.code, size: 10, seed: 7, stratify: 'township' },
			testActor
		);
		expect(result.strata).toEqual([
			{ stratum: '燕东街道', population: 30, drawn: 3 },
			{ stratum: '燕西街道', population: 50, drawn: 5 },
			{ stratum: '贡川镇', population: 20, drawn: 2 }
		]);
		const units = await unitsOf(t.db, c.code);
		const per = (s: string) => units.filter((u) => u.stratum === s).length;
		expect([per('燕西街道'), per('燕东街道'), per('贡川镇')]).toEqual([5, 3, 2]);
		const byIndustry = await newCampaign();
		await surveys.drawSample(
			t.db,
			{ campaignCode: byIndustry.code, size: 10, seed: 7, stratify: 'industry' },
			testActor
		);
		const iu = await unitsOf(t.db, byIndustry.code);
		expect(iu.filter((u) => u.stratum === '制造业')).toHaveLength(6);
		expect(iu.filter((u) => u.stratum === '服务业')).toHaveLength(4);
	});

	it('replaces a sample on a redraw, audited with the sample before', async () => {
		const c = await newCampaign();
		const before = await auditCount(t.db, 'sample.draw');
		await drawIn(c.code, 10, 1);
		await drawIn(c.code, 15, 2);
		expect(await unitsOf(t.db, c.code)).toHaveLength(15);
		expect(await auditCount(t.db, 'sample.draw')).toBe(before + 2);
		const entries = await t.db
			.select({ changes: auditEntry.changes })
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'sample.draw'), eq(auditEntry.entityId, c.code)))
			.orderBy(asc(auditEntry.seq));
		expect(entries[1]!.changes).toMatchObject({
			sample: {
				before: { seed: 1, size: 10, units: 10 },
				after: { seed: 2, size: 15, units: 15 }
			}
		});
		// No phone number or name in the trail.
		expect(JSON.stringify(entries)).not.toMatch(/1380000/);
	});

	it('refuses an unknown campaign, a closed one, and one with invitations', async () => {
		expect(await refusal(drawIn('no-such-campaign', 5, 1))).toBe('sample_campaign_not_found');
		const closed = await newCampaign();
		await t.db.update(campaign).set({ state: 'closed' }).where(eq(campaign.id, closed.id));
		expect(await refusal(drawIn(closed.code, 5, 1))).toBe('sample_campaign_closed');

		const invited = await newCampaign();
		await drawIn(invited.code, 5, 1);
		const [unit] = await t.db
			.select({ id: sampleUnit.id })
			.from(sampleUnit)
			.where(eq(sampleUnit.campaignId, invited.id))
			.limit(1);
		await t.db.insert(invitation).values({
			campaignId: invited.id,
			sampleUnitId: unit!.id,
			tokenHash: unique('hash'),
			cardNo: unique('card')
		});
		const units = await unitsOf(t.db, invited.code);
		expect(await refusal(drawIn(invited.code, 8, 2))).toBe('sample_has_invitations');
		const file = csv('phone,name,township', '13900000001,张三,燕西街道');
		expect(await refusal(surveys.importCallList(t.db, invited.code, file, en, testActor))).toBe(
			'sample_has_invitations'
		);
		expect(await unitsOf(t.db, invited.code)).toEqual(units);
	});

	it('imports a call list all or nothing, with every bad line, and twice is once', async () => {
		const c = await newCampaign();
		const bad = csv(
			'电话,名称,乡镇',
			'13900000001,张三,燕西街道',
			'not-a-phone,李四,燕东街道',
			'13900000003,,贡川镇',
			'13900000001,王五,燕西街道'
		);
		const refused = await surveys.importCallList(t.db, c.code, bad, en, testActor);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'phone'],
			[4, 'name'],
			[5, 'phone']
		]);
		expect(await unitsOf(t.db, c.code)).toEqual([]);

		const good = csv(
			'phone,name,township,industry',
			'13900000001,张三,燕西街道,制造业',
			'13900000002,李四,燕东街道,'
		);
		const before = await auditCount(t.db, 'sample.import_call_list');
		expect(await surveys.importCallList(t.db, c.code, good, en, testActor)).toMatchObject({
			ok: true,
			rows: 2,
			created: 2
		});
		expect(await surveys.importCallList(t.db, c.code, good, en, testActor)).toMatchObject({
			ok: true,
			created: 0,
			unchanged: 2
		});
		expect(await auditCount(t.db, 'sample.import_call_list')).toBe(before + 1);
		const units = await unitsOf(t.db, c.code);
		expect(units.map((u) => [u.position, u.name, u.phone, u.enterpriseId])).toEqual([
			[1, '张三', '13900000001', null],
			[2, '李四', '13900000002', null]
		]);
		const [s] = await t.db.select().from(campaignSample).where(eq(campaignSample.campaignId, c.id));
		expect(s).toMatchObject({ source: 'call_list', seed: null, size: 2 });
		// A call list without the optional industry column is read too.
		const noIndustry = csv('phone,name,township', '13900000009,赵六,燕西街道');
		expect(await surveys.importCallList(t.db, c.code, noIndustry, en, testActor)).toMatchObject({
			ok: true,
			created: 1
		});
	});

	it('assigns units to a supervisor, audited; refuses a non-supervisor', async () => {
		const c = await newCampaign();
		await drawIn(c.code, 10, 3);
		const sup = await makeUser(t.db, { role: 'supervisor' });
		const leader = await makeUser(t.db, { role: 'leader' });
		const before = await auditCount(t.db, 'sample.assign');
		expect(await surveys.assignUnits(t.db, c.code, { count: 4 }, sup.id, testActor)).toEqual({
			assigned: 4
		});
		expect(
			await refusal(surveys.assignUnits(t.db, c.code, { count: 1 }, leader.id, testActor))
		).toBe('sample_not_a_supervisor');
		const assigned = await t.db
			.select({ position: sampleUnit.position })
			.from(sampleUnit)
			.where(and(eq(sampleUnit.campaignId, c.id), eq(sampleUnit.assignedTo, sup.id)))
			.orderBy(asc(sampleUnit.position));
		expect(assigned.map((u) => u.position)).toEqual([1, 2, 3, 4]);
		expect(await auditCount(t.db, 'sample.assign')).toBe(before + 1);
		const [entry] = await t.db
			.select({ changes: auditEntry.changes })
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'sample.assign'), eq(auditEntry.entityId, c.code)));
		expect(entry!.changes).toMatchObject({
			supervisor: { after: sup.username },
			positions: { after: '1-4' }
		});

		const progress = await surveys.sampleProgress(t.db, c.code);
		expect(progress.bySupervisor).toEqual([
			{ userId: sup.id, name: 'Test User', assigned: 4, responded: 0 }
		]);
		expect(progress.byStratum).toEqual([{ stratum: '', units: 10, assigned: 4, responded: 0 }]);

		await surveys.assignUnits(t.db, c.code, { count: 100 }, sup.id, testActor);
		expect(await refusal(surveys.assignUnits(t.db, c.code, { count: 1 }, sup.id, testActor))).toBe(
			'sample_nothing_to_assign'
		);
		expect(
			await refusal(surveys.assignUnits(t.db, c.code, { unitIds: [-1] }, sup.id, testActor))
		).toBe('sample_unit_not_found');
	});

	it('gives hand-picked units to another supervisor and takes them back, audited', async () => {
		const c = await newCampaign();
		await drawIn(c.code, 6, 5);
		const [a, b] = [
			await makeUser(t.db, { role: 'supervisor' }),
			await makeUser(t.db, { role: 'supervisor' })
		];
		await surveys.assignUnits(t.db, c.code, { count: 6 }, a.id, testActor);
		const units = await t.db
			.select({ id: sampleUnit.id, position: sampleUnit.position })
			.from(sampleUnit)
			.where(eq(sampleUnit.campaignId, c.id))
			.orderBy(asc(sampleUnit.position));
		const picked = [units[1]!.id, units[4]!.id];
		expect(await surveys.assignUnits(t.db, c.code, { unitIds: picked }, b.id, testActor)).toEqual({
			assigned: 2
		});
		const holders = async () =>
			(
				await t.db
					.select({ position: sampleUnit.position, to: sampleUnit.assignedTo })
					.from(sampleUnit)
					.where(eq(sampleUnit.campaignId, c.id))
					.orderBy(asc(sampleUnit.position))
			).map((u) => (u.to === a.id ? 'a' : u.to === b.id ? 'b' : '-'));
		expect(await holders()).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);

		const before = await auditCount(t.db, 'sample.unassign');
		await surveys.assignUnits(t.db, c.code, { unitIds: [units[4]!.id] }, null, testActor);
		expect(await holders()).toEqual(['a', 'b', 'a', 'a', '-', 'a']);
		expect(await auditCount(t.db, 'sample.unassign')).toBe(before + 1);
		const [entry] = await t.db
			.select({ changes: auditEntry.changes })
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'sample.unassign'), eq(auditEntry.entityId, c.code)));
		expect(entry!.changes).toEqual({
			units: { before: null, after: 1 },
			positions: { before: null, after: '5' }
		});
		// Taking back is for hand-picked units only: "the next n" has no meaning there.
		expect(await refusal(surveys.assignUnits(t.db, c.code, { count: 1 }, null, testActor))).toBe(
			'sample_unit_not_found'
		);
	});

	it('masks phone numbers except for an admin and the assigned supervisor; reveals audited', async () => {
		const c = await newCampaign();
		await drawIn(c.code, 6, 9);
		const mine = await makeUser(t.db, { role: 'supervisor' });
		const other = await makeUser(t.db, { role: 'supervisor' });
		await surveys.assignUnits(t.db, c.code, { count: 3 }, mine.id, testActor);
		const list = (p: Principal) =>
			surveys.listSampleUnits(t.db, p, c.code, { page: 1, pageSize: 50 });
		const digits = /^1380000\d{4}$/;
		const masked = /^138\*{4}\d{4}$/;

		const admin = (await list(principal(1, 'admin')))!;
		expect(admin.total).toBe(6);
		for (const u of admin.rows) expect(u.phone).toMatch(digits);

		const own = (await list(principal(mine.id, 'supervisor')))!;
		expect(own.rows.slice(0, 3).map((u) => digits.test(u.phone))).toEqual([true, true, true]);
		expect(own.rows.slice(3).map((u) => masked.test(u.phone))).toEqual([true, true, true]);

		const others = (await list(principal(other.id, 'supervisor')))!;
		for (const u of others.rows) expect(u.phone).toMatch(masked);

		const leader = (await list(principal(99, 'leader')))!;
		for (const u of leader.rows) {
			expect(u.phone).toMatch(masked);
			expect(u.name).toMatch(/^企\*+$/);
		}
		expect(await list(principal(98, 'liaison'))).toBeNull();
		expect(await list(principal(97, 'enterprise'))).toBeNull();

		const mineOnly = (await surveys.listSampleUnits(
			t.db,
			principal(mine.id, 'supervisor'),
			c.code,
			{
				page: 1,
				pageSize: 50,
				assignedTo: mine.id
			}
		))!;
		expect(mineOnly.total).toBe(3);

		const unitId = own.rows[0]!.id;
		const before = await auditCount(t.db, 'sample.reveal_phone');
		const revealed = await surveys.revealPhone(
			t.db,
			principal(mine.id, 'supervisor'),
			unitId,
			testActor
		);
		expect(revealed.phone).toMatch(digits);
		expect(await auditCount(t.db, 'sample.reveal_phone')).toBe(before + 1);
		for (const p of [
			principal(other.id, 'supervisor'),
			principal(99, 'leader'),
			principal(98, 'liaison')
		]) {
			expect(await refusal(surveys.revealPhone(t.db, p, unitId, testActor))).toBe(
				'sample_reveal_forbidden'
			);
			// A unit that does not exist: the same refusal.
			expect(await refusal(surveys.revealPhone(t.db, p, 2_000_000_000, testActor))).toBe(
				'sample_reveal_forbidden'
			);
		}
		expect(await auditCount(t.db, 'sample.reveal_phone')).toBe(before + 1);
	});

	it('keeps the industry of the enterprises file, and the stored one when the column is absent', async () => {
		const { importEnterprises } = await import('$lib/server/enterprises/import');
		const uscc = '91350100M000100Y43';
		// Only industry may be left out of the header, not the columns of old.
		const withColumn = csv('uscc,name,industry', `${uscc},星辰机械,制造业`);
		const full = csv(
			'uscc,name,address,township,contact_name,contact_phone,行业',
			`${uscc},星辰机械,,,,,制造业`
		);
		expect((await importEnterprises(t.db, withColumn, en, testActor)).ok).toBe(false);
		expect(await importEnterprises(t.db, full, en, testActor)).toMatchObject({ ok: true });
		const without = csv(
			'uscc,name,address,township,contact_name,contact_phone',
			`${uscc},星辰机械有限公司,,,,`
		);
		expect(await importEnterprises(t.db, without, en, testActor)).toMatchObject({
			ok: true,
			updated: 1
		});
		const [e] = await t.db.select().from(enterprise).where(like(enterprise.uscc, uscc));
		expect(e).toMatchObject({ name: '星辰机械有限公司', industry: '制造业' });
	});

	it('sample draw on the command line: the same sample as the verb, text and JSON', async () => {
		const a = await newCampaign();
		const b = await newCampaign();
		const out = await runCli(t.handle, ['sample', 'draw'], {
			campaign: a.code,
			size: '10',
			seed: '31337',
			stratify: 'township'
		});
		expect(out.json).toMatchObject({
			sample: { campaignCode: a.code, drawn: 10, seed: 31337, stratify: 'township' }
		});
		expect(out.text[0]).toContain('Drew 10 enterprises');
		// The enterprise of the test before has no township: a stratum of its own, too small.
		expect(out.text.slice(1)).toEqual([
			'  —: 0 of 1',
			'  燕东街道: 3 of 30',
			'  燕西街道: 5 of 50',
			'  贡川镇: 2 of 20'
		]);
		await surveys.drawSample(
			t.db,
			{ campaignCode: b.code, size: 10, seed: 31337, stratify: 'township' },
			testActor
		);
		const ids = async (code: string) => (await unitsOf(t.db, code)).map((u) => u.enterpriseId);
		expect(await ids(b.code)).toEqual(await ids(a.code));
		await expect(
			runCli(t.handle, ['sample', 'draw'], { campaign: a.code, size: '0', seed: '1' })
		).rejects.toMatchObject({ code: 'invalid_input' });
	});

	it('import call-list on the command line', async () => {
		const c = await newCampaign();
		const dir = mkdtempSync(join(tmpdir(), 'pingyi-call-list-'));
		try {
			const file = join(dir, 'list.csv');
			writeFileSync(file, '电话,名称,乡镇\n13900000001,张三,燕西街道\n');
			const out = await runCli(t.handle, ['import', 'call-list', file], { campaign: c.code });
			expect(out.json).toMatchObject({ kind: 'call-list', rows: 1, created: 1 });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
