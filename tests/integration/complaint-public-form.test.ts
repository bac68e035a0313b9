// The public form's filing on both databases: the same complaint sent again from the same address
// (a refresh of the result page resubmits it) files nothing more and counts nothing against the
// address; another address, or other words, file anew; two copies sent at once file one; an
// enterprise account's filing is its own; the departments offered are the active ones by category.
import { count, eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import { complaint } from '$lib/server/db/schema';
import { filePublicComplaint, filerOf } from '$lib/server/complaints/public-pages';
import { activeByCategory } from '$lib/server/departments/options';
import * as departments from '$lib/server/departments';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { describeEachDatabase } from '../helpers/db';

const form = (department: string, over: Record<string, unknown> = {}) =>
	complaintFormSchema.parse({
		department_code: department,
		category: 'inaction',
		summary: '报警后派出所一直没有出警',
		name: '王五',
		contact: '13900001111',
		...over
	});

describeEachDatabase('the public complaint form', (t) => {
	let dept: { id: number; code: string };
	let vertical: { code: string };
	let retired: { code: string; nameZh: string; nameEn: string };
	const now = new Date('2026-09-28T10:00:00+08:00');

	beforeAll(async () => {
		dept = await makeDepartment(t.db);
		vertical = await makeDepartment(t.db, { category: 'vertical' });
		retired = await makeDepartment(t.db);
		await t.db.transaction((tx) =>
			departments.update(tx, retired.code, { ...retired, active: false }, testActor)
		);
	});

	const numbers = async (nos: string[]) =>
		(
			await t.db.select({ n: count() }).from(complaint).where(inArray(complaint.complaintNo, nos))
		)[0]!.n;

	it('files the same complaint from the same address once, and says its number again', async () => {
		const opts = { address: '10.30.0.1', filedBy: null, now };
		const first = await filePublicComplaint(t.db, form(dept.code), opts);
		expect(first.kind).toBe('filed');
		const again = await filePublicComplaint(t.db, form(dept.code), {
			...opts,
			now: new Date(now.getTime() + 60_000)
		});
		expect(again).toEqual({ kind: 'resent', complaintNo: first.complaintNo });
		expect(again).not.toHaveProperty('trackingCode');
		// Sent again many times, it is never throttled: nothing more was filed.
		for (let i = 0; i < 6; i++)
			expect((await filePublicComplaint(t.db, form(dept.code), opts)).kind).toBe('resent');
		// Other words, or another address, file anew.
		const other = await filePublicComplaint(t.db, form(dept.code, { summary: '另一件事' }), opts);
		const elsewhere = await filePublicComplaint(t.db, form(dept.code), {
			...opts,
			address: '10.30.0.2'
		});
		expect(other.kind).toBe('filed');
		expect(elsewhere.kind).toBe('filed');
		expect(new Set([first, other, elsewhere].map((f) => f.complaintNo)).size).toBe(3);
	});

	it('files one complaint of two copies sent at once', async () => {
		const opts = { address: '10.30.0.3', filedBy: null, now };
		const both = await Promise.all([
			filePublicComplaint(t.db, form(dept.code, { summary: '双击' }), opts),
			filePublicComplaint(t.db, form(dept.code, { summary: '双击' }), opts)
		]);
		expect(both.map((f) => f.kind).sort()).toEqual(['filed', 'resent']);
		expect(both[0]!.complaintNo).toBe(both[1]!.complaintNo);
		expect(await numbers([both[0]!.complaintNo])).toBe(1);
	});

	it("files an enterprise account's complaint as its own, anyone else's as nobody's", async () => {
		const account = await makeUser(t.db, { role: 'enterprise' });
		const p = { ...principalOf(account.id, 'enterprise'), label: 'acme' };
		expect(filerOf(p)).toEqual({ id: account.id, label: 'acme' });
		expect(filerOf(principalOf(account.id, 'supervisor'))).toBeNull();
		expect(filerOf({ ...p, kind: 'api', id: null })).toBeNull();
		expect(filerOf(null)).toBeNull();
		const f = await filePublicComplaint(t.db, form(dept.code, { summary: '企业投诉' }), {
			address: '10.30.0.4',
			filedBy: filerOf(p),
			now
		});
		const [c] = await t.db
			.select({ filedBy: complaint.filedBy })
			.from(complaint)
			.where(eq(complaint.complaintNo, f.complaintNo));
		expect(c!.filedBy).toBe(account.id);
	});

	it('offers the active departments by their category, the inactive not at all', async () => {
		const groups = await activeByCategory(t.db, 2026);
		const codes = (c: string | null) =>
			groups.find((g) => g.category === c)?.departments.map((d) => d.code) ?? [];
		expect(codes('municipal')).toContain(dept.code);
		expect(codes('vertical')).toContain(vertical.code);
		expect(groups.flatMap((g) => g.departments.map((d) => d.code))).not.toContain(retired.code);
		expect(groups.map((g) => g.category)).toEqual(
			['municipal', 'vertical', null].filter((c) => groups.some((g) => g.category === c))
		);
	});
});
