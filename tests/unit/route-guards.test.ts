// Fails when a server entry point skips its role check: every `load` and action of a
// `+page.server.ts`, every `+layout.server.ts` load and every `+server.ts` handler must call
// `requireRole(` or `allowPublic(` (or, on the second step's pages, `requireSecondStep(` or
// `requireEnrolment(`) in its own body (a layout's check does not cover a page:
// `__data.json` and client-side navigation reach a page's load on their own).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROUTES = resolve(import.meta.dirname, '../../src/routes');
const GUARDS = new Set(['requireRole', 'allowPublic', 'requireSecondStep', 'requireEnrolment']);
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

type Kind = 'page' | 'layout' | 'endpoint';

export interface EntryPoint {
	file: string;
	/** `load`, `actions.<name>`, or the HTTP method. */
	name: string;
	guarded: boolean;
	/** Why it could not be checked (not a function written in this file). */
	problem?: string;
}

function kindOf(fileName: string): Kind | null {
	if (/\+page\.server\.[jt]s$/.test(fileName)) return 'page';
	if (/\+layout\.server\.[jt]s$/.test(fileName)) return 'layout';
	if (/\+server\.[jt]s$/.test(fileName)) return 'endpoint';
	return null;
}

type FunctionNode =
	ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

function isFunction(n: ts.Node): n is FunctionNode {
	return (
		ts.isFunctionDeclaration(n) ||
		ts.isFunctionExpression(n) ||
		ts.isArrowFunction(n) ||
		ts.isMethodDeclaration(n)
	);
}

/** Strips `x as T`, `x satisfies T`, `(x)` and `x!` around an expression. */
function unwrap(e: ts.Expression): ts.Expression {
	while (
		ts.isAsExpression(e) ||
		ts.isSatisfiesExpression(e) ||
		ts.isParenthesizedExpression(e) ||
		ts.isNonNullExpression(e)
	)
		e = e.expression;
	return e;
}

/**
 * `handle(event, ROLES.x | 'public', run)` of $lib/server/api: the JSON API's guard, which calls
 * requireRole/allowPublic itself. Accepted only in an endpoint, and only with a named role set
 * or 'public' written in place, so that any other `handle(` call does not pass for a guard.
 */
function isApiGuard(call: ts.CallExpression): boolean {
	const roles = call.arguments[1] && unwrap(call.arguments[1]);
	return (
		call.arguments.length === 3 &&
		!!roles &&
		((ts.isPropertyAccessExpression(roles) &&
			ts.isIdentifier(roles.expression) &&
			roles.expression.text === 'ROLES') ||
			(ts.isStringLiteral(roles) && roles.text === 'public'))
	);
}

/** Whether the function's own body (not a function nested in it) calls a guard. */
function callsGuard(fn: FunctionNode, kind: Kind): boolean {
	let found = false;
	const visit = (n: ts.Node) => {
		if (found || (n !== fn && isFunction(n))) return;
		if (ts.isCallExpression(n)) {
			const callee = unwrap(n.expression);
			const name = ts.isIdentifier(callee)
				? callee.text
				: ts.isPropertyAccessExpression(callee)
					? callee.name.text
					: null;
			if (name && GUARDS.has(name)) found = true;
			if (name === 'handle' && kind === 'endpoint' && isApiGuard(n)) found = true;
		}
		ts.forEachChild(n, visit);
	};
	if (fn.body) ts.forEachChild(fn.body, visit);
	// A concise arrow body: `(event) => requireRole(event, …)`.
	if (fn.body && !ts.isBlock(fn.body)) visit(fn.body);
	return found;
}

/** Finds every server entry point in one file's source and whether it calls a guard. */
export function checkSource(file: string, source: string): EntryPoint[] {
	const kind = kindOf(file);
	if (!kind) return [];
	const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

	// Top-level functions and constants by name, to follow `export { handler as GET }` and
	// actions written as `{ save }` or `{ save: save }`.
	const locals = new Map<string, ts.Node>();
	for (const st of sf.statements) {
		if (ts.isFunctionDeclaration(st) && st.name) locals.set(st.name.text, st);
		if (ts.isVariableStatement(st))
			for (const d of st.declarationList.declarations)
				if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d.initializer);
	}
	const resolveFn = (n: ts.Node | undefined, seen = new Set<string>()): FunctionNode | null => {
		if (!n) return null;
		if (isFunction(n)) return n;
		if (ts.isExpression(n)) {
			const e = unwrap(n);
			if (isFunction(e)) return e;
			if (ts.isIdentifier(e) && !seen.has(e.text)) {
				seen.add(e.text);
				return resolveFn(locals.get(e.text), seen);
			}
		}
		return null;
	};

	const exported = new Map<string, ts.Node | undefined>();
	const isExported = (n: ts.Node) =>
		ts.canHaveModifiers(n) &&
		(ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
	for (const st of sf.statements) {
		if (ts.isFunctionDeclaration(st) && st.name && isExported(st)) exported.set(st.name.text, st);
		if (ts.isVariableStatement(st) && isExported(st))
			for (const d of st.declarationList.declarations)
				if (ts.isIdentifier(d.name)) exported.set(d.name.text, d.initializer);
		if (
			ts.isExportDeclaration(st) &&
			!st.moduleSpecifier &&
			st.exportClause &&
			ts.isNamedExports(st.exportClause)
		)
			for (const el of st.exportClause.elements)
				exported.set(el.name.text, locals.get((el.propertyName ?? el.name).text));
		// `export { GET } from './elsewhere'`: the guard is not in this file, so it cannot be checked.
		if (
			ts.isExportDeclaration(st) &&
			st.moduleSpecifier &&
			st.exportClause &&
			ts.isNamedExports(st.exportClause)
		)
			for (const el of st.exportClause.elements) exported.set(el.name.text, undefined);
	}

	const result: EntryPoint[] = [];
	const check = (name: string, node: ts.Node | undefined) => {
		const fn = resolveFn(node);
		result.push(
			fn
				? { file, name, guarded: callsGuard(fn, kind) }
				: { file, name, guarded: false, problem: 'not a function defined in this file' }
		);
	};

	const names = kind === 'endpoint' ? HTTP_METHODS : ['load'];
	for (const name of names) if (exported.has(name)) check(name, exported.get(name));

	if (kind === 'page' && exported.has('actions')) {
		let obj = exported.get('actions');
		if (obj && ts.isExpression(obj)) {
			obj = unwrap(obj);
			if (ts.isIdentifier(obj)) obj = locals.get(obj.text);
		}
		obj = obj && ts.isExpression(obj) ? unwrap(obj) : obj;
		if (!obj || !ts.isObjectLiteralExpression(obj)) {
			result.push({ file, name: 'actions', guarded: false, problem: 'not an object literal' });
		} else {
			for (const p of obj.properties) {
				const key =
					p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '?';
				if (ts.isPropertyAssignment(p)) check(`actions.${key}`, p.initializer);
				else if (ts.isMethodDeclaration(p)) check(`actions.${key}`, p);
				else if (ts.isShorthandPropertyAssignment(p)) check(`actions.${key}`, p.name);
				else
					result.push({
						file,
						name: `actions.${key}`,
						guarded: false,
						problem: 'unsupported form'
					});
			}
		}
	}
	return result;
}

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
		d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]
	);
}

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
