// The server entry points of src/routes, found by reading the route files (no build, no server):
// every `load`, form action and `+server.ts` handler, whether it calls the guard, and the
// requests a client can make (the route id with a method or action) for the authorization matrix.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROUTES_DIR = resolve(import.meta.dirname, '../../src/routes');
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

export function kindOf(fileName: string): Kind | null {
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

export function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
		d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]
	);
}

/**
 * One request the route tree answers, as the authorization matrix names it: `GET` (a page: its
 * load, or a `+page.svelte` alone), `POST` (a page's default action), `POST ?/name` (a named
 * action), an endpoint's method (`fallback`: any method it lacks), or `LAYOUT` (a layout's load).
 */
export interface RouteRequest {
	/** The SvelteKit route id: `/(app)/campaigns/[code]`, `/` for the root. */
	route: string;
	method: string;
}

export const requestKey = (r: RouteRequest) => `${r.route} ${r.method}`;

/** Every request of the route tree, in a stable order. */
export function routeRequests(root = ROUTES_DIR): RouteRequest[] {
	const found = new Map<string, RouteRequest>();
	const add = (route: string, method: string) => found.set(`${route} ${method}`, { route, method });
	for (const file of walk(root).sort()) {
		const dir = dirname(file);
		const route = '/' + relative(root, dir).split(/[\\/]/).filter(Boolean).join('/');
		const name = file.slice(dir.length + 1);
		if (name === '+page.svelte') add(route, 'GET');
		const kind = kindOf(name);
		if (!kind) continue;
		for (const e of checkSource(file, readFileSync(file, 'utf8'))) {
			if (kind === 'endpoint') add(route, e.name);
			else if (kind === 'layout') add(route, 'LAYOUT');
			else if (e.name === 'load') add(route, 'GET');
			else if (e.name === 'actions.default') add(route, 'POST');
			else if (e.name.startsWith('actions.')) add(route, `POST ?/${e.name.slice(8)}`);
		}
		// A page with a server file but no `+page.svelte` of its own is still a page when it loads.
		if (kind === 'page' && !existsSync(join(dir, '+page.svelte'))) add(route, 'GET');
	}
	return [...found.values()];
}
