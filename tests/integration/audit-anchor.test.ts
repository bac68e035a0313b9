// The audit chain anchored outside the database (docs/operations.md): the app's writer appends a
// signed head after every commit; `audit verify --anchor` passes on an intact chain and names
// a deleted newest entry, a chain rewritten and re-hashed with the app's own function, and a
// forged line; the database refuses changes to the trail; an export re-verifies offline.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { asc, eq, gte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '$lib/server/audit';
import {
	anchorSettings,
	headLine,
	parseKeyring,
	signHead,
	type AnchorSettings
} from '$lib/server/audit/anchor';
import { startAnchorWriter, type AnchorWriter } from '$lib/server/audit/anchor-writer';
import { auditCsvTextBack, exportEntries, type AuditExportFormat } from '$lib/server/audit/export';
import type { Database } from '$lib/server/db';
import { auditEntry, type AuditEntry } from '$lib/server/db/schema';
import { testActor } from '../factories';
import { cliRefusal, runCli } from '../helpers/cli';
import { spawnCli } from '../helpers/cli-process';
import { describeEachDatabase, DRIVERS, createPostgresDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';

const KEY = '5e'.repeat(32);
const OTHER_KEY = '7a'.repeat(32);
useEnv({ PINGYI_AUDIT_KEY: KEY });

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
	const d = mkdtempSync(join(tmpdir(), 'pingyi-anchor-'));
	dirs.push(d);
	return d;
}

async function until(what: string, ok: () => boolean, ms = 10_000) {
	const end = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

const lines = (file: string) =>
	readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l) as { seq: number; hash: string });

async function change(db: Database, i: number) {
	return db.transaction((tx) =>
		audit.record(tx, testActor, {
			action: 'thing.update',
			entity: 'thing',
			entityId: i,
			changes: { name: { before: `n${i}`, after: `m${i}` } }
		})
	);
}

/** What an attacker with the database's superuser rights does: the trigger off, then the SQL. */
async function asSuperuser(db: Database, run: () => Promise<unknown>) {
	await db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
	try {
		await run();
	} finally {
		await db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
	}
}

describeEachDatabase('audit anchor', (t) => {
	let settings: AnchorSettings & { anchorFile: string };
	let writer: AnchorWriter;
	const verify = (anchor: string) => runCli(t.handle, ['audit', 'verify'], { anchor }, 'en');

	beforeAll(async () => {
		const dir = tempDir();
		settings = { ...anchorSettings(), anchorFile: join(dir, 'audit-anchor.jsonl') };
		writer = await startAnchorWriter(t.handle, settings, t.handle.url ?? null, () => {});
	});
	afterAll(() => writer.stop());

	it('appends a signed head after every commit that adds entries', async () => {
		for (let i = 1; i <= 3; i++) {
			const entry = await change(t.db, i);
			await until(`head ${entry.seq}`, () => {
				try {
					return lines(settings.anchorFile).at(-1)?.seq === entry.seq;
				} catch {
					return false;
				}
			});
			expect(lines(settings.anchorFile).at(-1)!.hash).toBe(entry.hash);
		}
		// A transaction that rolls back notifies nobody: no head for it.
		const before = lines(settings.anchorFile).length;
		await t.db
			.transaction(async (tx) => {
				await audit.record(tx, testActor, { action: 'thing.update', entity: 'thing' });
				throw new Error('rolled back');
			})
			.catch(() => {});
		await change(t.db, 4);
		await until('head 4', () => lines(settings.anchorFile).at(-1)?.seq === 4);
		expect(lines(settings.anchorFile).length).toBe(before + 1);
	});

	it('verifies an intact chain against its anchor file', async () => {
		const ok = await verify(settings.anchorFile);
		expect(ok.json).toMatchObject({
			ok: true,
			checked: 4,
			anchor: { file: settings.anchorFile, anchored: 4 }
		});
		expect(ok.text[0]).toContain('intact');
	});

	it('refuses a forged line (signed with another key)', async () => {
		const forgedFile = join(tempDir(), 'forged.jsonl');
		const forged = headLine(
			signHead(parseKeyring(OTHER_KEY, 'x'), { seq: 4, hash: 'f'.repeat(64) })
		);
		writeFileSync(forgedFile, readFileSync(settings.anchorFile, 'utf8') + forged);
		const refusal = await cliRefusal(verify(forgedFile));
		expect(refusal.code).toBe('audit_anchor_forged');
		expect(refusal.exitCode).toBe(1);
		expect(refusal.lines.join('\n')).toMatch(/line \d+: signed with an unknown key/);
		// A line claiming our key id but signed otherwise: a bad signature.
		const claimed = { ...JSON.parse(forged), kid: parseKeyring(KEY, 'x').signing.kid };
		writeFileSync(forgedFile, JSON.stringify(claimed) + '\n');
		const bad = await cliRefusal(verify(forgedFile));
		expect(bad.lines.join('\n')).toMatch(/line 1: the signature does not match/);
	});

	it('detects the newest entry deleted by a superuser', async () => {
		const [newest] = await t.db.select().from(auditEntry).where(eq(auditEntry.seq, 4));
		await asSuperuser(t.db, () => t.db.delete(auditEntry).where(eq(auditEntry.seq, 4)));
		// The chain alone still looks intact: that is what the anchor is for.
		expect(await audit.verify(t.db)).toMatchObject({ ok: true, checked: 3 });
		const refusal = await cliRefusal(verify(settings.anchorFile));
		expect(refusal.code).toBe('audit_anchor_behind');
		expect(refusal.message).toMatch(
			/ends at entry 3, but line \d+ of the anchor file signed entry 4/
		);
		expect(refusal.message).toContain('the newest entries were deleted');
		// Put back as it was, it verifies again.
		await asSuperuser(t.db, () => t.db.insert(auditEntry).values(newest!));
		expect((await verify(settings.anchorFile)).json).toMatchObject({ ok: true });
	});

	it('detects an entry rewritten and the chain re-hashed with the app’s own function', async () => {
		await writer.stop();
		const rest: AuditEntry[] = await t.db
			.select()
			.from(auditEntry)
			.where(gte(auditEntry.seq, 2))
			.orderBy(asc(auditEntry.seq));
		const [first] = await t.db.select().from(auditEntry).where(eq(auditEntry.seq, 1));
		let prevHash = first!.hash;
		await asSuperuser(t.db, async () => {
			for (const e of rest) {
				const changes = e.seq === 2 ? { name: { before: 'n2', after: 'forged' } } : e.changes;
				const rewritten = { ...e, changes, prevHash };
				prevHash = audit.entryHash(rewritten);
				await t.db
					.update(auditEntry)
					.set({ changes, prevHash: rewritten.prevHash, hash: prevHash })
					.where(eq(auditEntry.seq, e.seq));
			}
		});
		expect((await audit.verify(t.db)).ok).toBe(true);
		const refusal = await cliRefusal(verify(settings.anchorFile));
		expect(refusal.code).toBe('audit_anchor_rewritten');
		expect(refusal.message).toMatch(/^Entry 2 is not the one the anchor file signed/);
		expect(refusal.lines.join('\n')).toMatch(/entry 2 no longer has the hash that was signed/);
	});

	it('refuses UPDATE, DELETE and TRUNCATE of the trail in the database', async () => {
		await expect(t.db.execute(sql`update audit_entry set action = 'x'`)).rejects.toThrow();
		await expect(t.db.execute(sql`delete from audit_entry`)).rejects.toThrow();
		await expect(t.db.execute(sql`truncate audit_entry`)).rejects.toThrow();
		expect((await t.db.select().from(auditEntry)).length).toBe(4);
	});
});

/** An export read back and checked as a person would offline: every hash, every link. */
function recheck(entries: AuditEntry[]) {
	let prev: AuditEntry | null = null;
	for (const e of entries) {
		expect(audit.entryHash(e), `hash of ${e.seq}`).toBe(e.hash);
		if (prev && prev.seq + 1 === e.seq) expect(e.prevHash, `link of ${e.seq}`).toBe(prev.hash);
		prev = e;
	}
}

interface ExportLine {
	seq: number;
	at: string;
	actor_kind: string;
	actor_id: number | null;
	actor_label: string;
	action: string;
	entity: string;
	entity_id: string | null;
	changes: unknown;
	client_address: string | null;
	prev_hash: string;
	hash: string;
}

function readExport(format: AuditExportFormat, text: string): AuditEntry[] {
	if (format === 'jsonl')
		return text
			.split('\n')
			.filter(Boolean)
			.map((l) => {
				const r = JSON.parse(l) as ExportLine;
				return {
					seq: r.seq,
					at: new Date(r.at),
					actorKind: r.actor_kind,
					actorId: r.actor_id,
					actorLabel: r.actor_label,
					action: r.action,
					entity: r.entity,
					entityId: r.entity_id,
					changes: r.changes,
					clientAddress: r.client_address,
					prevHash: r.prev_hash,
					hash: r.hash
				};
			});
	expect(text.startsWith('\uFEFF')).toBe(true);
	const records = parse(text.slice(1), {
		columns: true,
		// A quoted empty cell is an empty text, an unquoted one no value.
		cast: (v, c) =>
			c.header ? v : c.quoting ? auditCsvTextBack(v) : v === '' ? null : auditCsvTextBack(v)
	}) as Record<string, string | null>[];
	return records.map((r) => ({
		seq: Number(r.seq),
		at: new Date(r.at!),
		actorKind: r.actor_kind!,
		actorId: r.actor_id === null ? null : Number(r.actor_id),
		actorLabel: r.actor_label!,
		action: r.action!,
		entity: r.entity!,
		entityId: r.entity_id ?? null,
		changes: JSON.parse(r.changes!),
		clientAddress: r.client_address ?? null,
		prevHash: r.prev_hash!,
		hash: r.hash!
	}));
}

describeEachDatabase('audit export', (t) => {
	beforeAll(async () => {
		// Values a spreadsheet would run, or that a CSV could confuse: formulas, a leading quote,
		// an empty text beside no value, commas, quotes and line ends.
		const tricky = [
			{ label: '=HYPERLINK("x")', entityId: '-1', address: '@evil' },
			{ label: "'quoted", entityId: '', address: null },
			{ label: 'a,b "c"\r\nd', entityId: null, address: '+86' }
		];
		for (const [i, v] of tricky.entries())
			await t.db.transaction((tx) =>
				audit.record(
					tx,
					{ kind: 'user', id: i + 1, label: v.label, address: v.address },
					{
						action: 'thing.update',
						entity: 'thing',
						entityId: v.entityId,
						changes: { note: { before: '=1+1', after: '中文' } }
					}
				)
			);
	});

	it.each(['jsonl', 'csv'] as const)('a %s export re-verifies offline', async (format) => {
		const chunks: Uint8Array[] = [];
		const result = await exportEntries(
			t.db,
			testActor,
			{ format, filter: {}, batchSize: 2 },
			(c) => void chunks.push(c)
		);
		const text = Buffer.concat(chunks).toString('utf8');
		const entries = readExport(format, text);
		// Everything up to and including the entry that records this export.
		const stored = await t.db.select().from(auditEntry).orderBy(asc(auditEntry.seq));
		expect(entries).toEqual(stored);
		expect(result).toEqual({ entries: stored.length, upTo: stored.at(-1)!.seq });
		expect(stored.at(-1)).toMatchObject({
			action: 'audit.export',
			entity: 'audit_entry',
			changes: { format, from: null, to: null }
		});
		recheck(entries);
		if (format === 'csv') expect(text).toContain(`"'=HYPERLINK(""x"")"`);
	});

	it('exports a date range only', async () => {
		const chunks: Uint8Array[] = [];
		const far = new Date('2000-01-02T00:00:00Z');
		const result = await exportEntries(
			t.db,
			testActor,
			{ format: 'jsonl', filter: { to: far } },
			(c) => void chunks.push(c)
		);
		expect(result.entries).toBe(0);
		expect(Buffer.concat(chunks).length).toBe(0);
	});
});

// The command line as a person runs it: its commands' heads land in the anchor file, `audit
// anchor` prints one, and `audit export` writes a file.
for (const driver of DRIVERS) {
	describe(`audit anchor on the command line [${driver}]`, () => {
		let env: NodeJS.ProcessEnv;
		let dir: string;
		let drop: (() => Promise<void>) | undefined;
		const cli = (args: string[]) => spawnCli([...args, '--lang', 'en'], env);

		beforeAll(async () => {
			dir = tempDir();
			env = {
				...process.env,
				PINGYI_AUDIT_ANCHOR_FILE: join(dir, 'anchor.jsonl'),
				PINGYI_AUDIT_KEY_FILE: join(dir, 'audit.key')
			};
			for (const k of ['PINGYI_AUDIT_KEY', 'DATABASE_URL', 'PGLITE_DIR']) delete env[k];
			if (driver === 'pglite') env.PGLITE_DIR = join(dir, 'pglite');
			else {
				const created = await createPostgresDatabase();
				env.DATABASE_URL = created.url;
				drop = created.drop;
			}
		});
		afterAll(() => drop?.());

		it('anchors its own changes with a key file it makes, and verifies them', async () => {
			const exported = await cli([
				'audit',
				'export',
				'--format',
				'jsonl',
				'--output',
				join(dir, 'a.jsonl')
			]);
			expect(exported.code, exported.stderr).toBe(0);
			expect(exported.stdout).toContain('Wrote 1 audit entries');
			expect(readFileSync(join(dir, 'audit.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
			const anchored = lines(join(dir, 'anchor.jsonl'));
			expect(anchored.map((l) => l.seq)).toEqual([1]);

			const printed = await cli(['audit', 'anchor']);
			expect(printed.code).toBe(0);
			appendFileSync(join(dir, 'printed.jsonl'), printed.stdout);
			const ok = await cli(['audit', 'verify', '--anchor', join(dir, 'printed.jsonl')]);
			expect(ok.code, ok.stderr).toBe(0);
			expect(ok.stdout).toContain('agrees with the 1 signed heads');

			const verified = await cli([
				'audit',
				'verify',
				'--anchor',
				join(dir, 'anchor.jsonl'),
				'--json'
			]);
			expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, anchor: { anchored: 1 } });
		});

		it('refuses to verify without the key, and names a missing anchor file', async () => {
			const noKey = await spawnCli(
				['audit', 'verify', '--anchor', join(dir, 'anchor.jsonl'), '--lang', 'en'],
				{ ...env, PINGYI_AUDIT_KEY_FILE: join(dir, 'nowhere.key') }
			);
			expect(noKey.code).toBe(1);
			expect(noKey.stderr).toContain('No audit key');
			const missing = await cli(['audit', 'verify', '--anchor', join(dir, 'none.jsonl')]);
			expect(missing.code).toBe(1);
			expect(missing.stderr).toContain(`Cannot read the anchor file ${join(dir, 'none.jsonl')}`);
		});
	});
}
