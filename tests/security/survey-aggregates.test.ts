// A campaign's results per department against the built app: a liaison reads its own
// department's results of a closed campaign, and for everything else — another department's
// results, a running or draft campaign's, a code that names none — gets one and the same refusal,
// by page and by `__data.json`; an enterprise is refused outright; staff read every department.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { type RunningApp, startApp, withoutNonces } from '../helpers/app';
import { makeUser } from '../factories';
import { makeCampaign, makeResponses } from '../factories/records';
import { setCampaignState } from '../factories/samples';

const PASSWORD = 'correct horse battery';
type Who = 'admin' | 'leader' | 'liaison' | 'enterprise';
const WHO: Who[] = ['admin', 'leader', 'liaison', 'enterprise'];
const CLOSED = 'agg-closed-7731';
const ACTIVE = 'agg-active-7732';
const DRAFT = 'agg-draft-7733';
const NONE = 'agg-none-7734';

describe('survey results per department', () => {
	let app: RunningApp;
	const cookies = {} as Record<Who, string>;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				for (const role of WHO)
					await makeUser(db, {
						username: `${role}-agg`,
						role,
						...(role === 'liaison' ? { departmentCode: 'fgj' } : {})
					});
				const year = currentYear();
				for (const [code, state] of [
					[CLOSED, 'closed'],
					[ACTIVE, 'active'],
					[DRAFT, 'draft']
				] as const) {
					const c = await makeCampaign(db, { year, code });
					await makeResponses(db, c.id, 'fgj', [5, 4, 4, 4, 3, 5], 6);
					await makeResponses(db, c.id, 'czj', [2, 2, 2, 2, 2, 2], 6);
					await setCampaignState(db, c.id, state);
				}
			}
		});
		for (const role of WHO) cookies[role] = (await app.signIn(`${role}-agg`, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	const get = (who: Who, path: string) => app.fetch(path, { cookie: cookies[who] });

	it("shows a liaison its own department's results of a closed campaign", async () => {
		const r = await get('liaison', `/surveys/${CLOSED}`);
		expect(r.status).toBe(200);
		const html = await r.text();
		expect(html).toContain('data-code="fgj"');
		expect(html).not.toContain('data-code="czj"');
		const list = await (await get('liaison', '/surveys')).text();
		expect(list).toContain(CLOSED);
		expect(list).not.toContain(ACTIVE);
		expect(list).not.toContain(DRAFT);
	});

	it('refuses a liaison everything else with one and the same answer', async () => {
		const refusals = [
			[`/surveys/${CLOSED}?d=czj`, CLOSED],
			[`/surveys/${ACTIVE}`, ACTIVE],
			[`/surveys/${DRAFT}`, DRAFT],
			[`/surveys/${NONE}`, NONE]
		] as const;
		for (const suffix of ['', '/__data.json']) {
			const bodies: string[] = [];
			for (const [path, code] of refusals) {
				const [p, q] = path.split('?');
				const r = await get('liaison', `${p}${suffix}${q ? `?${q}` : ''}`);
				// The page answers 404; __data.json answers 200 with the 404 as its last node.
				expect(r.status, path).toBe(suffix ? 200 : 404);
				// The address itself, echoed in the language switch's link, aside.
				const body = withoutNonces(await r.text())
					.replaceAll(code, 'X')
					.replaceAll('?d=czj', '')
					.replaceAll('%3Fd%3Dczj', '');
				expect(body).not.toContain('czj');
				bodies.push(body);
			}
			expect(new Set(bodies).size, `${suffix || 'page'}: ${bodies.join('\n---\n')}`).toBe(1);
		}
	});

	it('refuses an enterprise, whatever the campaign', async () => {
		for (const code of [CLOSED, ACTIVE, NONE]) {
			expect((await get('enterprise', `/surveys/${code}`)).status).toBe(403);
			expect((await get('enterprise', '/surveys')).status).toBe(403);
		}
	});

	it('shows staff every department, a running campaign included; not the liaison page', async () => {
		for (const who of ['admin', 'leader'] as const) {
			const r = await get(who, `/surveys/${ACTIVE}`);
			expect(r.status, who).toBe(200);
			const html = await r.text();
			expect(html).toContain('data-code="fgj"');
			expect(html).toContain('data-code="czj"');
			expect((await get(who, '/surveys')).status).toBe(403);
		}
	});
});
