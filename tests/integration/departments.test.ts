// Departments: the verbs the pages call, against a real database. Every change leaves an audit
// entry with its before/after diff; category and exemptions keep their history per year.
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { isValidDepartmentCode } from '$lib/schemas/departments';
import * as audit from '$lib/server/audit';
import { bootstrap } from '$lib/server/bootstrap';
import type { Database, Tx } from '$lib/server/db';
import { auditEntry, departmentCategoryHistory, user } from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import { EXAMPLE_DEPARTMENTS } from '$lib/server/departments/examples';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';
import { refusal } from '../helpers/refusal';

// Explicit "now" for the verbs that depend on the current year: 2025 in Asia/Shanghai.
const NOW = new Date('2025-06-01T08:00:00+08:00');

function entriesFor(db: Database, code: string) {
	return db
		.select()
		.from(auditEntry)
		.where(and(eq(auditEntry.entity, 'department'), eq(auditEntry.entityId, code)))
		.orderBy(asc(auditEntry.seq));
}

describeEachDatabase('departments', (t) => {
	const tx = <T>(fn: (x: Tx) => Promise<T>) => t.db.transaction(fn);

	it('creates a department with its category, exemptions and an audit entry', async () => {
		const d = await tx((x) =>
			departments.create(
				x,
				{
					code: 'gsj',
					nameZh: ' 市国家税务局 ',
					nameEn: 'State Taxation Bureau',
					category: 'vertical',
					fromYear: 2024,
					superiorAuthority: '三明市国家税务局',
					exemptions: [{ year: 2023, reason: '机构改革' }, { year: 2023 }]
				},
				testActor
			)
		);
		expect(d).toMatchObject({ code: 'gsj', nameZh: '市国家税务局', active: true });

		const details = await departments.getByCode(t.db, 'gsj');
		expect(details?.categories).toEqual([{ fromYear: 2024, category: 'vertical' }]);
		expect(details?.exemptions).toEqual([{ year: 2023, reason: '机构改革' }]);
		expect(details?.superiorAuthority).toBe('三明市国家税务局');

		const entries = await entriesFor(t.db, 'gsj');
		expect(entries).toHaveLength(1);
		expect(entries[0]!.action).toBe('department.create');
		expect(entries[0]!.actorLabel).toBe('test');
		expect(entries[0]!.changes).toMatchObject({
			code: { before: null, after: 'gsj' },
			nameZh: { before: null, after: '市国家税务局' },
			superiorAuthority: { before: null, after: '三明市国家税务局' },
			categories: { before: null, after: [{ fromYear: 2024, category: 'vertical' }] },
			exemptYears: { before: null, after: [2023] }
		});
	});

	it('refuses a taken code, a bad code and the wrong superior authority', async () => {
		const base = { nameZh: '甲', nameEn: 'A', fromYear: 2024 };
		await makeDepartment(t.db, { code: 'taken' });
		expect(
			await refusal(
				tx((x) =>
					departments.create(x, { ...base, code: 'taken', category: 'municipal' }, testActor)
				)
			)
		).toEqual({ code: 'department_code_taken', field: 'code' });
		for (const code of ['new', 'Import', 'a b', '-x', '']) {
			expect(
				await refusal(
					tx((x) => departments.create(x, { ...base, code, category: 'municipal' }, testActor))
				)
			).toEqual({ code: 'department_code_format', field: 'code' });
		}
		expect(
			await refusal(
				tx((x) => departments.create(x, { ...base, code: 'v1', category: 'vertical' }, testActor))
			)
		).toEqual({ code: 'superior_authority_required', field: 'superiorAuthority' });
		expect(
			await refusal(
				tx((x) =>
					departments.create(
						x,
						{ ...base, code: 'm1', category: 'municipal', superiorAuthority: '某上级' },
						testActor
					)
				)
			)
		).toEqual({ code: 'superior_authority_forbidden', field: 'superiorAuthority' });
		// Nothing of the refused ones was written, not even an audit entry.
		for (const code of ['v1', 'm1']) {
			expect(await departments.getByCode(t.db, code)).toBeNull();
			expect(await entriesFor(t.db, code)).toEqual([]);
		}
	});

	it('updates names, superior authority and the active flag with a diff of what changed', async () => {
		await makeDepartment(t.db, { code: 'upd', nameZh: '旧名', nameEn: 'Old name' });
		await tx((x) =>
			departments.update(
				x,
				'upd',
				{ nameZh: '新名', nameEn: 'Old name', superiorAuthority: '', active: false },
				testActor,
				NOW
			)
		);
		const d = await departments.getByCode(t.db, 'upd');
		expect(d).toMatchObject({ nameZh: '新名', nameEn: 'Old name', active: false });
		const entries = await entriesFor(t.db, 'upd');
		expect(entries.map((e) => e.action)).toEqual(['department.create', 'department.update']);
		expect(entries[1]!.changes).toEqual({
			nameZh: { before: '旧名', after: '新名' },
			active: { before: true, after: false }
		});

		// Saving the same values again writes nothing and leaves no entry.
		await tx((x) =>
			departments.update(
				x,
				'upd',
				{ nameZh: '新名', nameEn: 'Old name', superiorAuthority: null, active: false },
				testActor,
				NOW
			)
		);
		expect(await entriesFor(t.db, 'upd')).toHaveLength(2);

		expect(
			await refusal(
				tx((x) =>
					departments.update(
						x,
						'upd',
						{ nameZh: '新名', nameEn: 'Old name', superiorAuthority: '某上级', active: true },
						testActor,
						NOW
					)
				)
			)
		).toEqual({ code: 'superior_authority_forbidden', field: 'superiorAuthority' });
		expect(
			await refusal(
				tx((x) =>
					departments.update(x, 'nope', { nameZh: 'x', nameEn: 'x', active: true }, testActor, NOW)
				)
			)
		).toEqual({ code: 'department_not_found', field: undefined });
	});

	it('keeps a vertical department’s superior authority required', async () => {
		await makeDepartment(t.db, { code: 'vert', category: 'vertical', superiorAuthority: '省局' });
		expect(
			await refusal(
				tx((x) =>
					departments.update(
						x,
						'vert',
						{ nameZh: '部门vert', nameEn: 'Department vert', superiorAuthority: ' ', active: true },
						testActor,
						NOW
					)
				)
			)
		).toEqual({ code: 'superior_authority_required', field: 'superiorAuthority' });
		await tx((x) =>
			departments.update(
				x,
				'vert',
				{ nameZh: '部门vert', nameEn: 'Department vert', superiorAuthority: '市局', active: true },
				testActor,
				NOW
			)
		);
		expect((await departments.getByCode(t.db, 'vert'))?.superiorAuthority).toBe('市局');
	});

	it('sets a category from a later year and keeps the history', async () => {
		const d = await makeDepartment(t.db, { code: 'hist', fromYear: 2020 });
		await tx((x) =>
			departments.setCategory(
				x,
				'hist',
				{ fromYear: 2026, category: 'vertical', superiorAuthority: '三明市某局' },
				testActor,
				NOW
			)
		);
		const details = await departments.getByCode(t.db, 'hist');
		expect(details?.categories).toEqual([
			{ fromYear: 2026, category: 'vertical' },
			{ fromYear: 2020, category: 'municipal' }
		]);
		// Vertical from next year on: it needs its superior authority already.
		expect(details?.superiorAuthority).toBe('三明市某局');
		expect(await departments.categoryFor(t.db, d.id, 2019)).toBeNull();
		expect(await departments.categoryFor(t.db, d.id, 2020)).toBe('municipal');
		expect(await departments.categoryFor(t.db, d.id, 2025)).toBe('municipal');
		expect(await departments.categoryFor(t.db, d.id, 2026)).toBe('vertical');
		expect(await departments.categoryFor(t.db, d.id, 2040)).toBe('vertical');

		const entries = await entriesFor(t.db, 'hist');
		expect(entries.at(-1)!.action).toBe('department.category');
		expect(entries.at(-1)!.changes).toEqual({
			categories: {
				before: [{ fromYear: 2020, category: 'municipal' }],
				after: [
					{ fromYear: 2020, category: 'municipal' },
					{ fromYear: 2026, category: 'vertical' }
				]
			},
			superiorAuthority: { before: null, after: '三明市某局' }
		});

		// The category in force already: nothing to do, said so.
		expect(
			await refusal(
				tx((x) =>
					departments.setCategory(
						x,
						'hist',
						{ fromYear: 2022, category: 'municipal' },
						testActor,
						NOW
					)
				)
			)
		).toEqual({ code: 'category_unchanged', field: 'category' });

		// Back to municipal from 2026 on: no longer vertical now or later, the authority goes; the
		// 2026 row would repeat 2020's, so the history is one row again (no redundant row).
		await tx((x) =>
			departments.setCategory(x, 'hist', { fromYear: 2026, category: 'municipal' }, testActor, NOW)
		);
		const after = await departments.getByCode(t.db, 'hist');
		expect(after?.categories).toEqual([{ fromYear: 2020, category: 'municipal' }]);
		expect(after?.superiorAuthority).toBeNull();
	});

	it('refuses to make a department vertical without a superior authority', async () => {
		await makeDepartment(t.db, { code: 'nosup', fromYear: 2020 });
		expect(
			await refusal(
				tx((x) =>
					departments.setCategory(
						x,
						'nosup',
						{ fromYear: 2025, category: 'vertical' },
						testActor,
						NOW
					)
				)
			)
		).toEqual({ code: 'superior_authority_required', field: 'superiorAuthority' });
		// The transaction rolled back: no row of 2025, no entry.
		const rowsOf = await t.db
			.select()
			.from(departmentCategoryHistory)
			.where(eq(departmentCategoryHistory.fromYear, 2025));
		expect(rowsOf.filter((r) => r.category === 'vertical' && r.fromYear === 2025)).toEqual([]);
		expect((await departments.getByCode(t.db, 'nosup'))?.categories).toHaveLength(1);
		expect(await entriesFor(t.db, 'nosup')).toHaveLength(1);
	});

	it('adds and removes exemptions, audited', async () => {
		await makeDepartment(t.db, { code: 'ex' });
		await tx((x) => departments.addExemption(x, 'ex', { year: 2025, reason: '撤并' }, testActor));
		await tx((x) => departments.addExemption(x, 'ex', { year: 2024 }, testActor));
		expect((await departments.getByCode(t.db, 'ex'))?.exemptions).toEqual([
			{ year: 2025, reason: '撤并' },
			{ year: 2024, reason: null }
		]);
		expect(
			await refusal(tx((x) => departments.addExemption(x, 'ex', { year: 2024 }, testActor)))
		).toEqual({ code: 'exemption_exists', field: 'year' });

		await tx((x) => departments.removeExemption(x, 'ex', 2025, testActor));
		expect((await departments.getByCode(t.db, 'ex'))?.exemptions).toEqual([
			{ year: 2024, reason: null }
		]);
		expect(await refusal(tx((x) => departments.removeExemption(x, 'ex', 2025, testActor)))).toEqual(
			{ code: 'exemption_not_found', field: 'year' }
		);

		const entries = await entriesFor(t.db, 'ex');
		expect(entries.map((e) => e.action)).toEqual([
			'department.create',
			'department.exemption.add',
			'department.exemption.add',
			'department.exemption.remove'
		]);
		expect(entries[1]!.changes).toEqual({
			exemptYears: { before: [], after: [2025] },
			exemptionReason: { before: null, after: '撤并' }
		});
		expect(entries[3]!.changes).toEqual({
			exemptYears: { before: [2024, 2025], after: [2024] },
			exemptionReason: { before: '撤并', after: null }
		});
	});

	it('lists with search, pagination and each department’s facts of the year asked', async () => {
		await makeDepartment(t.db, { code: 'ls-a', nameZh: '列表甲局', nameEn: 'Listing Alpha' });
		await makeDepartment(t.db, {
			code: 'ls-b',
			nameZh: '列表乙局',
			nameEn: 'Listing Beta',
			category: 'vertical',
			fromYear: 2025
		});
		await makeDepartment(t.db, { code: 'ls-c', nameZh: '列表丙局', nameEn: '100% Listing' });
		await tx((x) => departments.addExemption(x, 'ls-a', { year: 2025 }, testActor));

		const byYear = async (year: number) =>
			(await departments.list(t.db, { q: 'listing', year, page: 1, pageSize: 10 })).rows.map(
				(r) => [r.code, r.category, r.exempt]
			);
		expect(await byYear(2025)).toEqual([
			['ls-a', 'municipal', true],
			['ls-b', 'vertical', false],
			['ls-c', 'municipal', false]
		]);
		expect(await byYear(2024)).toEqual([
			['ls-a', 'municipal', false],
			['ls-b', null, false],
			['ls-c', 'municipal', false]
		]);

		// By code, by Chinese name, by English name; `%` is a character, not a wildcard.
		const codes = async (q: string) =>
			(await departments.list(t.db, { q, year: 2025, page: 1, pageSize: 10 })).rows.map(
				(r) => r.code
			);
		expect(await codes('LS-B')).toEqual(['ls-b']);
		expect(await codes('乙局')).toEqual(['ls-b']);
		expect(await codes('alpha')).toEqual(['ls-a']);
		expect(await codes('100%')).toEqual(['ls-c']);
		expect(await codes('1%0')).toEqual([]);

		const page2 = await departments.list(t.db, { q: 'ls-', year: 2025, page: 2, pageSize: 2 });
		expect(page2.total).toBe(3);
		expect(page2.rows.map((r) => r.code)).toEqual(['ls-c']);
	});

	it('leaves the audit chain intact', async () => {
		expect((await audit.verify(t.db)).ok).toBe(true);
	});
});

describeEachDatabase('example departments on first start', (t) => {
	it('creates the first admin and the examples once, through the audited verbs', async () => {
		const lines: string[] = [];
		await bootstrap(t.db, { ADMIN_PASSWORD: 'a-long-password-1' }, (l) => lines.push(l));
		const { rows, total } = await departments.list(t.db, {
			year: currentYear(),
			page: 1,
			pageSize: 50
		});
		expect(total).toBe(EXAMPLE_DEPARTMENTS.length);
		expect(rows.filter((r) => r.category === 'municipal')).toHaveLength(7);
		const vertical = rows.filter((r) => r.category === 'vertical');
		expect(vertical).toHaveLength(5);
		expect(vertical.every((r) => r.superiorAuthority)).toBe(true);
		expect(await t.db.select().from(user)).toHaveLength(1);
		const creations = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'department.create'));
		expect(creations).toHaveLength(EXAMPLE_DEPARTMENTS.length);
		expect(lines.join('\n')).toContain(String(EXAMPLE_DEPARTMENTS.length));

		await bootstrap(t.db, { ADMIN_PASSWORD: 'a-long-password-1' }, () => {});
		expect(await departments.total(t.db)).toBe(EXAMPLE_DEPARTMENTS.length);
	});
});

describe('example departments', () => {
	it('have unique, valid codes', () => {
		const codes = EXAMPLE_DEPARTMENTS.map((d) => d.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes.every(isValidDepartmentCode)).toBe(true);
	});
});
