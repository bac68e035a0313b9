// Backups and restore, tested (docs/operations.md "Backups and restore"): the commands of that
// page — read from it, so that the page says exactly what was run — on a throw-away cluster, with
// the test's own folders in place of the page's. A dump (`pg_dump` custom format) restored into a
// new database has the same rows in every table and an audit chain that verifies; a base backup
// (`pg_basebackup`, WAL archiving on) restored with the archive to a moment between two changes
// made after it has the earlier change, not the later one, and a chain that verifies.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import { bootstrap } from '$lib/server/bootstrap';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';
import {
	serverBinaries,
	serverOwnedTempDir,
	startCluster,
	type PgCluster
} from '../helpers/pg-cluster';
import { makeDepartment } from '../factories';

const PAGE = readFileSync(resolve(import.meta.dirname, '../../docs/operations.md'), 'utf8');
/** The page's folders and example moment, which the test replaces with its own. */
const BACKUPS = '/var/backups/pingyi';
const DATA = '/var/lib/postgresql/15/main';
const EXAMPLE_TARGET = '2025-01-15 10:30:00+08';

/** The code block that follows `<!-- tested: name -->` on the page. */
function block(name: string): string {
	const found = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(
		PAGE
	);
	if (!found) throw new Error(`docs/operations.md has no block "${name}"`);
	return found[1]!;
}

describe.skipIf(!serverBinaries())('backups and restore as docs/operations.md says', () => {
	let cluster: PgCluster;
	let backups = '';
	let handle: DatabaseHandle | undefined;
	/** The page's text with the test's folders (and moment) in place of the page's. */
	const ours = (text: string, target = EXAMPLE_TARGET) =>
		text
			.replaceAll(BACKUPS, backups)
			.replaceAll(DATA, cluster ? cluster.dataDir : DATA)
			.replaceAll(EXAMPLE_TARGET, target);
	/** Runs a block of the page as the server's OS user, on the cluster's socket. */
	const runBlock = (name: string, target?: string) =>
		cluster.bash(ours(block(name), target), {
			PGHOST: cluster.dir,
			PGPORT: String(cluster.port),
			PGUSER: 'postgres'
		});
	const connect = (database: string) =>
		postgres(cluster.url(database), { max: 1, onnotice: () => {} });

	beforeAll(async () => {
		backups = await serverOwnedTempDir('pingyi-backups-');
		// The page's archive settings, as postgresql.conf lines.
		const settings = Object.fromEntries(
			ours(block('archive-settings'))
				.split('\n')
				.filter((l) => l.includes('='))
				.map((l) => {
					const i = l.indexOf('=');
					return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
				})
		);
		expect(settings).toMatchObject({ wal_level: 'replica', archive_mode: 'on' });
		cluster = await startCluster({ fsync: false, settings });
		await cluster.bash(`install -d -m 700 "${backups}/wal"`);
		await cluster.bash('createdb pingyi', { PGHOST: cluster.dir, PGPORT: String(cluster.port) });
		handle = await openDatabase({ url: cluster.url('pingyi'), max: 2 });
		await handle.migrate();
		await bootstrap(handle.db, { ADMIN_PASSWORD: 'adminpass123' }, () => {});
		for (let i = 0; i < 3; i++) await makeDepartment(handle.db, { code: `before${i}` });
	}, 120_000);

	afterAll(async () => {
		await handle?.close();
		await cluster?.dispose();
		if (backups) await rm(backups, { recursive: true, force: true });
	});

	/** Rows per table of the app's schemas (public, drizzle) in a database. */
	async function rowCounts(database: string): Promise<Record<string, number>> {
		const sql = connect(database);
		try {
			const tables = await sql<{ name: string }[]>`
				select format('%I.%I', table_schema, table_name) as name from information_schema.tables
				where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE'
				order by 1`;
			const counts: Record<string, number> = {};
			for (const { name } of tables)
				counts[name] = Number((await sql.unsafe(`select count(*) as n from ${name}`))[0]!.n);
			return counts;
		} finally {
			await sql.end();
		}
	}

	/** The audit chain of a database, verified by the app's own check. */
	async function verifiedChain(database: string) {
		const h = await openDatabase({ url: cluster.url(database), max: 1 });
		try {
			return await audit.verify(h.db);
		} finally {
			await h.close();
		}
	}

	it('restores the nightly dump into a new database: the same rows, a chain that verifies', async () => {
		await runBlock('nightly-dump');
		await runBlock('restore-dump');
		const [original, restored] = [await rowCounts('pingyi'), await rowCounts('pingyi_restored')];
		expect(Object.keys(original).length).toBeGreaterThan(20);
		expect(original['public.department']).toBeGreaterThan(3);
		expect(original['public.audit_entry']).toBeGreaterThan(0);
		expect(restored).toEqual(original);
		const chain = await verifiedChain('pingyi_restored');
		expect(chain).toMatchObject({ ok: true, firstBroken: null });
		expect(chain.checked).toBe(original['public.audit_entry']);
	}, 60_000);

	it('recovers a base backup with the WAL archive to a moment after it', async () => {
		const db = handle!.db;
		await runBlock('base-backup');
		// After the base backup: a change to keep, the moment to recover to, a change to lose.
		await makeDepartment(db, { code: 'kept' });
		const atTarget = await rowCounts('pingyi');
		const sql = connect('pingyi');
		let target = '';
		try {
			target = (
				await sql<{ t: string }[]>`
					select to_char(clock_timestamp() at time zone 'Asia/Shanghai',
						'YYYY-MM-DD HH24:MI:SS.US') || '+08' as t`
			)[0]!.t;
			await new Promise((ok) => setTimeout(ok, 1_100));
			await makeDepartment(db, { code: 'lost' });
			// The segment holding both is closed and archived, as archive_timeout would.
			const [switched] = await sql<{ wal: string }[]>`
				select pg_walfile_name(pg_switch_wal()) as wal`;
			const wal = switched!.wal;
			await expect
				.poll(
					async () =>
						(
							await sql<
								{ last: string | null }[]
							>`select last_archived_wal as last from pg_stat_archiver`
						)[0]!.last ?? '',
					{ timeout: 20_000, interval: 200 }
				)
				.toSatisfy((last: string) => last >= wal);
		} finally {
			await sql.end();
		}
		await handle!.close();
		handle = undefined;

		await cluster.stop('fast');
		await runBlock('point-in-time-recovery', target);
		await cluster.start();
		const check = connect('pingyi');
		try {
			await expect
				.poll(
					async () =>
						(
							await check<{ r: boolean }[]>`select pg_is_in_recovery() as r`.catch(() => [
								{ r: true }
							])
						)[0]!.r,
					{ timeout: 30_000, interval: 200 }
				)
				.toBe(false);
			const codes = (
				await check<{ code: string }[]>`select code from department where code in ('kept', 'lost')`
			).map((d) => d.code);
			expect(codes).toEqual(['kept']);
		} finally {
			await check.end();
		}
		// Every table as it was at the moment, the audit trail included.
		const after = await rowCounts('pingyi');
		expect(after).toEqual(atTarget);
		const chain = await verifiedChain('pingyi');
		expect(chain).toMatchObject({
			ok: true,
			firstBroken: null,
			checked: after['public.audit_entry']
		});
		// The data directory as it was is kept beside, as the page says.
		expect(
			readFileSync(join(`${cluster.dataDir}.before-restore`, 'PG_VERSION'), 'utf8').trim()
		).toMatch(/^\d+$/);
	}, 90_000);
});
