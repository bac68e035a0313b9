// The problems raised on enterprise visits against the built app: who opens the list and a
// problem's page (anyone not signed in goes to sign-in, also when posting a step); a liaison of a
// department the problem was not assigned to gets 404 (page, data and step), the assigned one sees
// it without the enterprise's contact; an enterprise account sees its own problems only; a leader
// may not take a supervisor's step, and the page offers it none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '$lib/server/db';
import * as users from '$lib/server/users';
import * as visits from '$lib/server/visits';
import { startApp, toSignIn, type RunningApp } from '../helpers/app';
import { makeDepartment, makeUser, principalOf, testActor } from '../factories';
import { makeEnterprise, makeVisit, raiseOn } from '../factories/visits';

const PASSWORD = 'correct horse battery';
const CONTACT = { contactName: '欧阳建国', contactPhone: '13987654321' };
type Who = 'admin' | 'supervisor' | 'leader' | 'assigned' | 'other' | 'owner' | 'stranger';
const WHO: Who[] = ['admin', 'supervisor', 'leader', 'assigned', 'other', 'owner', 'stranger'];

/** Problem numbers the seed made: A (enterprise "owner", instructed to wta) and B (stranger's). */
const made = { a: '', b: '' };

async function seed(db: Database) {
	const wta = await makeDepartment(db, { code: 'wta' });
	await makeDepartment(db, { code: 'wtb' });
	const ids: Record<string, number> = {};
	for (const [who, role, extra] of [
		['admin', 'admin', {}],
		['supervisor', 'supervisor', {}],
		['leader', 'leader', {}],
		['assigned', 'liaison', { departmentCode: 'wta' }],
		['other', 'liaison', { departmentCode: 'wtb' }]
	] as const)
		ids[who] = (
			await makeUser(db, { username: `wt-${who}`, role, password: PASSWORD, ...extra })
		).id;
	const owner = await makeEnterprise(db, { name: '甲公司', ...CONTACT });
	const stranger = await makeEnterprise(db, { name: '乙公司' });
	for (const [who, e] of [
		['owner', owner],
		['stranger', stranger]
	] as const) {
		await db.transaction((tx) =>
			users.create(
				tx,
				{
					username: `wt-${who}`,
					displayName: who,
					role: 'enterprise',
					enterpriseUscc: e.uscc,
					password: PASSWORD
				},
				testActor
			)
		);
	}
	made.a = (await raiseOn(db, await makeVisit(db, owner.id), [wta.id]))[0]!;
	made.b = (await raiseOn(db, await makeVisit(db, stranger.id), [wta.id]))[0]!;
	const sup = principalOf(ids.supervisor!, 'supervisor');
	await visits.actOnProblem(db, sup, made.a, 'escalate', { leader: ids.leader! }, testActor);
	await visits.actOnProblem(
		db,
		principalOf(ids.leader!, 'leader'),
		made.a,
		'instruct',
		{ instruction: '请甲局办理', departments: [wta.id] },
		testActor
	);
	await visits.actOnProblem(db, sup, made.b, 'settle_by_brigade', { assignee: sup.id! }, testActor);
}

describe('visit problems by role', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({ seed });
		for (const who of WHO) {
			cookies[who] = (await app.signIn(`wt-${who}`, PASSWORD)).cookie!;
			expect(cookies[who], who).toBeTruthy();
		}
	});
	afterAll(() => app?.dispose());

	const page = (path: string, who: Who) => app.fetch(path, { cookie: cookies[who] });
	const post = (path: string, who: Who | null, fields: Record<string, string>) =>
		app.fetch(path, {
			method: 'POST',
			cookie: who ? cookies[who] : null,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields)
		});

	it('sends an anonymous visitor to sign-in, also when posting a step', async () => {
		expect(toSignIn(await app.fetch('/problems'))).toBe(true);
		expect(toSignIn(await app.fetch(`/problems/${made.a}`))).toBe(true);
		expect(toSignIn(await post(`/problems/${made.a}?/report`, null, { report: 'x' }))).toBe(true);
	});

	// Problem A's page: 1 = opens, 404 = as if it did not exist; columns in the order of WHO.
	const A: [Who, 200 | 404][] = [
		['admin', 200],
		['supervisor', 200],
		['leader', 200],
		['assigned', 200],
		['other', 404],
		['owner', 200],
		['stranger', 404]
	];
	it.each(A)("problem A's page for %s: %s, and its data alike", async (who, status) => {
		const r = await page(`/problems/${made.a}`, who);
		expect(r.status).toBe(status);
		const html = await r.text();
		if (status === 404) expect(html).not.toContain('请甲局办理');
		const data = (await (await page(`/problems/${made.a}/__data.json`, who)).json()) as {
			nodes?: ({ type: string; status?: number } | null)[];
		};
		const last = data.nodes?.at(-1);
		expect(last?.type === 'error' ? last.status : last?.type).toBe(status === 200 ? 'data' : 404);
	});

	it("shows the enterprise's contact to an admin, never to the assigned liaison", async () => {
		expect(await (await page(`/problems/${made.a}`, 'admin')).text()).toContain(
			CONTACT.contactPhone
		);
		const html = await (await page(`/problems/${made.a}`, 'assigned')).text();
		expect(html).toContain('甲公司');
		for (const secret of [CONTACT.contactName, CONTACT.contactPhone, '139****4321'])
			expect(html).not.toContain(secret);
		expect(html).toContain('data-testid="problem-report-form"');
	});

	it('lists to each only what it may see', async () => {
		const listed = async (who: Who) => {
			const html = await (await page('/problems', who)).text();
			return [made.a, made.b].filter((no) => html.includes(`data-problem-no="${no}"`));
		};
		expect(await listed('supervisor')).toEqual([made.a, made.b]);
		expect(await listed('assigned')).toEqual([made.a]);
		expect(await listed('other')).toEqual([]);
		expect(await listed('owner')).toEqual([made.a]);
		expect(await listed('stranger')).toEqual([made.b]);
		const account = await (await page('/home', 'owner')).text();
		expect(account).toContain(`data-problem-no="${made.a}"`);
		expect(account).not.toContain(made.b);
	});

	it("refuses a liaison's report on a problem not assigned to its department as not found", async () => {
		const r = await post(`/problems/${made.a}?/report`, 'other', { report: '越权反馈' });
		expect(r.status).toBe(404);
		// Nor may an enterprise or a supervisor report for a department.
		expect((await post(`/problems/${made.a}?/report`, 'owner', { report: 'x' })).status).toBe(403);
		expect((await post(`/problems/${made.a}?/report`, 'supervisor', { report: 'x' })).status).toBe(
			403
		);
		const html = await (await page(`/problems/${made.a}`, 'admin')).text();
		expect(html).not.toContain('越权反馈');
	});

	it('lets no leader settle, and offers a leader no step of the Brigade', async () => {
		const r = await post(`/problems/${made.b}?/settle`, 'leader', { settlement: '领导代办' });
		expect(r.status).toBe(403);
		const html = await (await page(`/problems/${made.b}`, 'leader')).text();
		expect(html).not.toContain('problem-settle-form');
		expect(html).not.toContain('领导代办');
		// The supervisor it was given to is offered the step.
		expect(await (await page(`/problems/${made.b}`, 'supervisor')).text()).toContain(
			'problem-settle-form'
		);
	});
});
