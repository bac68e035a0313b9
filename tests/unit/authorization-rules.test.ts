// "A new route without a rule fails the build": every request the route tree answers (each page,
// named action, endpoint method and layout load under src/routes) has a row in the authorization
// table of tests/security/authorization-rules.ts, and no row names a request that is gone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requestKey, routeRequests } from '../helpers/route-entries';
import { pathOf, RULES } from '../security/authorization-rules';

const ruled = RULES.flatMap((r) => Object.keys(r.rules).map((method) => `${r.route} ${method}`));

describe('the authorization table', () => {
	const tree = routeRequests().map(requestKey);

	it('has a rule for every page, action, endpoint method and layout of the route tree', () => {
		expect(tree.length).toBeGreaterThan(100);
		const missing = tree.filter((k) => !ruled.includes(k));
		expect(missing, 'add these to tests/security/authorization-rules.ts').toEqual([]);
	});

	it('names no route, method or action that no longer exists', () => {
		const stale = ruled.filter((k) => !tree.includes(k));
		expect(stale, 'remove these from tests/security/authorization-rules.ts').toEqual([]);
	});

	it('has one row per route, and an address for each', () => {
		const routes = RULES.map((r) => r.route);
		expect(routes.filter((r, i) => routes.indexOf(r) !== i)).toEqual([]);
		for (const r of RULES) expect(pathOf(r), r.route).toMatch(/^\/[^\s[\]]*$/);
	});
});

describe('the route-tree walker', () => {
	const root = mkdtempSync(join(tmpdir(), 'pingyi-routes-'));
	afterAll(() => rmSync(root, { recursive: true, force: true }));
	const put = (file: string, text = '') => {
		mkdirSync(dirname(join(root, file)), { recursive: true });
		writeFileSync(join(root, file), text);
	};

	it('finds pages, actions, endpoint methods and layouts, as a new route would add them', () => {
		put('+layout.server.ts', 'export const load = (e) => allowPublic(e);');
		put('+page.svelte');
		put('(app)/things/+page.svelte');
		put(
			'(app)/things/[id]/+page.server.ts',
			`export const load = (e) => requireRole(e, ROLES.staff);
			 export const actions = { default: async (e) => {}, rename: async (e) => {} };`
		);
		put('(app)/things/[id]/+page.svelte');
		put(
			'api/things/+server.ts',
			'export const GET = (e) => {}; export async function DELETE(e) {}'
		);
		put('only-svelte/+page.svelte');
		expect(routeRequests(root).map(requestKey).sort()).toEqual(
			[
				'/ LAYOUT',
				'/ GET',
				'/(app)/things GET',
				'/(app)/things/[id] GET',
				'/(app)/things/[id] POST',
				'/(app)/things/[id] POST ?/rename',
				'/api/things GET',
				'/api/things DELETE',
				'/only-svelte GET'
			].sort()
		);
	});
});
