// API tokens: issued for a role (a liaison's for a department), shown once, stored as a hash,
// refused after revocation, last use stamped at most once a minute; every change audited.
import { issueCode } from '$lib/errors';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSchema } from '$lib/schemas/tokens';
import * as apiTokens from '$lib/server/auth/api-token';
import { openDatabase, type Database } from '$lib/server/db';
import { apiToken, auditEntry, serviceCase } from '$lib/server/db/schema';
import { spawnCli } from '../helpers/cli-process';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';

async function auditActions(db: Database, entityId: string) {
	const entries = await db
		.select({ action: auditEntry.action })
		.from(auditEntry)
		.where(eq(auditEntry.entityId, entityId))
		.orderBy(auditEntry.seq);
	return entries.map((e) => e.action);
}

describeEachDatabase('api tokens', (t) => {
	it('issues a token shown once; only a hash of its secret is stored', async () => {
		const { token, record } = await t.db.transaction((tx) =>
			apiTokens.create(tx, { name: 'case system', role: 'supervisor' }, testActor)
		);
		expect(token).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
		const [id, secret] = token.split('.');
		expect(record).toMatchObject({
			id,
			name: 'case system',
			role: 'supervisor',
			departmentId: null
		});
		const [row] = await t.db.select().from(apiToken).where(eq(apiToken.id, id!));
		expect(Buffer.from(row!.secretHash).toString('utf8')).not.toContain(secret);
		expect(Buffer.from(row!.secretHash).length).toBe(32);
		expect(await auditActions(t.db, id!)).toEqual(['api_token.issue']);

		const valid = await apiTokens.validate(t.db, token);
		expect(valid).toMatchObject({ id, role: 'supervisor' });
		expect(await apiTokens.validate(t.db, `${id}.${secret}x`)).toBeNull();
		expect(await apiTokens.validate(t.db, `${id}x.${secret}`)).toBeNull();
		expect(await apiTokens.validate(t.db, `${token}.extra`)).toBeNull();
		expect(await apiTokens.validate(t.db, '')).toBeNull();
	});

	it("binds a liaison's token to its department, found by code", async () => {
		const dept = await makeDepartment(t.db);
		const { record, departmentCode } = await t.db.transaction((tx) =>
			apiTokens.create(
				tx,
				{ name: 'dept system', role: 'liaison', departmentCode: dept.code },
				testActor
			)
		);
		expect(record.departmentId).toBe(dept.id);
		expect(departmentCode).toBe(dept.code);
		await expect(
			t.db.transaction((tx) =>
				apiTokens.create(tx, { name: 'x', role: 'liaison', departmentCode: 'no-such' }, testActor)
			)
		).rejects.toMatchObject({ code: 'department_unknown' });
	});

	it('validates the input: name, staff roles only, a department for a liaison alone', () => {
		const problems = (input: Record<string, unknown>) => {
			const r = createTokenSchema.safeParse(input);
			return r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}:${issueCode(i)}`);
		};
		expect(problems({ name: 'a', role: 'leader' })).toEqual([]);
		expect(problems({ name: ' ', role: 'leader' })).toEqual(['name:required']);
		expect(problems({ name: 'a', role: 'enterprise' })).toEqual(['role:choice']);
		expect(problems({ name: 'a', role: 'liaison' })).toEqual([
			'departmentCode:token_department_required'
		]);
		expect(problems({ name: 'a', role: 'admin', departmentCode: 'fgj' })).toEqual([
			'departmentCode:token_department_forbidden'
		]);
	});

	it('stamps last use at most once a minute', async () => {
		const { token, record } = await t.db.transaction((tx) =>
			apiTokens.create(tx, { name: 'hotline', role: 'supervisor' }, testActor)
		);
		const lastUsed = async () =>
			(await t.db.select().from(apiToken).where(eq(apiToken.id, record.id)))[0]!.lastUsedAt;
		expect(await lastUsed()).toBeNull();
		const t0 = new Date('2026-03-02T01:00:00.000Z');
		await apiTokens.validate(t.db, token, t0);
		expect((await lastUsed())?.toISOString()).toBe(t0.toISOString());
		// 59 seconds later: no write.
		await apiTokens.validate(t.db, token, new Date(t0.getTime() + 59_000));
		expect((await lastUsed())?.toISOString()).toBe(t0.toISOString());
		// Over a minute later: stamped again.
		const t2 = new Date(t0.getTime() + 61_000);
		const seen = await apiTokens.validate(t.db, token, t2);
		expect(seen?.lastUsedAt?.toISOString()).toBe(t2.toISOString());
		expect((await lastUsed())?.toISOString()).toBe(t2.toISOString());
	});

	it('revokes a token for good, audited, and refuses it from then on', async () => {
		const { token, record } = await t.db.transaction((tx) =>
			apiTokens.create(tx, { name: 'old system', role: 'admin' }, testActor)
		);
		expect(await apiTokens.validate(t.db, token)).not.toBeNull();
		const revoked = await t.db.transaction((tx) => apiTokens.revoke(tx, record.id, testActor));
		expect(revoked.revokedAt).toBeInstanceOf(Date);
		expect(await apiTokens.validate(t.db, token)).toBeNull();
		expect(await auditActions(t.db, record.id)).toEqual(['api_token.issue', 'api_token.revoke']);
		await expect(
			t.db.transaction((tx) => apiTokens.revoke(tx, record.id, testActor))
		).rejects.toMatchObject({ code: 'token_already_revoked' });
		await expect(
			t.db.transaction((tx) => apiTokens.revoke(tx, 'nosuchtoken', testActor))
		).rejects.toMatchObject({ code: 'token_not_found' });
		expect(await auditActions(t.db, record.id)).toHaveLength(2);
	});

	it('lists tokens without their hashes, active first, with a total for paging', async () => {
		const { rows, total } = await apiTokens.list(t.db, 1, 100);
		const [n] = await t.db.select({ n: count() }).from(apiToken);
		expect(total).toBe(n!.n);
		expect(rows.length).toBe(total);
		expect(rows.some((r) => 'secretHash' in r)).toBe(false);
		const firstRevoked = rows.findIndex((r) => r.revokedAt);
		expect(firstRevoked).toBeGreaterThan(0);
		expect(rows.slice(firstRevoked).every((r) => r.revokedAt)).toBe(true);
		expect(rows.find((r) => r.name === 'dept system')?.departmentCode).toBeTruthy();
		const second = await apiTokens.list(t.db, 2, 2);
		expect(second.rows).toHaveLength(Math.min(2, total - 2));
	});
});

// The CLI as a person runs it, on a PGlite folder: token create, import cases / complaints.
const cli = (args: string[], env: NodeJS.ProcessEnv) => spawnCli(args, env);

// Each case spawns the CLI a few times (a start is a second or two, more on a busy machine).
describe('cli: token create, import cases and complaints [pglite]', { timeout: 120_000 }, () => {
	let dir: string;
	let env: NodeJS.ProcessEnv;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'pingyi-cli-tokens-'));
		env = { ...process.env, LANG: 'C.UTF-8', PGLITE_DIR: join(dir, 'db') };
		for (const key of ['DATABASE_URL', 'PINGYI_LANG', 'LC_ALL', 'LC_MESSAGES']) delete env[key];
		const handle = await openDatabase({ pgliteDir: join(dir, 'db') });
		try {
			await handle.migrate();
			await makeDepartment(handle.db, { code: 'fgj' });
		} finally {
			await handle.close();
		}
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('prints a token once, as JSON with --json, and refuses bad input in the language asked', async () => {
		const r = await cli(
			['token', 'create', '--name', 'case system', '--role', 'supervisor', '--json'],
			env
		);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const doc = JSON.parse(r.stdout) as Record<string, string>;
		expect(doc).toMatchObject({ name: 'case system', role: 'supervisor', department: null });
		expect(doc.token).toMatch(new RegExp(`^${doc.id}\\.[a-z2-7]+$`));

		const text = await cli(
			[
				'token',
				'create',
				'--name',
				'fgj system',
				'--role',
				'liaison',
				'--department',
				'fgj',
				'--lang',
				'en'
			],
			env
		);
		expect(text.code).toBe(0);
		const lines = text.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/^Issued the token “fgj system” \(.+, id [a-z2-7]+\)/);
		expect(lines.at(-1)).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);

		const bad = await cli(
			['token', 'create', '--name', 'x', '--role', 'liaison', '--lang', 'en'],
			env
		);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain("--department: A liaison's token needs a department");

		const handle = await openDatabase({ pgliteDir: join(dir, 'db') });
		try {
			const [n] = await handle.db.select({ n: count() }).from(apiToken);
			expect(n!.n).toBe(2);
			const stored = await handle.db.select().from(apiToken);
			expect(await apiTokens.validate(handle.db, doc.token!)).toMatchObject({ id: doc.id });
			expect(stored.map((s) => s.name).sort()).toEqual(['case system', 'fgj system']);
		} finally {
			await handle.close();
		}
	});

	it('imports a cases file and a complaints file; a bad file exits 1 listing its rows', async () => {
		const cases = join(dir, 'cases.csv');
		writeFileSync(
			cases,
			'\uFEFFcase_no,department_code,item_code,item_name,accepted_at,completed_at,promised_working_days\n' +
				'C-1,fgj,XK-1,登记,2026-03-02 07:15,,3\nC-2,fgj,XK-1,登记,2026-03-02 08:00,2026-03-03 08:00,0\n'
		);
		const ok = await cli(['import', 'cases', cases, '--json'], env);
		expect(ok.stderr).toBe('');
		expect(ok.code).toBe(0);
		expect(JSON.parse(ok.stdout)).toMatchObject({
			kind: 'cases',
			rows: 2,
			created: 2,
			unchanged: 0
		});
		const twice = await cli(['import', 'cases', cases, '--json'], env);
		expect(JSON.parse(twice.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });

		const complaints = join(dir, 'complaints.csv');
		writeFileSync(
			complaints,
			'complaint_no,department_code,received_at,channel,category,verdict,concluded_at,response_late,summary\n' +
				'T-1,fgj,2026-03-02 07:15,热线,拖延,partial,2026-03-09 10:00,true,摘要\n'
		);
		const imported = await cli(['import', 'complaints', complaints, '--lang', 'en'], env);
		expect(imported.code).toBe(0);

		const bad = join(dir, 'bad.csv');
		writeFileSync(
			bad,
			'case_no,department_code,item_code,item_name,accepted_at,completed_at,promised_working_days\n' +
				'C-3,fgj,XK-1,登记,2026-02-30 08:00,,3\n'
		);
		const refused = await cli(['import', 'cases', bad, '--lang', 'en'], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('accepted_at');
		expect(refused.stderr).toContain('“2026-02-30 08:00” is not a valid date-time');

		const handle = await openDatabase({ pgliteDir: join(dir, 'db') });
		try {
			const [n] = await handle.db.select({ n: count() }).from(serviceCase);
			expect(n!.n).toBe(2);
		} finally {
			await handle.close();
		}
	});
});
