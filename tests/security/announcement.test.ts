// The announcement (通报) in the built app: anyone reads the announcement of published results —
// on screen, printed and as a PDF — without signing in; nothing is announced before publication,
// whoever asks and whatever the address says (`?draft`); a draft's content never shows; a
// tampered revision is refused with the integrity sentence; the leader's name is given, nothing
// of the rectification's plan or reports.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { department, rectification, user } from '$lib/server/db/schema';
import * as evaluation from '$lib/server/evaluation';
import * as rectifications from '$lib/server/rectification';
import { startApp, type RunningApp } from '../helpers/app';
import { makeUser, testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';
import {
	departmentResult,
	makeSnapshot,
	snapshotContent,
	tamperWithSnapshot
} from '../factories/snapshots';

const PASSWORD = 'correct horse battery';
const PUBLISHED = currentYear() - 1;
const TAMPERED = PUBLISHED - 1;
const DRAFT_ONLY = currentYear();
// Pages answer in the default language, zh-CN.
const zh = { locale: 'zh-CN' } as const;
const REFUSAL = messageOf('digest_mismatch', {}, 'zh-CN');
const PLAN = '整改方案内部内容ZX9';
const REPORT = '进展报告内部内容ZX9';
const DRAFT_MARKER = '草稿专用单位QK7';

describe('the announcement of published results', () => {
	let app: RunningApp;
	let digest = '';
	let supervisor = '';

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
				const leader = await makeUser(db, { username: 'leader-li', role: 'leader' });
				await db.update(user).set({ displayName: '李明华' }).where(eq(user.id, leader.id));
				for (const year of [TAMPERED, PUBLISHED]) {
					await seedExampleYear(db, year);
					await evaluation.createYear(db, { year, settings: EXAMPLE_SETTINGS }, testActor);
					const draft = await evaluation.compute(db, year, testActor);
					const published = await evaluation.publish(db, year, { draftId: draft.id }, testActor);
					if (year === TAMPERED) await tamperWithSnapshot(db, published.id);
					else digest = published.digest;
				}
				// One of the published year's rectifications under a leader, with a plan and a report.
				const [first] = await db
					.select({ id: rectification.id })
					.from(rectification)
					.where(eq(rectification.year, PUBLISHED))
					.orderBy(rectification.id)
					.limit(1);
				await rectifications.assignLeader(db, first!.id, leader.id, testActor);
				await rectifications.submitPlan(db, first!.id, PLAN, testActor);
				await rectifications.addReport(db, first!.id, REPORT, testActor);
				// A newer draft of the published year, and a year with a draft only.
				await makeSnapshot(
					db,
					snapshotContent(PUBLISHED, [
						departmentResult('jyj', { nameZh: DRAFT_MARKER, outcomes: ['criticism'] })
					])
				);
				await seedExampleYear(db, DRAFT_ONLY);
				await evaluation.createYear(
					db,
					{ year: DRAFT_ONLY, settings: EXAMPLE_SETTINGS },
					testActor
				);
				await evaluation.compute(db, DRAFT_ONLY, testActor);
				// Sanity: the examples exist (the leader's rectification names one of them).
				expect((await db.select().from(department)).length).toBeGreaterThan(0);
			}
		});
		supervisor = (await app.signIn('supervisor', PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const base = (year: number) => `/results/${year}/announcement`;

	it.each([
		['the screen view', '', 'announcement'],
		['the print view', '/print', 'announcement-print']
	])(
		'shows %s to the public: the published text, the leader, the digest',
		async (_, suffix, testId) => {
			const r = await app.fetch(`${base(PUBLISHED)}${suffix}`);
			expect(r.status).toBe(200);
			const html = await r.text();
			expect(html).toContain(`data-testid="${testId}"`);
			expect(html).toContain(m.announcement_title({ year: PUBLISHED }, zh));
			expect(html).toContain(digest);
			expect(html).toContain('李明华');
			expect(html).toContain(`/results/${PUBLISHED}/snapshot?revision=1`);
			for (const secret of [PLAN, REPORT, DRAFT_MARKER]) expect(html).not.toContain(secret);
		}
	);

	it('words the text in English when asked, whatever the interface language', async () => {
		const html = await (await app.fetch(`${base(PUBLISHED)}?lang=en`)).text();
		expect(html).toContain(m.announcement_title({ year: PUBLISHED }, { locale: 'en' }));
		// The page around it stays in the interface language.
		expect(html).toContain(m.announcement_print({}, zh));
	});

	it('has no links to other pages in the print view', async () => {
		const html = await (await app.fetch(`${base(PUBLISHED)}/print`)).text();
		expect(html).not.toContain(m.announcement_back({ year: PUBLISHED }, zh));
		expect(html).not.toContain('announcement-pdf-link');
	});

	it('gives the public the PDF', async () => {
		const r = await app.fetch(`${base(PUBLISHED)}/pdf?lang=en`);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/pdf');
		expect(r.headers.get('content-disposition')).toContain(
			`pingyi-announcement-${PUBLISHED}-r1-en.pdf`
		);
		const bytes = Buffer.from(await r.arrayBuffer());
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
		const raw = bytes.toString('latin1');
		expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
		expect(raw).not.toContain(PLAN);
	});

	it.each([
		['the public', null],
		['a supervisor, who sees drafts elsewhere', 'supervisor']
	])('announces nothing before publication to %s', async (_, who) => {
		const cookie = who ? supervisor : null;
		const notYet = m.announcement_not_published({ year: DRAFT_ONLY }, zh);
		for (const path of [
			base(DRAFT_ONLY),
			`${base(DRAFT_ONLY)}?draft`,
			`${base(DRAFT_ONLY)}/print`,
			`${base(DRAFT_ONLY)}/pdf`,
			`${base(DRAFT_ONLY)}/pdf?draft`
		]) {
			const r = await app.fetch(path, { cookie });
			expect(r.status, path).toBe(404);
			expect(r.headers.get('content-disposition')).toBeNull();
			expect(await r.text()).toContain(notYet);
		}
		// The published year with `?draft` is still the published text.
		const html = await (await app.fetch(`${base(PUBLISHED)}?draft`, { cookie })).text();
		expect(html).toContain(digest);
		expect(html).not.toContain(DRAFT_MARKER);
	});

	it.each(['?revision=9', '?revision=abc'])(
		'refuses a revision that does not exist (%s)',
		async (q) => {
			expect((await app.fetch(`${base(PUBLISHED)}${q}`)).status).toBe(404);
			expect((await app.fetch(`${base(PUBLISHED)}/pdf${q}`)).status).toBe(404);
		}
	);

	it.each(['', '/print', '/pdf'])('refuses a tampered revision (%s)', async (suffix) => {
		const r = await app.fetch(`${base(TAMPERED)}${suffix}`);
		expect(r.status).toBe(500);
		expect(r.headers.get('content-disposition')).toBeNull();
		const body = await r.text();
		expect(body).toContain(REFUSAL);
		expect(body).not.toContain('data-testid="announcement');
	});

	it('is linked from the public results page and the staff rankings page', async () => {
		// Links are relative to the page (SvelteKit's relative paths).
		const link = new RegExp(`href="[./]*results/${PUBLISHED}/announcement"`);
		expect(await (await app.fetch(`/results/${PUBLISHED}`)).text()).toMatch(link);
		const staff = await app.fetch(`/rankings/${PUBLISHED}`, { cookie: supervisor });
		expect(await staff.text()).toMatch(link);
	});
});
