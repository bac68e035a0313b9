// The citizen's complaint pages against the built app, as a browser without JavaScript uses them:
// two complaints filed on the form (a refused one files nothing; the same form sent again files
// nothing more and shows no code), then a crawl of the tracking page with the exact pairs, the
// codes as people type them, wrong, short and each other's codes: only the exact pair shows a
// complaint, and a complaint's page holds nothing of the other nor anybody's name or contact.
// Wrong tries are throttled per address (429); the tracking code is in no address, cookie or log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { complaintFormSchema } from '$lib/schemas/complaint-workflow';
import * as complaints from '$lib/server/complaints';
import type { Database } from '$lib/server/db';
import { startApp, withoutNonces, type RunningApp } from '../helpers/app';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';

const zh = { locale: 'zh-CN' } as const;
const WRONG = m.complaints_error_tracking_invalid({}, zh);

interface Filed {
	no: string;
	code: string;
}

const A = {
	department_code: 'tsa',
	category: 'arbitrary_fees',
	summary: '办理营业执照时被多次收取资料费，没有开票据',
	name: '张三丰',
	contact: '13812345678'
};
const B = {
	department_code: 'tsb',
	category: 'slow_service',
	summary: '施工许可超过承诺时限两个月仍未办结',
	anonymous: 'on',
	// Typed, then "anonymous" ticked: ignored.
	name: '李四光',
	contact: 'lisi@example.com'
};
/** What the staff wrote for themselves: never on the tracking page. */
const INTERNAL = ['内部调查结论：收费属实', '部门答复：已退费'];
const ANSWER = '经查部分属实，已责令退还重复收取的费用。';
const REASON = '不属于效能投诉受理范围，请向市场监管部门反映。';
/** What must never appear on a tracking page: who complained, how to reach them, what they said. */
const PRIVATE = [A.name, A.contact, A.summary, B.name, B.contact, B.summary, ...INTERNAL];

/**
 * Two complaints a supervisor took by telephone and handled: one answered (concluded, the
 * department's response and the findings kept inside), one not accepted. Their numbers come first.
 */
async function handled(db: Database) {
	const sup = principalOf((await makeUser(db, { role: 'supervisor' })).id, 'supervisor');
	const enter = (summary: string) =>
		complaints.enterComplaint(
			db,
			sup,
			{
				form: complaintFormSchema.parse({ ...A, summary, department_code: 'tsa' }),
				channel: 'hotline'
			},
			testActor
		);
	const act = complaints.actOnComplaint;
	const answered = await enter('电话投诉：重复收费');
	await act(db, sup, answered.complaintNo, 'accept', {}, testActor);
	await act(db, sup, answered.complaintNo, 'assign', { assignee: sup.id! }, testActor);
	await act(db, sup, answered.complaintNo, 'request_response', {}, testActor);
	await act(
		db,
		principalOf(null, 'admin'),
		answered.complaintNo,
		'respond',
		{ response: INTERNAL[1]! },
		testActor
	);
	await act(
		db,
		sup,
		answered.complaintNo,
		'conclude',
		{ verdict: 'partial', findings: INTERNAL[0]! },
		testActor
	);
	await act(db, sup, answered.complaintNo, 'give_feedback', { feedback: ANSWER }, testActor);
	const rejected = await enter('电话投诉：商品质量');
	await act(db, sup, rejected.complaintNo, 'reject', { reason: REASON }, testActor);
	const filed = (f: { complaintNo: string; trackingCode: string }) => ({
		no: f.complaintNo,
		code: f.trackingCode
	});
	return { answered: filed(answered), rejected: filed(rejected) };
}

describe('the public complaint form and tracking page', () => {
	let app: RunningApp;
	let a: Filed;
	let b: Filed;
	let resultPages = '';
	let staff: Awaited<ReturnType<typeof handled>>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeDepartment(db, { code: 'tsa', nameZh: '投诉甲局', nameEn: 'Bureau A' });
				await makeDepartment(db, { code: 'tsb', nameZh: '投诉乙局', category: 'vertical' });
				staff = await handled(db);
			}
		});
	});
	afterAll(() => app?.dispose());

	const post = (path: string, fields: Record<string, string>, from?: string) =>
		app.fetch(path, { method: 'POST', body: new URLSearchParams(fields), from });
	const track = (no: string, code: string, from: string) =>
		post('/complaint/track', { no, code }, from);
	const testid = (html: string, id: string) =>
		html.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1]?.trim() ?? null;

	const stage = (label: string) =>
		new RegExp(`data-testid="tracked-stage"[^>]*>\\s*<strong>${label}</strong>`);

	async function file(fields: Record<string, string>, from: string): Promise<Filed> {
		const r = await post('/complaint', fields, from);
		expect(r.status).toBe(200);
		expect(r.headers.get('cache-control')).toBe('no-store');
		expect(r.headers.getSetCookie()).toEqual([]);
		const html = await r.text();
		resultPages += html;
		return { no: testid(html, 'complaint-no')!, code: testid(html, 'complaint-code')! };
	}

	it('offers the active departments by category, and files to attach', async () => {
		const r = await app.fetch('/complaint');
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toMatch(/<optgroup label="市直部门">[^]*投诉甲局[^]*<\/optgroup>/);
		expect(html).toMatch(/<optgroup label="垂管部门">[^]*投诉乙局/);
		expect(html).toContain('method="POST"');
		expect(html).toContain('type="file"');
		expect(html).toContain('multipart/form-data');
		expect(html).toContain(m.complaints_form_privacy({}, zh));
	});

	it('refuses a named complaint without a name beside the field, keeps the text, files nothing', async () => {
		const r = await post('/complaint', { ...A, name: '' }, '127.0.0.20');
		expect(r.status).toBe(400);
		const html = await r.text();
		expect(html).toContain(m.complaints_error_name_required({}, zh));
		expect(html).toContain(A.summary);
		expect(html).toContain('value="13812345678"');
		expect(html).not.toContain('data-testid="complaint-code"');
	});

	it('files both complaints: a number and a tracking code in groups of four, shown once', async () => {
		a = await file(A, '127.0.0.21');
		b = await file(B, '127.0.0.22');
		const year = new Date().getFullYear();
		// The refused form drew no number (the two handled by the staff came first).
		expect(a.no).toMatch(new RegExp(`^TS(${year}|${year + 1})-000003$`));
		expect(b.no).toMatch(/-000004$/);
		for (const f of [a, b]) expect(f.code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
		expect(a.code).not.toBe(b.code);
		// The tracking link carries the number only.
		const hrefs = [...resultPages.matchAll(/href="([^"]*)"/g)].map((h) => h[1]!).join(' ');
		expect(hrefs).toContain(`/complaint/track?no=${a.no}`);
		for (const f of [a, b]) {
			expect(hrefs).not.toContain(f.code);
			expect(hrefs).not.toContain(f.code.replaceAll('-', ''));
		}
	});

	it('files nothing more when the same form is sent again (a refresh), and shows no code', async () => {
		const r = await post('/complaint', A, '127.0.0.21');
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain('data-testid="complaint-resent"');
		expect(html).toContain(a.no);
		expect(html).not.toContain(a.code);
		expect(html).not.toContain(a.code.replaceAll('-', ''));
		// Another complaint from the same address is a new one.
		const c = await file({ ...A, summary: `${A.summary}（第二次）` }, '127.0.0.21');
		expect(c.no).toMatch(/-000005$/);
	});

	it('shows a complaint for its exact pair, however the code is typed, and nothing else', async () => {
		const typed = (code: string) => [
			code,
			code.replaceAll('-', ''),
			code.toLowerCase(),
			` ${code.toLowerCase().replaceAll('-', ' ')} `
		];
		let n = 0;
		for (const [mine, other, department] of [
			[a, b, '投诉甲局'],
			[b, a, '投诉乙局']
		] as const) {
			for (const code of typed(mine.code)) {
				const r = await track(mine.no, code, `127.0.1.${++n}`);
				expect(r.status).toBe(200);
				expect(r.headers.get('cache-control')).toBe('no-store');
				const html = await r.text();
				expect(testid(html, 'tracked-no')).toBe(mine.no);
				expect(html).toContain(department);
				expect(html).toMatch(stage(m.complaints_stage_received({}, zh)));
				expect(html).not.toContain(other.no);
				expect(html).not.toContain(other.code);
				for (const p of PRIVATE) expect(html).not.toContain(p);
			}
		}
	});

	it('shows the answer and the finding once given, or why it was not accepted, nothing inside', async () => {
		const answered = await track(staff.answered.no, staff.answered.code, '127.0.1.100');
		expect(answered.status).toBe(200);
		const html = await answered.text();
		expect(html).toMatch(stage(m.complaints_stage_answered({}, zh)));
		expect(testid(html, 'tracked-answer')).toBe(ANSWER);
		expect(testid(html, 'tracked-verdict')).toBe(m.complaints_verdict_partial({}, zh));
		const rejected = await track(staff.rejected.no, staff.rejected.code, '127.0.1.101');
		const page = await rejected.text();
		expect(page).toMatch(stage(m.complaints_stage_not_accepted({}, zh)));
		expect(page).toContain(m.complaints_track_reason({}, zh));
		expect(testid(page, 'tracked-answer')).toBe(REASON);
		for (const p of [...PRIVATE, staff.answered.no, ANSWER]) expect(page).not.toContain(p);
		for (const p of [...PRIVATE, staff.rejected.no, REASON]) expect(html).not.toContain(p);
	});

	it('refuses every wrong pair alike: wrong, short, changed and each other’s codes', async () => {
		const flip = (code: string) => (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
		const wrong: [string, string][] = [
			[a.no, b.code],
			[b.no, a.code],
			[a.no, a.code.slice(0, 9)],
			[a.no, a.code.replaceAll('-', '').slice(0, 15)],
			[a.no, flip(a.code)],
			[a.no, 'AAAA-AAAA-AAAA-AAAA'],
			[a.no.replace(/\d{6}$/, '999999'), a.code],
			[a.no.toLowerCase(), b.code.toLowerCase()]
		];
		const pages: string[] = [];
		for (const [i, [no, code]] of wrong.entries()) {
			const r = await track(no, code, `127.0.2.${i + 1}`);
			expect(r.status, `${no} ${code}`).toBe(404);
			const html = await r.text();
			expect(html).toContain(WRONG);
			expect(html).not.toContain('data-testid="complaint-tracked"');
			// The typed code is not sent back; the typed number is, and nothing else names one.
			expect(html).not.toContain(code);
			for (const f of [a, b]) {
				expect(html).not.toContain(f.code);
				if (f.no !== no) expect(html).not.toContain(f.no);
			}
			for (const p of PRIVATE) expect(html).not.toContain(p);
			pages.push(withoutNonces(html).replaceAll(no, 'NUMBER'));
		}
		// The very same page whichever part was wrong.
		expect(new Set(pages).size).toBe(1);
	});

	it('asks for both parts beside their fields', async () => {
		const r = await track('', '', '127.0.3.1');
		expect(r.status).toBe(400);
		const beside = new RegExp(`class="field-error"[^>]*>${m.common_required({}, zh)}<`, 'g');
		expect((await r.text()).match(beside)?.length).toBe(2);
	});

	it('throttles an address after repeated wrong tries (429, and when to try again)', async () => {
		const from = '127.0.4.1';
		for (let i = 0; i < 5; i++)
			expect((await track(a.no, `WRONG-CODE-${i}-XXXXXX`, from)).status).toBe(404);
		// Even the right pair waits now.
		const blocked = await track(a.no, a.code, from);
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
		const html = await blocked.text();
		expect(html).toMatch(/错误次数过多，请 \d+ 秒后再试。/);
		expect(html).not.toContain('data-testid="complaint-tracked"');
		// Another address is not held back; the blocked one may try again after the wait.
		expect((await track(a.no, a.code, '127.0.4.2')).status).toBe(200);
		app.advanceClock(6_000);
		expect((await track(a.no, a.code, from)).status).toBe(200);
	});

	it('throttles an address that files again and again', async () => {
		const from = '127.0.5.1';
		for (let i = 0; i < 5; i++) await file({ ...B, summary: `${B.summary} ${i}` }, from);
		const r = await post('/complaint', { ...B, summary: `${B.summary} 5` }, from);
		expect(r.status).toBe(429);
		const html = await r.text();
		expect(html).toMatch(/提交过于频繁，请 \d+ 秒后再试。/);
		// The form is kept as typed.
		expect(html).toContain(`${B.summary} 5`);
	});

	it('keeps the tracking codes out of the log', () => {
		for (const f of [a, b]) {
			expect(app.logs()).not.toContain(f.code);
			expect(app.logs()).not.toContain(f.code.replaceAll('-', ''));
		}
	});
});
