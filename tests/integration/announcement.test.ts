// The announcement (通报) of published results (issue 10 §4) against a real database: built from
// a published snapshot and the year's rectifications (the leader's name and the deadline only),
// never from a draft, refused for tampered content; its PDF is A4, numbered "第 n 页 共 N 页" /
// "Page n of N" with the digest on every page, and its Chinese text extracts as written.
import { eq } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { announcementText } from '$lib/components/announcement/wording';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import type { DepartmentResult } from '$lib/domain/snapshot';
import { user } from '$lib/server/db/schema';
import * as rectifications from '$lib/server/rectification';
import * as results from '$lib/server/results';
import { makeDepartment, makeUser, testActor } from '../factories';
import {
	departmentResult,
	makeRectification,
	makeSnapshot,
	snapshotContent,
	tamperWithSnapshot
} from '../factories/snapshots';
import { describeEachDatabase } from '../helpers/db';
import { refusalCode } from '../helpers/refusal';

const YEAR = 2003;
const PUBLISHED = new Date('2004-01-15T09:00:00+08:00');
const SETTINGS = { ...DEFAULT_SETTINGS, commended: { municipal: 2, vertical: 1 } };

/** A department of the published results with its rank and the outcomes publication gave it. */
const result = (
	code: string,
	category: 'municipal' | 'vertical',
	rank: number,
	rankFromBottom: number,
	outcomes: DepartmentResult['outcomes'],
	extra: Partial<DepartmentResult> = {}
) =>
	departmentResult(code, {
		category,
		nameZh: `${code.toUpperCase()}局`,
		nameEn: `${code.toUpperCase()} Bureau`,
		superiorAuthority: category === 'vertical' ? `省${code.toUpperCase()}厅` : null,
		rank,
		rankFromBottom,
		outcomes,
		...extra
	});

const DEPARTMENTS = [
	result('ma', 'municipal', 1, 6, ['commended']),
	result('mb', 'municipal', 2, 5, ['commended']),
	result('mc', 'municipal', 3, 4, []),
	result('md', 'municipal', 4, 3, ['rectification']),
	result('me', 'municipal', 5, 2, ['rectification']),
	result('mf', 'municipal', 6, 1, ['rectification', 'criticism', 'reassignment'], {
		criticisedLastYear: true
	}),
	result('va', 'vertical', 1, 4, ['commended']),
	result('vb', 'vertical', 2, 3, ['rectification']),
	result('vc', 'vertical', 3, 2, ['rectification']),
	result('vd', 'vertical', 4, 1, ['rectification', 'criticism', 'superior_report'], {
		criticisedLastYear: true
	})
];

async function pdfOf(bytes: Buffer) {
	const pdf = await getDocumentProxy(new Uint8Array(bytes));
	const { text } = await extractText(pdf, { mergePages: false });
	const boxes = [];
	for (let i = 1; i <= pdf.numPages; i++) boxes.push((await pdf.getPage(i)).view);
	return { pages: pdf.numPages, text: text as string[], boxes };
}

describeEachDatabase('the announcement of published results', (t) => {
	let r1 = { id: 0, digest: '' };
	let r2 = { id: 0, digest: '' };

	beforeAll(async () => {
		const ids: Record<string, number> = {};
		for (const d of DEPARTMENTS)
			ids[d.code] = (await makeDepartment(t.db, { code: d.code, category: d.category })).id;
		r1 = await makeSnapshot(t.db, snapshotContent(YEAR, DEPARTMENTS, { settings: SETTINGS }), {
			revision: 1,
			at: PUBLISHED
		});
		// Revision 2 corrects revision 1: the same outcomes, md's rank changed.
		const corrected = DEPARTMENTS.map((d) => (d.code === 'mc' ? { ...d, responses: 41 } : d));
		r2 = await makeSnapshot(t.db, snapshotContent(YEAR, corrected, { settings: SETTINGS }), {
			revision: 2,
			replacesId: r1.id,
			note: '更正民主评议答卷数',
			at: new Date('2004-01-20T09:00:00+08:00')
		});
		const rect = async (code: string, deadline: string) =>
			(
				await makeRectification(t.db, {
					year: YEAR,
					departmentId: ids[code]!,
					snapshotId: r2.id,
					deadline
				})
			).id;
		const leader = await makeUser(t.db, { username: 'leader-wang', role: 'leader' });
		await t.db.update(user).set({ displayName: '王建国' }).where(eq(user.id, leader.id));
		const md = await rect('md', '2004-04-14');
		await rect('me', '2004-04-14');
		await rect('mf', '2004-04-14');
		await rect('vb', '2004-04-14');
		await rect('vc', '2004-04-14');
		await rect('vd', '2004-04-30');
		await rectifications.assignLeader(t.db, md, leader.id, testActor);
		await rectifications.submitPlan(t.db, md, '整改方案：内部事项，不对外公布', testActor);
		await rectifications.addReport(t.db, md, '第一次进展报告：内部', testActor);
		// Drafts are never announced: a year with a draft only, and a draft newer than r2.
		await makeSnapshot(t.db, snapshotContent(YEAR + 1, DEPARTMENTS, { settings: SETTINGS }));
		await makeSnapshot(
			t.db,
			snapshotContent(YEAR, [result('ma', 'municipal', 1, 1, ['criticism'])], {
				settings: SETTINGS
			})
		);
	});

	it('announces the current revision: commended, rectification, criticism and two years running', async () => {
		const shown = (await results.announcement(t.db, YEAR, null))!;
		const a = shown.announcement;
		expect(a).toMatchObject({ year: YEAR, revision: 2, digest: r2.digest, replacesRevision: 1 });
		expect(a.publishedOn).toBe('2004-01-20');
		expect(shown.currentRevision).toBe(2);
		const codes = (s: typeof a.commended) => s.map((c) => c.units.map((u) => u.code));
		expect(codes(a.commended)).toEqual([['ma', 'mb'], ['va']]);
		expect(codes(a.criticised)).toEqual([['mf'], ['vd']]);
		expect(
			a.rectification.flatMap((s) => s.units).map((u) => [u.code, u.leaderName, u.deadline])
		).toEqual([
			['md', '王建国', '2004-04-14'],
			['me', null, '2004-04-14'],
			['mf', null, '2004-04-14'],
			['vb', null, '2004-04-14'],
			['vc', null, '2004-04-14'],
			['vd', null, '2004-04-30']
		]);
		expect(a.criticised[1]!.units[0]).toMatchObject({
			consequence: 'superior_report',
			superiorAuthority: '省VD厅'
		});
		// Nothing of the plan, the reports or the draft.
		const json = JSON.stringify(shown);
		expect(json).not.toContain('整改方案');
		expect(json).not.toContain('进展报告');

		const zh = announcementText(a, 'zh-CN');
		const all = JSON.stringify(zh);
		expect(zh.title).toBe('关于2003年度机关效能建设评议结果的通报');
		expect(all).toContain('MD局（市直部门）：挂点领导王建国，整改期限至2004年4月14日。');
		expect(all).toContain('ME局（市直部门）：挂点领导尚未确定');
		expect(all).toContain(
			'MF局在2002年度考评结果中亦被通报批评，连续两年被通报批评，按规定对其主要领导进行岗位调整'
		);
		expect(all).toContain('反馈其上级主管部门省VD厅，并建议调离其主要领导');
		expect(all).toContain('更正民主评议答卷数');
		expect(all).toContain(`/results/${YEAR}/snapshot?revision=2`);
		expect(all).toContain(r2.digest);
	});

	it('announces an older revision when asked, with its own digest and date', async () => {
		const a = (await results.announcement(t.db, YEAR, 1))!.announcement;
		expect(a).toMatchObject({ revision: 1, digest: r1.digest, publishedOn: '2004-01-15' });
		expect(a.replacesRevision).toBeNull();
	});

	it('announces nothing before publication and refuses a revision that does not exist', async () => {
		expect(await results.announcement(t.db, YEAR + 1, null)).toBeNull();
		expect(await results.announcement(t.db, YEAR + 2, null)).toBeNull();
		expect(await refusalCode(results.announcement(t.db, YEAR, 3))).toBe('snapshot_not_found');
	});

	describe('as a PDF', () => {
		it.each([
			[
				'zh-CN',
				(n: number, of: number) => `第 ${n} 页 共 ${of} 页`,
				'关于2003年度机关效能建设评议结果的通报'
			],
			[
				'en',
				(n: number, of: number) => `Page ${n} of ${of}`,
				'Announcement on the results of the 2003'
			]
		] as const)('in %s: A4, numbered, the digest on every page', async (locale, footer, title) => {
			const a = (await results.announcement(t.db, YEAR, null))!.announcement;
			// A long correction note makes the text run over a page.
			const long = { ...a, note: `${a.note} `.repeat(120) };
			const bytes = await results.announcementPdf(announcementText(long, locale));
			expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
			const pdf = await pdfOf(bytes);
			expect(pdf.pages).toBeGreaterThan(1);
			for (const box of pdf.boxes) {
				expect(box[2]).toBeCloseTo(595.28, 1);
				expect(box[3]).toBeCloseTo(841.89, 1);
			}
			const flat = (s: string) => s.replace(/\s+/g, ' ');
			pdf.text.forEach((page, i) => {
				expect(flat(page)).toContain(footer(i + 1, pdf.pages));
				expect(page).toContain(a.digest);
			});
			expect(flat(pdf.text[0]!)).toContain(title);
			if (locale === 'zh-CN') {
				const body = pdf.text.join('').replace(/\s+/g, '');
				expect(body).toContain('MD局（市直部门）：挂点领导王建国，整改期限至2004年4月14日。');
				expect(body).toContain('通报批评');
			}
		});

		it('embeds its own font, a subset, not a system one', async () => {
			const a = (await results.announcement(t.db, YEAR, null))!.announcement;
			const bytes = await results.announcementPdf(announcementText(a, 'zh-CN'));
			const raw = bytes.toString('latin1');
			expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
			expect(raw).toContain('/FontFile3');
			expect(raw).toContain('/ToUnicode');
			// A subset: far smaller than the 8 MB font file.
			expect(bytes.length).toBeLessThan(400_000);
		});
	});

	it('refuses tampered published content', async () => {
		const other = await makeSnapshot(
			t.db,
			snapshotContent(YEAR - 1, DEPARTMENTS, { settings: SETTINGS }),
			{ revision: 1, at: PUBLISHED }
		);
		await tamperWithSnapshot(t.db, other.id);
		expect(await refusalCode(results.announcement(t.db, YEAR - 1, null))).toBe('digest_mismatch');
	});
});
