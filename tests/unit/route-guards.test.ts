// Fails when a server entry point skips its role check: every `load` and action of a
// `+page.server.ts`, every `+layout.server.ts` load and every `+server.ts` handler must call
// `requireRole(` or `allowPublic(` (or, on the second step's pages, `requireSecondStep(` or
// `requireEnrolment(`) in its own body (a layout's check does not cover a page:
// `__data.json` and client-side navigation reach a page's load on their own).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource, kindOf, ROUTES_DIR as ROUTES, walk } from '../helpers/route-entries';

describe('route guards', () => {
	const files = walk(ROUTES).filter((f) => kindOf(f));
	const entries = files.flatMap((f) =>
		checkSource(relative(resolve(ROUTES, '../..'), f), readFileSync(f, 'utf8'))
	);

	it('finds the server entry points', () => {
		expect(files.length).toBeGreaterThan(0);
		expect(entries.length).toBeGreaterThan(0);
		// Known ones, so that a walker that silently finds nothing cannot pass.
		const names = entries.map((e) => `${e.file}#${e.name}`);
		expect(names).toContain('src/routes/(public)/sign-in/+page.server.ts#load');
		expect(names).toContain('src/routes/(public)/sign-in/+page.server.ts#actions.default');
		expect(names).toContain('src/routes/sign-out/+server.ts#POST');
		expect(names).toContain('src/routes/+layout.server.ts#load');
	});

	it('has every load, action and handler call requireRole( or allowPublic(', () => {
		const unguarded = entries
			.filter((e) => !e.guarded)
			.map((e) => `${e.file}: ${e.name}${e.problem ? ` (${e.problem})` : ''}`);
		expect(unguarded, 'these server entry points do not call the guard').toEqual([]);
	});
});

describe('the route-guard walker itself', () => {
	const flagged = (file: string, source: string) =>
		checkSource(file, source)
			.filter((e) => !e.guarded)
			.map((e) => e.name);

	it('flags a load, an action and a handler without the guard', () => {
		expect(
			flagged(
				'src/routes/x/+page.server.ts',
				`export const load = async (event) => ({ secret: 1 });
				 export const actions = {
					save: async (event) => { requireRole(event, ROLES.staff); },
					remove: async (event) => { await db().delete(thing); },
					async rename(event) { allowPublic(event); }
				 };`
			)
		).toEqual(['load', 'actions.remove']);
		expect(
			flagged(
				'src/routes/api/+server.ts',
				`import { requireRole } from '$lib/server/auth/guard';
				 export const GET = (event) => { requireRole(event, ROLES.staff); return json(1); };
				 export async function DELETE(event) { return new Response(); }`
			)
		).toEqual(['DELETE']);
		expect(
			flagged('src/routes/+layout.server.ts', `export function load() { return { user: 1 }; }`)
		).toEqual(['load']);
	});

	it('does not accept a guard called only in a nested function or merely mentioned', () => {
		expect(
			flagged(
				'src/routes/y/+page.server.ts',
				`export const load = async (event) => {
					const later = () => requireRole(event, ROLES.staff);
					// requireRole(event, ROLES.staff)
					const name = 'allowPublic(event)';
					return { later, name };
				 };`
			)
		).toEqual(['load']);
	});

	it("accepts the API's handle(event, ROLES.x | 'public', run) in an endpoint only", () => {
		expect(
			flagged(
				'src/routes/api/v1/x/+server.ts',
				`export const POST = (event) => handle(event, ROLES.manageCases, async (p) => json(1));
				 export const GET = (event) => handle(event, 'public', async () => json(1));
				 export const PUT = (event) => handle(event, roles, async () => json(1));
				 export const DELETE = (event) => handle(event, 'private', async () => json(1));
				 export const PATCH = (event) => handle(async () => json(1));`
			)
		).toEqual(['PUT', 'PATCH', 'DELETE']);
		expect(
			flagged(
				'src/routes/q/+page.server.ts',
				`export const load = (event) => handle(event, ROLES.staff, async () => ({}));`
			)
		).toEqual(['load']);
	});

	it('follows local names and flags what it cannot see', () => {
		expect(
			flagged(
				'src/routes/z/+server.ts',
				`async function handler(event) { requireRole(event, ROLES.staff); }
				 function open(event) { return new Response(); }
				 export { handler as GET, open as POST };
				 export { PUT } from './elsewhere';
				 export const PATCH = wrap(handler);`
			)
		).toEqual(['POST', 'PUT', 'PATCH']);
		expect(
			flagged(
				'src/routes/w/+page.server.ts',
				`const save = async (event) => { await thing(event); };
				 export const actions = { save } satisfies Actions;`
			)
		).toEqual(['actions.save']);
		expect(
			flagged(
				'src/routes/v/+page.server.ts',
				`export const load = (event) => requireRole(event, ROLES.staff);`
			)
		).toEqual([]);
	});
});
