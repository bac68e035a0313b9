// Every form action and every API endpoint that takes a body, fed generated bodies as a role
// allowed to use it (fast-check, a fixed seed printed so that a failure reproduces): random and
// very long strings, unicode, numbers out of range, dates that do not exist, fields missing,
// repeated or of the wrong type, files of random bytes where the action takes one. Never a 5xx,
// and a refused request (4xx, a form failure) leaves the database as it was: every table's row
// count and the audit trail's head on PostgreSQL, the audit trail's size and head on PGlite.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountRole } from '$lib/domain/roles';
import { makeDepartment, makeUser } from '../factories';
import { startMatrixApp, type MatrixApp } from '../helpers/authorization';
import { ROUTES_DIR } from '../helpers/route-entries';
import { pathOf, RULES, SEED, type Rule, type Who } from './authorization-rules';

const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Fields every form is also sent, so that a page whose fields the scan misses is still probed. */
const COMMON = ['id', 'code', 'year', 'date', 'reason', 'note', 'departmentCode', 'confirm'];

/** Where the fuzz may change what it likes: a department and an account of its own. */
const OWN_DEPARTMENT = 'fuzzdept';
const OWN_USER = 'fuzz-target';
/** Stands for the account's id in an address until the seed has made it. */
const OWN_USER_ID = ':own-user';

interface Target {
	label: string;
	route: string;
	url: string;
	who: Who;
	api: boolean;
	/** The form's field names, read from its page. */
	fields: string[];
	/** The name of its file field, when it takes a file. */
	file: string | null;
}

/** The `name="…"` attributes of a page's form fields (and its import panel's file). */
function formOf(route: string): { fields: string[]; file: string | null } {
	// An endpoint without a page of its own (the upload with progress) takes its page's form.
	const own = join(ROUTES_DIR, route, '+page.svelte');
	const page = existsSync(own) ? own : join(ROUTES_DIR, route, '..', '+page.svelte');
	const text = existsSync(page) ? readFileSync(page, 'utf8') : '';
	const fields = [...text.matchAll(/\bname="([A-Za-z_][\w.[\]-]*)"/g)].map((x) => x[1]!);
	const file = /import-panel|ImportPanel/.test(text)
		? 'file'
		: /type="file"/.test(text)
			? (fields.find((f) => /attach|file/i.test(f)) ?? 'file')
			: null;
	return { fields: [...new Set([...fields, ...COMMON])].filter((f) => f !== file), file };
}

/** One allowed caller: signed out when the public may, else admin when it may, else the first. */
function callerOf(rule: Rule): Who {
	if (rule.roles.includes('public')) return 'public';
	return rule.roles.includes('admin') ? 'admin' : rule.roles[0]!;
}

function targets(): Target[] {
	return RULES.flatMap((row) =>
		Object.entries(row.rules)
			.filter(([method]) => method.startsWith('POST') && row.route !== '/sign-out')
			.map(([method, r]) => {
				const rule: Rule = 'roles' in r ? r : { roles: r };
				const { route } = row;
				const path = pathOf(row);
				const api = path.startsWith('/api/');
				// The department and account the fuzz may change, not the ones the app runs on.
				const own = path
					.replace(/^\/departments\/(?!new$|import$)[^/]+/, `/departments/${OWN_DEPARTMENT}`)
					.replace(/^\/users\/\d+/, `/users/${OWN_USER_ID}`);
				const action = method.slice(5);
				return {
					label: `${method} ${own}`,
					route,
					url: own + action,
					who: callerOf(rule),
					api,
					...(api ? { fields: [], file: null } : formOf(route))
				};
			})
	);
}

// --- values: what a form field or a JSON member may be sent
const text = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.string({ minLength: 2000, maxLength: 5000 }),
	fc.constantFrom('', ' ', '\u0000', '\u202e', '市发展和改革局', '<script>', "' or 1=1 --", '%00')
);
const number = fc.oneof(
	fc.integer().map(String),
	fc.double().map(String),
	fc.constantFrom(
		'-1',
		'0',
		'1e309',
		'-1e309',
		'9007199254740993',
		'NaN',
		'Infinity',
		'0x10',
		'1,5'
	)
);
const date = fc.oneof(
	fc.constantFrom('2026-02-30', '2025-13-01', '0000-00-00', '9999-12-31', '2026-02-29', '2026-1-1'),
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
);
/** Values the seeded records make valid somewhere, so that some bodies get past the first check. */
const plausible = fc.constantFrom(
	SEED.department,
	OWN_DEPARTMENT,
	SEED.campaign,
	SEED.complaint,
	SEED.finding,
	String(SEED.year),
	'2026-03-02',
	'2026-03-02T10:00',
	'1',
	'2',
	'yes',
	'admin',
	'municipal',
	'standard-appraisal',
	'13812345678',
	'91330100MA0000001X'
);
const fieldValue = fc.oneof(
	plausible,
	text,
	number,
	date,
	fc.constantFrom('on', 'true', 'false', 'null', '[]', '{}')
);

/** A form: some of the fields (the rest missing), each once or repeated, with any value. */
const formBody = (fields: string[]) =>
	fc.array(
		fc.tuple(fc.constantFrom(...fields), fc.array(fieldValue, { minLength: 1, maxLength: 2 })),
		{
			maxLength: fields.length + 2
		}
	);

/** The import kind whose template a file field's route takes. */
const IMPORT_KIND: Record<string, string> = {
	'/(app)/departments/import': 'departments',
	'/(app)/enterprises/import': 'enterprises',
	'/(app)/calendar/import': 'holidays',
	'/(app)/findings/import': 'findings',
	'/(app)/cases/import': 'cases',
	'/(app)/complaints/import': 'complaints',
	'/(app)/responses/import': 'responses',
	'/(app)/responses/import/upload': 'responses',
	'/(app)/campaigns/[code]/sample/call-list': 'call-list',
	'/(app)/handbook': 'handbook'
};

const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;

/**
 * The kind's template (header and example row) with rows whose cells are the example's or any
 * value: gets past the header check into the rows, where a half-written import would show.
 */
const fromTemplate = (template: string) => {
	const [header = '', example = ''] = template.replace(/^\uFEFF/, '').split(/\r?\n/);
	const cells = example.split(',');
	const row = fc
		.array(fc.option(fieldValue, { freq: 2 }), { minLength: cells.length, maxLength: cells.length })
		.map((vs) => vs.map((v, i) => (v === null ? cells[i]! : csvCell(v))).join(','));
	return fc
		.array(row, { minLength: 1, maxLength: 5 })
		.map((rows) => new TextEncoder().encode([header, ...rows].join('\r\n')));
};

/** A small file: random bytes, CSV-looking text, a zip's start, or the kind's template mutated. */
const upload = (template: string | undefined) =>
	fc.record({
		name: fc.constantFrom('data.csv', 'data.csv', 'data.xlsx', 'data', '../../etc/passwd.csv'),
		bytes: fc.oneof(
			...(template ? [fromTemplate(template), fromTemplate(template)] : []),
			fc.uint8Array({ maxLength: 2048 }),
			fc
				.array(fc.array(text, { maxLength: 6 }), { maxLength: 8 })
				.map((rows) => new TextEncoder().encode(rows.map((r) => r.join(',')).join('\n'))),
			// The start of a ZIP (an .xlsx is one) and then garbage.
			fc.uint8Array({ maxLength: 512 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b]))
		)
	});

/** A JSON body: any JSON value, or an object of the API's usual members with any values. */
const jsonBody = fc.oneof(
	fc.jsonValue({ maxDepth: 3 }),
	fc.dictionary(
		fc.constantFrom(
			'items',
			'rows',
			'answers',
			'campaign',
			'departmentCode',
			'year',
			'no',
			'channel'
		),
		fc.oneof(
			fc.jsonValue({ maxDepth: 2 }),
			fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })))
		)
	)
);

const body = (t: Target, template: string | undefined) =>
	t.api
		? jsonBody.map((j) => ({ kind: 'json' as const, json: j }))
		: fc.record({
				form: formBody(t.fields),
				file: t.file ? fc.option(upload(template), { freq: 6 }) : fc.constant(null)
			});

type Body =
	| { kind: 'json'; json: unknown }
	| { form: [string, string[]][]; file: { name: string; bytes: Uint8Array } | null };

function encode(t: Target, b: Body): { body: BodyInit; type?: string } {
	if ('kind' in b) return { body: JSON.stringify(b.json), type: 'application/json' };
	if (t.file) {
		const data = new FormData();
		for (const [name, values] of b.form) for (const v of values) data.append(name, v);
		if (b.file) data.append(t.file, new Blob([b.file.bytes as BlobPart]), b.file.name);
		return { body: data };
	}
	const data = new URLSearchParams();
	for (const [name, values] of b.form) for (const v of values) data.append(name, v);
	return { body: data.toString(), type: 'application/x-www-form-urlencoded' };
}

describe('fuzzing the form actions and the API', () => {
	let m: MatrixApp;
	let userId = 0;
	const templates = new Map<string, string>();
	beforeAll(async () => {
		m = await startMatrixApp({
			seed: async (db) => {
				await makeDepartment(db, { code: OWN_DEPARTMENT });
				userId = (await makeUser(db, { username: OWN_USER, role: 'supervisor' })).id;
			}
		});
		for (const kind of new Set(Object.values(IMPORT_KIND))) {
			const r = await m.app.fetch(`/import-templates/${kind}`, { cookie: m.cookies.admin });
			expect(r.status, kind).toBe(200);
			templates.set(kind, await r.text());
		}
		console.log(
			`fuzz: seed ${FUZZ_SEED}, ${RUNS} runs per entry (FUZZ_SEED, FUZZ_RUNS) on ${m.app.driver}`
		);
	}, 120_000);
	/** How each entry answered, printed at the end: a fuzz that only ever hears 400 says so. */
	const tally = new Map<string, Map<string, number>>();
	afterAll(async () => {
		for (const [label, counts] of tally)
			console.log(`fuzz: ${label}: ${[...counts].map(([s, n]) => `${s}×${n}`).join(' ')}`);
		await m?.dispose();
	});

	const list = targets();

	it('has an entry for every form action and API endpoint that takes a body', () => {
		expect(list.length).toBeGreaterThan(80);
		expect(list.some((t) => t.file)).toBe(true);
		expect(list.some((t) => t.api)).toBe(true);
	});

	it.each(list.map((t) => [t.label, t] as const))(
		'%s',
		async (_, t) => {
			const url = t.url.replace(OWN_USER_ID, String(userId));
			const cookie = t.who === 'public' ? undefined : m.cookies[t.who as AccountRole];
			const headers: Record<string, string> = {};
			if (t.api) headers.authorization = `Bearer ${m.tokens[t.who as AccountRole]}`;
			let fingerprint = await m.fingerprint();
			await fc.assert(
				fc.asyncProperty(body(t, templates.get(IMPORT_KIND[t.route] ?? '')), async (b) => {
					const { body: sent, type } = encode(t, b as Body);
					const r = await m.app.fetch(url, {
						method: 'POST',
						cookie: t.api ? undefined : cookie,
						headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
						body: sent
					});
					const answer = await r.text();
					// An upload with progress answers 200 and tells its outcome in the last line.
					const streamed = /ndjson/.test(r.headers.get('content-type') ?? '')
						? (JSON.parse(answer.trim().split('\n').at(-1)!) as { type: string })
						: null;
					expect(streamed?.type, answer.slice(0, 500)).not.toBe('error');
					const outcome = `${r.status}${streamed ? `/${streamed.type}` : ''}`;
					const counts = tally.get(t.label) ?? new Map<string, number>();
					tally.set(t.label, counts.set(outcome, (counts.get(outcome) ?? 0) + 1));
					expect(r.status, answer.slice(0, 500)).toBeLessThan(500);
					const after = await m.fingerprint();
					// A refusal writes nothing; a success may (and is the new baseline).
					if (r.status >= 400 || streamed?.type === 'refused')
						expect(after, `answered ${r.status}`).toBe(fingerprint);
					fingerprint = after;
				}),
				{ seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true }
			);
		},
		60_000
	);
});
