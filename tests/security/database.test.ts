// The data's own safeguards, around the built app: a second process on the embedded database
// while the app holds it is refused with an error naming the holder (never a corrupt folder),
// and editing a past audit entry is detected by the hash chain, by the code and by the CLI.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { openDatabase, rows, type DatabaseHandle } from '$lib/server/db';
import { DatabaseLockedError } from '$lib/server/db/lock';
import type { AuditEntry } from '$lib/server/db/schema';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { cli } from '../helpers/cli';
import { DRIVERS } from '../helpers/db';
import { makeUser } from '../factories';

describe('a second process on the embedded database', () => {
	let app: RunningApp;
	beforeAll(async () => {
		app = await startApp();
	});
	afterAll(() => app?.dispose());

	it('is refused by openDatabase with an error naming the app process', async () => {
		const attempt = openDatabase({ pgliteDir: app.pgliteDir! });
		await expect(attempt).rejects.toBeInstanceOf(DatabaseLockedError);
		await expect(attempt).rejects.toThrow(`process ${app.pid}`);
	});

	it('is refused for the CLI, which exits non-zero naming the holder', async () => {
		const r = await cli(['db', 'migrate', '--json'], { PGLITE_DIR: app.pgliteDir! });
		expect(r.code).not.toBe(0);
		const out = JSON.parse(r.stdout) as {
			error: { code: string; details: { pid: number; dir: string }[] };
		};
		expect(out.error.code).toBe('database_locked');
		expect(out.error.details[0]!.pid).toBe(app.pid);
		expect(r.stderr).toContain(String(app.pid));
	});

	it('leaves the app working on an intact database', async () => {
		const s = await app.signIn(ADMIN.username, ADMIN.password);
		expect(s.response.status).toBe(303);
		expect(s.cookie).toBeTruthy();
		await app.stop();
		// Released on exit: now the folder opens, and its audit trail verifies.
		const handle = await app.openDatabase();
		try {
			expect((await audit.verify(handle.db)).ok).toBe(true);
		} finally {
			await handle.close();
		}
	});
});

describe.each(DRIVERS)('the audit trail of the running app [%s]', (driver) => {
	let app: RunningApp;
	beforeAll(async () => {
		app = await startApp({
			postgres: driver === 'postgres',
			seed: async (db) => {
				await makeUser(db, { username: 'clerk', role: 'supervisor' });
			}
		});
	});
	afterAll(() => app?.dispose());

	it('detects an edited entry, even one whose own hash was recomputed', async () => {
		// Entries written by the app through its pages: sign-ins and a sign-out.
		const admin = await app.signIn(ADMIN.username, ADMIN.password);
		const clerk = await app.signIn('clerk', 'correct horse battery');
		expect(clerk.cookie).toBeTruthy();
		const out = await app.fetch('/sign-out', { method: 'POST', cookie: clerk.cookie });
		expect(out.status).toBe(303);
		expect(admin.cookie).toBeTruthy();

		// PostgreSQL serves many processes; PGlite only one, so the app stops first.
		if (driver === 'pglite') await app.stop();
		const where =
			driver === 'pglite' ? { PGLITE_DIR: app.pgliteDir! } : { DATABASE_URL: app.databaseUrl! };
		let handle: DatabaseHandle = await app.openDatabase();
		let target: AuditEntry;
		try {
			const before = await audit.verify(handle.db);
			expect(before.ok).toBe(true);
			const entries = await rows<{ seq: string; action: string }>(
				handle.db,
				sql`select seq, action from audit_entry order by seq`
			);
			const signIn = entries.filter((e) => e.action === 'session.sign_in').at(-1)!;
			expect(signIn).toBeTruthy();
			expect(entries.some((e) => e.action === 'session.sign_out')).toBe(true);
			const seq = Number(signIn.seq);
			expect(seq).toBeLessThan(Number(entries.at(-1)!.seq));

			// Someone with database rights rewrites who signed in, around the append-only trigger.
			await handle.db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
			await handle.db.execute(
				sql`update audit_entry set actor_label = 'someone-else' where seq = ${seq}`
			);
			let result = await audit.verify(handle.db);
			expect(result.ok).toBe(false);
			expect(result.firstBroken).toEqual({ seq, reason: 'hash' });

			// A cleverer forger recomputes the entry's hash: the next entry's link then breaks.
			const [edited] = await rows<Record<string, unknown>>(
				handle.db,
				sql`select * from audit_entry where seq = ${seq}`
			);
			target = {
				seq,
				at: new Date(edited!.at as string),
				actorKind: edited!.actor_kind,
				actorId: edited!.actor_id,
				actorLabel: edited!.actor_label,
				action: edited!.action,
				entity: edited!.entity,
				entityId: edited!.entity_id,
				changes: edited!.changes,
				clientAddress: edited!.client_address,
				prevHash: edited!.prev_hash,
				hash: ''
			} as AuditEntry;
			await handle.db.execute(
				sql`update audit_entry set hash = ${audit.entryHash(target)} where seq = ${seq}`
			);
			await handle.db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
			result = await audit.verify(handle.db);
			expect(result.ok).toBe(false);
			expect(result.firstBroken).toEqual({ seq: seq + 1, reason: 'link' });
		} finally {
			await handle.close();
		}

		// `npm run cli -- audit verify` fails and names the first broken entry.
		const r = await cli(['audit', 'verify', '--json'], where);
		expect(r.code).toBe(1);
		const report = JSON.parse(r.stdout) as { error: { code: string; details: { seq: number }[] } };
		expect(report.error.code).toBe('audit_chain_broken');
		expect(report.error.details[0]!.seq).toBe(target.seq + 1);
		expect(r.stderr).toContain(String(target.seq + 1));

		// The running app refuses the same rewrite outright (append-only trigger back on).
		handle = await app.openDatabase();
		try {
			await expect(
				handle.db.execute(sql`update audit_entry set actor_label = 'x' where seq = 1`)
			).rejects.toThrow();
		} finally {
			await handle.close();
		}
	});
});
