// The authorization matrix of spec/roles.md against the built app: every request of the route
// tree (tests/security/authorization-rules.ts, which the unit test keeps complete) made as every
// role (signed out, each account role's session, and on /api/ each role's API token). A role the
// rule leaves out gets 403, or sign-in (a 401 on the API) when signed out, and a refused request
// changes nothing in the database; a role the rule names is never told 401 or 403. The API reads
// no cookie: a session there is as good as none (401) unless the endpoint is public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ROLES, type AccountRole } from '$lib/domain/roles';
import { toSignIn } from '../helpers/app';
import { inParallel, startMatrixApp, type MatrixApp } from '../helpers/authorization';
import { pathOf, RULES, type Expect, type Rule, type Who } from './authorization-rules';

/** How a request says who makes it. */
type Via = 'none' | 'session' | 'token';

interface Case {
	route: string;
	method: string;
	path: string;
	who: Who;
	via: Via;
	allowed: boolean;
	expect: Expect;
}

const CONCURRENCY = 4;

function normalize(rule: readonly Who[] | Rule): Rule {
	return 'roles' in rule ? rule : { roles: rule };
}

function expectationOf(rule: Rule, method: string, who: Who): Expect {
	const e = rule.expect;
	const given = typeof e === 'object' ? e[who] : e;
	return given ?? (method === 'GET' || method === 'LAYOUT' ? 200 : 'any');
}

const CASES: Case[] = RULES.flatMap((row) =>
	Object.entries(row.rules).flatMap(([method, r]) => {
		const { route } = row;
		const path = pathOf(row);
		const rule = normalize(r);
		const callers: [Who, Via][] = [
			['public', 'none'],
			...ACCOUNT_ROLES.map((role): [Who, Via] => [role, 'session']),
			...(path.startsWith('/api/') ? ACCOUNT_ROLES.map((role): [Who, Via] => [role, 'token']) : [])
		];
		// On the API a session counts as signed out.
		const as = (who: Who, via: Via): Who =>
			path.startsWith('/api/') && via === 'session' ? 'public' : who;
		return callers.map(([who, via]) => ({
			route,
			method,
			path,
			who,
			via,
			allowed: rule.roles.includes(as(who, via)),
			expect: expectationOf(rule, method, as(who, via))
		}));
	})
);

const label = (c: Case) =>
	`${c.method} ${c.path} as ${c.who}${c.via === 'token' ? ' (API token)' : c.via === 'session' && c.path.startsWith('/api/') ? ' (session)' : ''}`;

/** Whether the request ends the session it is made with (then it gets a session of its own). */
const endsSession = (c: Case) => c.route === '/sign-out';

async function send(m: MatrixApp, c: Case): Promise<Response> {
	const [verb, action = ''] = c.method.split(' ');
	const post = verb === 'POST';
	const api = c.path.startsWith('/api/');
	const headers = new Headers();
	if (c.via === 'token') headers.set('authorization', `Bearer ${m.tokens[c.who as AccountRole]}`);
	let cookie: string | undefined;
	if (c.via === 'session') {
		const role = c.who as AccountRole;
		cookie = endsSession(c) ? await m.freshCookie(role) : m.cookies[role];
	}
	if (post)
		headers.set('content-type', api ? 'application/json' : 'application/x-www-form-urlencoded');
	if (api) headers.set('accept', 'application/json');
	return m.app.fetch(c.path + action, {
		method: post ? 'POST' : 'GET',
		headers,
		cookie,
		// An empty form (or JSON object): what an allowed role is answered does not depend on it
		// being valid; a refused one must be refused before the body is read.
		body: post ? (api ? '{}' : '') : undefined
	});
}

interface Answer {
	status: number;
	toSignIn: boolean;
	/** The start of the body, for the message when the status is not the expected one. */
	text: string;
}

describe('the authorization matrix', () => {
	let m: MatrixApp;
	const answers = new Map<Case, Answer>();
	let before = '';
	let afterRefused = '';

	const run = async (cases: Case[], limit = CONCURRENCY) => {
		await inParallel(cases, limit, async (c) => {
			const r = await send(m, c);
			const text = await r.text();
			answers.set(c, { status: r.status, toSignIn: toSignIn(r), text: text.slice(0, 300) });
		});
	};

	beforeAll(async () => {
		m = await startMatrixApp();
		const started = Date.now();
		// Refused requests first, and on their own: the database must be the same after them.
		before = await m.fingerprint();
		await run(CASES.filter((c) => !c.allowed));
		afterRefused = await m.fingerprint();
		// Then the allowed ones: reads before the writes that could change what a read finds,
		// and the requests that end a session last.
		const allowed = CASES.filter((c) => c.allowed);
		const read = (c: Case) =>
			c.method === 'GET' || c.method === 'LAYOUT' || c.method === 'fallback';
		await run(allowed.filter(read));
		await run(allowed.filter((c) => !read(c) && !endsSession(c)));
		await run(allowed.filter(endsSession));
		console.log(
			`authorization matrix: ${CASES.length} requests in ${Date.now() - started} ms on ${m.app.driver}`
		);
	}, 300_000);
	afterAll(() => m?.dispose());

	it('makes a request for every rule and caller', () => {
		expect(CASES.length).toBeGreaterThan(1000);
		expect(answers.size).toBe(CASES.length);
	});

	it('writes nothing for the refused requests', () => {
		expect(before).toMatch(/audit_entry/);
		expect(afterRefused).toBe(before);
	});

	it.each(CASES.filter((c) => !c.allowed).map((c) => [label(c), c] as const))(
		'refuses %s',
		(_, c) => {
			const a = answers.get(c)!;
			if (c.path.startsWith('/api/')) expect(a.status, a.text).toBe(c.via === 'token' ? 403 : 401);
			else if (c.who !== 'public') expect(a.status, a.text).toBe(403);
			else expect(a.toSignIn, `status ${a.status}`).toBe(true);
		}
	);

	it.each(CASES.filter((c) => c.allowed).map((c) => [label(c), c] as const))(
		'allows %s',
		(_, c) => {
			const a = answers.get(c)!;
			if (c.expect === 'any') {
				expect(a.status, a.text).not.toBe(401);
				expect(a.status, a.text).not.toBe(403);
				expect(a.status, a.text).toBeLessThan(500);
				if (c.via === 'none') expect(a.toSignIn).toBe(false);
			} else expect(a.status, a.text).toBe(c.expect);
		}
	);
});
