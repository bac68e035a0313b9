// Example departments (issue 7, item 10): created on first start as examples with categories from
// the current year, deleted while nothing refers to them (and only then), adopted by an import or
// an edit that names them; and a category set for an earlier year leaves no redundant row.
import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import * as audit from '$lib/server/audit';
import * as apiTokens from '$lib/server/auth/api-token';
import { bootstrap } from '$lib/server/bootstrap';
import type { Database } from '$lib/server/db';
import {
	auditEntry,
	department,
	departmentCategoryHistory,
	departmentExemption
} from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import { importDepartments } from '$lib/server/departments/import';
import { describeEachDatabase } from '../helpers/db';
import { refusal } from '../helpers/refusal';
import { makeDepartment, makeUser, testActor } from '../factories';
import {
	makeCampaign,
	makeCase,
	makeComplaint,
	makeFinding,
	makeResponse
} from '../factories/records';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent
} from '../factories/snapshots';

const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
const HEADER = 'code,name_zh,name_en,category,superior_authority,exempt_years';

async function categoriesOf(db: Database, code: string) {
	const d = await departments.getByCode(db, code);
	return [...(d?.categories ?? [])].reverse();
}

async function exampleCodes(db: Database) {
	const rows = await db
		.select({ code: department.code })
		.from(department)
		.where(eq(department.example, true))
		.orderBy(asc(department.code));
	return rows.map((r) => r.code);
}

describeEachDatabase('example departments', (t) => {
	const year = currentYear();

	it('are created on first start as examples, their categories from the current year', async () => {
		await bootstrap(t.db, { ADMIN_PASSWORD: 'a-long-password-1' }, () => {});
		expect(await exampleCodes(t.db)).toEqual(EXAMPLE_DEPARTMENTS.map((d) => d.code).sort());
		expect(await departments.exampleCount(t.db)).toBe(EXAMPLE_DEPARTMENTS.length);
		const history = await t.db.select().from(departmentCategoryHistory);
		expect(history).toHaveLength(EXAMPLE_DEPARTMENTS.length);
		expect(new Set(history.map((h) => h.fromYear))).toEqual(new Set([year]));
		// A department made otherwise is no example.
		const own = await makeDepartment(t.db, { code: 'own' });
		expect(own.example).toBe(false);
	});

	it('refuses to delete a department anything refers to, naming what does', async () => {
		// fgj: a liaison, a case, a complaint, a finding, a response; czj: a published result and
		// a rectification; jyj: an API token.
		await makeUser(t.db, { role: 'liaison', departmentCode: 'fgj', username: 'li-fgj' });
		await makeCase(t.db, { department: 'fgj', accepted: '2025-03-03 09:00', promised: 3 });
		await makeComplaint(t.db, { department: 'fgj', received: '2025-03-03 09:00' });
		await makeFinding(t.db, { department: 'fgj', date: '2025-03-03', points: -1 });
		const campaign = await makeCampaign(t.db, { year: 2025 });
		await makeResponse(t.db, { campaignId: campaign.id, answers: { fgj: [5, 5, 5, 5, 5, 5] } });
		const published = await makeSnapshot(t.db, snapshotContent(2024, [departmentResult('czj')]), {
			revision: 1
		});
		const czj = await departments.getByCode(t.db, 'czj');
		await makeRectification(t.db, {
			year: 2024,
			departmentId: czj!.id,
			snapshotId: published.id,
			deadline: '2025-03-31'
		});
		await apiTokens.create(
			t.db,
			{ name: 'jyj system', role: 'liaison', departmentCode: 'jyj' },
			testActor
		);

		expect(await departments.references(t.db, 'fgj')).toEqual({
			users: 1,
			cases: 1,
			complaints: 1,
			findings: 1,
			responses: 1
		});
		expect(await departments.references(t.db, 'czj')).toEqual({ rectifications: 1, results: 1 });
		expect(await departments.references(t.db, 'jyj')).toEqual({ tokens: 1 });
		expect(await departments.references(t.db, 'jtj')).toEqual({});

		for (const code of ['fgj', 'czj', 'jyj']) {
			expect(await refusal(departments.remove(t.db, code, testActor))).toEqual({
				code: 'department_referenced',
				field: undefined
			});
			expect(await departments.getByCode(t.db, code)).not.toBeNull();
		}
		// The sentence names what refers, in either language.
		let error: unknown;
		await departments.remove(t.db, 'fgj', testActor).catch((e) => (error = e));
		const e = error as { code: 'department_referenced'; params: Record<string, number> };
		expect(messageOf(e.code, e.params, 'en')).toBe(
			'Department fgj is still referred to and cannot be deleted: users: 1, findings: 1, service cases: 1, complaints: 1, responses: 1.'
		);
		expect(messageOf(e.code, e.params, 'zh-CN')).toContain('办件 1 件');
		expect(await refusal(departments.remove(t.db, 'no-such', testActor))).toMatchObject({
			code: 'department_not_found'
		});
	});

	it('deletes a department nothing refers to, with its history, and audits it', async () => {
		await departments.addExemption(t.db, 'jtj', { year: 2025, reason: '试点' }, testActor);
		const jtj = await departments.getByCode(t.db, 'jtj');
		await departments.remove(t.db, 'jtj', testActor);
		expect(await departments.getByCode(t.db, 'jtj')).toBeNull();
		expect(
			await t.db
				.select()
				.from(departmentExemption)
				.where(eq(departmentExemption.departmentId, jtj!.id))
		).toEqual([]);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'department.remove'), eq(auditEntry.entityId, 'jtj')));
		expect(entry!.changes).toMatchObject({
			code: { before: 'jtj', after: null },
			example: { before: true, after: null },
			categories: { before: [{ fromYear: year, category: 'municipal' }], after: null },
			exemptYears: { before: [2025], after: null }
		});
	});

	it('an edited or imported example becomes a real department', async () => {
		const jsj = await departments.getByCode(t.db, 'jsj');
		await departments.update(
			t.db,
			'jsj',
			{ nameZh: '市住房和城乡建设局', nameEn: jsj!.nameEn, active: true },
			testActor
		);
		const result = await importDepartments(
			t.db,
			csv(HEADER, 'gsj,市税务局,Taxation Bureau,vertical,三明市税务局,'),
			{ year, locale: 'en' },
			testActor
		);
		expect(result).toMatchObject({ ok: true, updated: 1 });
		expect(await exampleCodes(t.db)).not.toContain('jsj');
		expect(await exampleCodes(t.db)).not.toContain('gsj');
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'department.update'), eq(auditEntry.entityId, 'gsj')));
		expect(entry!.changes).toMatchObject({ example: { before: true, after: false } });
	});

	it('removes the unused examples only', async () => {
		const before = await exampleCodes(t.db);
		// fgj, czj and jyj are referred to; jtj was deleted; jsj and gsj are real now.
		const removed = await departments.removeUnusedExamples(t.db, testActor);
		expect(removed).toEqual(before.filter((c) => !['fgj', 'czj', 'jyj'].includes(c)));
		expect(await exampleCodes(t.db)).toEqual(['czj', 'fgj', 'jyj']);
		for (const code of ['jsj', 'gsj', 'own'])
			expect(await departments.getByCode(t.db, code)).not.toBeNull();
		expect(await departments.removeUnusedExamples(t.db, testActor)).toEqual([]);
		expect(await departments.exampleCount(t.db)).toBe(3);
	});

	it('a category import for an earlier year leaves no redundant history row', async () => {
		// fgj is municipal from this year (an example); the real list says municipal from 2024.
		const r = await importDepartments(
			t.db,
			csv(HEADER, 'fgj,市发展和改革局,Development and Reform Bureau,municipal,,'),
			{ year: 2024, locale: 'en' },
			testActor
		);
		expect(r).toMatchObject({ ok: true, updated: 1 });
		expect(await categoriesOf(t.db, 'fgj')).toEqual([{ fromYear: 2024, category: 'municipal' }]);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(and(eq(auditEntry.action, 'department.update'), eq(auditEntry.entityId, 'fgj')));
		expect(entry!.changes).toMatchObject({
			categories: {
				before: [{ fromYear: year, category: 'municipal' }],
				after: [{ fromYear: 2024, category: 'municipal' }]
			}
		});
		// The same file again changes nothing; another category for an earlier year keeps the
		// later row, which still says something.
		expect(
			await importDepartments(
				t.db,
				csv(HEADER, 'fgj,市发展和改革局,Development and Reform Bureau,municipal,,'),
				{ year: 2024, locale: 'en' },
				testActor
			)
		).toMatchObject({ ok: true, updated: 0, unchanged: 1 });
		await importDepartments(
			t.db,
			csv(HEADER, 'fgj,市发展和改革局,Development and Reform Bureau,vertical,三明市发改委,'),
			{ year: 2020, locale: 'en' },
			testActor
		);
		expect(await categoriesOf(t.db, 'fgj')).toEqual([
			{ fromYear: 2020, category: 'vertical' },
			{ fromYear: 2024, category: 'municipal' }
		]);
		// Setting 2024's row to what 2020 says makes it redundant: it goes.
		await importDepartments(
			t.db,
			csv(HEADER, 'fgj,市发展和改革局,Development and Reform Bureau,vertical,三明市发改委,'),
			{ year: 2024, locale: 'en' },
			testActor
		);
		expect(await categoriesOf(t.db, 'fgj')).toEqual([{ fromYear: 2020, category: 'vertical' }]);
	});

	it('the category form for an earlier year leaves no redundant row either', async () => {
		// czj: municipal from this year (an example).
		await departments.setCategory(
			t.db,
			'czj',
			{ fromYear: 2023, category: 'municipal' },
			testActor
		);
		expect(await categoriesOf(t.db, 'czj')).toEqual([{ fromYear: 2023, category: 'municipal' }]);
	});

	it('leaves the audit chain intact', async () => {
		expect((await audit.verify(t.db)).ok).toBe(true);
	});
});
