// The built app anchors its audit trail outside the database: every change made through it
// grows the anchor file by a signed head, `audit verify --anchor` passes on it, and fails once a
// superuser deletes the newest entry — which the chain alone cannot show. The admin's download
// of the trail is audited and refused to anyone else.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { auditEntry } from '$lib/server/db/schema';
import { makeUser } from '../factories';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { spawnCli } from '../helpers/cli-process';
import { DRIVERS } from '../helpers/db';

const heads = (file: string) =>
	existsSync(file)
		? readFileSync(file, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l) as { seq: number; hash: string; kid: string })
		: [];

async function until(what: string, ok: () => boolean, ms = 15_000) {
	const end = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe.each(DRIVERS)('the audit anchor of the running app [%s]', (driver) => {
	let app: RunningApp;
	let anchorFile: string;
	let env: NodeJS.ProcessEnv;
	const verify = () =>
		spawnCli(['audit', 'verify', '--anchor', anchorFile, '--json', '--lang', 'en'], env);

	beforeAll(async () => {
		app = await startApp({
			postgres: driver === 'postgres',
			seed: async (db) => {
				await makeUser(db, { username: 'clerk', role: 'supervisor' });
			}
		});
		anchorFile = join(app.workDir, 'audit-anchor.jsonl');
		env = { ...process.env, PINGYI_AUDIT_KEY_FILE: join(app.workDir, 'audit.key') };
		for (const k of ['PINGYI_AUDIT_KEY', 'DATABASE_URL', 'PGLITE_DIR']) delete env[k];
		Object.assign(
			env,
			driver === 'pglite' ? { PGLITE_DIR: app.pgliteDir! } : { DATABASE_URL: app.databaseUrl! }
		);
	});
	afterAll(() => app?.dispose());

	it('makes its key file readable by its owner only, outside the database', () => {
		const key = join(app.workDir, 'audit.key');
		expect(statSync(key).mode & 0o777).toBe(0o600);
		expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
	});

	it('appends a signed head after each change made through it', async () => {
		// On start: the head of what the seed step wrote.
		await until('the head on start', () => heads(anchorFile).length > 0);
		const before = heads(anchorFile).at(-1)!.seq;
		const admin = await app.signIn(ADMIN.username, ADMIN.password);
		expect(admin.response.status).toBe(303);
		await until('the sign-in', () => heads(anchorFile).at(-1)!.seq === before + 1);

		// The download is a change too: the export is recorded, and anchored.
		const csv = await app.fetch('/audit/download/csv', { cookie: admin.cookie });
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = Buffer.from(await csv.arrayBuffer());
		// UTF-8 with BOM, as the project's other CSV files, for Excel.
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = bytes.subarray(3).toString('utf8');
		expect(text.split('\r\n')[0]).toBe(
			'seq,at,actor_kind,actor_id,actor_label,action,entity,entity_id,changes,client_address,prev_hash,hash'
		);
		expect(text).toContain('audit.export');
		await until('the export', () => heads(anchorFile).at(-1)!.seq === before + 2);
	});

	it('refuses the download to anyone but an admin', async () => {
		const clerk = await app.signIn('clerk', 'correct horse battery');
		const refused = await app.fetch('/audit/download/jsonl', { cookie: clerk.cookie });
		expect(refused.status).toBe(403);
		const anonymous = await app.fetch('/audit/download/jsonl');
		expect(anonymous.status).toBe(303);
	});

	it('verifies against the anchor, then fails once the newest entry is deleted', async () => {
		const last = heads(anchorFile).at(-1)!.seq;
		// PostgreSQL serves many processes; PGlite only one, so the app stops first.
		if (driver === 'pglite') await app.stop();
		await until('the last head', () => heads(anchorFile).at(-1)!.seq >= last);
		const ok = await verify();
		expect(ok.code, ok.stderr).toBe(0);
		const newest = heads(anchorFile).at(-1)!.seq;
		expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, anchor: { anchored: newest } });

		const handle = await app.openDatabase();
		try {
			const [row] = await handle.db
				.select({ seq: auditEntry.seq })
				.from(auditEntry)
				.orderBy(desc(auditEntry.seq))
				.limit(1);
			expect(row!.seq).toBe(newest);
			await handle.db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
			await handle.db.delete(auditEntry).where(eq(auditEntry.seq, newest));
			await handle.db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
			// The chain alone still verifies.
			expect((await audit.verify(handle.db)).ok).toBe(true);
		} finally {
			await handle.close();
		}

		const broken = await verify();
		expect(broken.code).toBe(1);
		expect(broken.stderr).toContain(`The audit chain ends at entry ${newest - 1}`);
		expect(broken.stderr).toContain('the newest entries were deleted');
		expect(JSON.parse(broken.stdout)).toMatchObject({
			error: { code: 'audit_anchor_behind', details: [{ head: newest - 1, anchored: newest }] }
		});
	});
});
