// The CLI as a person runs it: a child process against a PGlite folder and, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL database; outcomes checked in the database.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '$lib/domain/uscc';
import { m } from '$lib/paraglide/messages';
import { verifyPassword } from '$lib/server/auth/password';
import { openDatabase, rows, type Database } from '$lib/server/db';
import { spawnCli } from '../helpers/cli-process';
import { createPostgresDatabase, DRIVERS } from '../helpers/db';

const ROOT = resolve(import.meta.dirname, '../..');
const GOOD = join(ROOT, 'tests/fixtures/departments-good.csv');
const BAD = join(ROOT, 'tests/fixtures/departments-bad-row.csv');
const MIGRATIONS = (
	JSON.parse(readFileSync(join(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as {
		entries: unknown[];
	}
).entries.length;
const en = { locale: 'en' } as const;

/** The child's environment: only the database chosen by `env`, and no language preference. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
	const base: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8' };
	for (const key of ['DATABASE_URL', 'PGLITE_DIR', 'PINGYI_LANG', 'LC_ALL', 'LC_MESSAGES'])
		delete base[key];
	return { ...base, ...env };
}

/** The first department code of the good fixture (after its header). */
function firstCode(): string {
	const lines = readFileSync(GOOD, 'utf8')
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/);
	return lines[1]!.split(',')[0]!.trim();
}

async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
	const [r] = await rows<{ n: number }>(db, query);
	return Number(r!.n);
}

for (const driver of DRIVERS) {
	describe(`cli [${driver}]`, () => {
		let env: NodeJS.ProcessEnv;
		let dir: string | undefined;
		let url: string | undefined;
		let drop: (() => Promise<void>) | undefined;

		beforeAll(async () => {
			if (driver === 'pglite') {
				dir = mkdtempSync(join(tmpdir(), 'pingyi-cli-'));
				env = childEnv({ PGLITE_DIR: dir });
			} else {
				const created = await createPostgresDatabase();
				url = created.url;
				drop = created.drop;
				env = childEnv({ DATABASE_URL: url });
			}
		});
		afterAll(async () => {
			if (dir) rmSync(dir, { recursive: true, force: true });
			await drop?.();
		});

		const cli = (args: string[], stdin?: string) => spawnCli(args, env, { stdin });

		/** Opens the CLI's database in this process (PGlite: only while no CLI runs). */
		async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
			const handle = await openDatabase(dir ? { pgliteDir: dir } : { url, max: 1 });
			try {
				return await fn(handle.db);
			} finally {
				await handle.close();
			}
		}

		it('db migrate applies every migration once, in the default language zh-CN', async () => {
			const first = await cli(['db', 'migrate', '--json']);
			expect(first.code).toBe(0);
			expect(JSON.parse(first.stdout)).toMatchObject({
				database: { driver },
				applied: MIGRATIONS,
				total: MIGRATIONS
			});

			const again = await cli(['db', 'migrate']);
			expect(again.code).toBe(0);
			expect(again.stdout).toContain('本次应用 0 个迁移');
		});

		it('user create reads the password from stdin and audits the CLI user', async () => {
			const r = await cli(
				[
					'user',
					'create',
					'--username',
					'chief',
					'--role',
					'admin',
					'--password-stdin',
					'--lang',
					'en'
				],
				'correct horse battery\n'
			);
			expect(r.stderr).toBe('');
			expect(r.code).toBe(0);
			expect(r.stdout).toMatch(/Created the user chief \(Admin, id \d+\)/);

			const stored = await withDatabase(async (db) => {
				const [u] = await rows<{ password_hash: string }>(
					db,
					sql`select password_hash from "user" where username = 'chief'`
				);
				const [a] = await rows<{ actor_kind: string; actor_label: string }>(
					db,
					sql`select actor_kind, actor_label from audit_entry where action = 'user.create'`
				);
				return { hash: u!.password_hash, audit: a! };
			});
			// The line break that ends standard input is not part of the password.
			expect(await verifyPassword(stored.hash, 'correct horse battery')).toBe(true);
			expect(stored.audit.actor_kind).toBe('cli');
			expect(stored.audit.actor_label).toMatch(/^cli:.+/);
		});

		it('user create --json prints one document without the password', async () => {
			const r = await cli(
				[
					'user',
					'create',
					'--username',
					'leader1',
					'--role',
					'leader',
					'--password-stdin',
					'--display-name',
					'City Leader',
					'--json'
				],
				'another good password'
			);
			expect(r.code).toBe(0);
			const doc = JSON.parse(r.stdout) as { user: Record<string, unknown> };
			expect(doc.user).toMatchObject({
				username: 'leader1',
				displayName: 'City Leader',
				role: 'leader',
				department: null
			});
			expect(r.stdout).not.toContain('another good password');
			expect(r.stdout).not.toMatch(/password/i);
		});

		it('user create refuses bad input with a clear message and writes nothing', async () => {
			const badRole = await cli(
				[
					'user',
					'create',
					'--username',
					'bad1',
					'--role',
					'boss',
					'--password-stdin',
					'--lang',
					'en'
				],
				'long enough password'
			);
			expect(badRole.code).toBe(1);
			expect(badRole.stderr).toContain(
				`--role: ${m.form_choice({ choices: 'admin, supervisor, leader, liaison, enterprise' }, en)}`
			);

			const liaison = await cli(
				['user', 'create', '--username', 'bad2', '--role', 'liaison', '--password-stdin', '--json'],
				'long enough password'
			);
			expect(liaison.code).toBe(1);
			expect(JSON.parse(liaison.stdout)).toEqual({
				error: {
					code: 'user_department_required',
					message: m.users_error_department_required({}, { locale: 'zh-CN' }),
					details: [{ field: '--department' }]
				}
			});
			expect(liaison.stderr).toContain(m.users_error_department_required({}, { locale: 'zh-CN' }));

			const short = await cli(
				[
					'user',
					'create',
					'--username',
					'bad3',
					'--role',
					'admin',
					'--password-stdin',
					'--lang',
					'en',
					'--json'
				],
				'short\n'
			);
			expect(short.code).toBe(1);
			const error = (JSON.parse(short.stdout) as { error: { code: string; details: unknown[] } })
				.error;
			expect(error.code).toBe('invalid_input');
			expect(error.details).toEqual([
				{ field: '--password-stdin', value: null, message: m.form_too_short({ min: 10 }, en) }
			]);

			// The password never comes from the command line.
			const noStdin = await cli(['user', 'create', '--username', 'bad4', '--role', 'admin']);
			expect(noStdin.code).toBe(2);
			expect(noStdin.stderr).toContain('--password-stdin');

			const users = await withDatabase((db) =>
				count(db, sql`select count(*)::int as n from "user"`)
			);
			expect(users).toBe(2);
		});

		it('import departments refuses a file with a bad row, naming line and column, and writes nothing', async () => {
			const r = await cli([
				'import',
				'departments',
				BAD,
				'--year',
				'2024',
				'--lang',
				'en',
				'--json'
			]);
			expect(r.code).toBe(1);
			const { error } = JSON.parse(r.stdout) as {
				error: { code: string; details: { line: number; column: string; message: string }[] };
			};
			expect(error.code).toBe('invalid_rows');
			// The fixture's third line has the category `federal`.
			expect(error.details).toHaveLength(1);
			const first = error.details[0]!;
			expect(first).toMatchObject({ line: 3, column: 'category' });
			expect(first.message).toContain('federal');
			expect(r.stderr).toContain(`Line 3, column category: ${first.message}`);

			// Only the two accounts created above have left a trace.
			const written = await withDatabase(async (db) => ({
				departments: await count(db, sql`select count(*)::int as n from department`),
				audit: await count(db, sql`select count(*)::int as n from audit_entry`)
			}));
			expect(written).toEqual({ departments: 0, audit: 2 });
		});

		it('import departments imports a good file, and the same file again changes nothing', async () => {
			const first = await cli(['import', 'departments', GOOD, '--year', '2024', '--json']);
			expect(first.stderr).toBe('');
			expect(first.code).toBe(0);
			const done = JSON.parse(first.stdout) as Record<string, number | string>;
			expect(done).toMatchObject({ kind: 'departments', year: 2024, updated: 0, unchanged: 0 });
			expect(done.created).toBe(done.rows);
			expect(done.rows).toBeGreaterThan(0);
			expect(done.sha256).toMatch(/^[0-9a-f]{64}$/);

			const again = await cli(['import', 'departments', GOOD, '--year', '2024', '--lang', 'en']);
			expect(again.code).toBe(0);
			expect(again.stdout).toContain(
				`rows: ${done.rows}; created: 0; updated: 0; unchanged: ${done.rows}`
			);
			const departments = await withDatabase((db) =>
				count(db, sql`select count(*)::int as n from department`)
			);
			expect(departments).toBe(done.rows);

			// A liaison can now be bound to one of the imported departments.
			const liaison = await cli(
				[
					'user',
					'create',
					'--username',
					'liaison1',
					'--role',
					'liaison',
					'--password-stdin',
					'--department',
					firstCode(),
					'--json'
				],
				'long enough password'
			);
			expect(liaison.code).toBe(0);
			expect(JSON.parse(liaison.stdout)).toMatchObject({
				user: { role: 'liaison', department: firstCode() }
			});
		});

		it('audit verify passes, then names the first tampered entry and exits 1', async () => {
			const ok = await cli(['audit', 'verify', '--json']);
			expect(ok.code).toBe(0);
			const checked = (JSON.parse(ok.stdout) as { ok: boolean; checked: number }).checked;
			expect(checked).toBeGreaterThanOrEqual(4);

			await withDatabase(async (db) => {
				await db.execute(sql`alter table audit_entry disable trigger audit_entry_append_only`);
				await db.execute(sql`update audit_entry set actor_label = 'someone-else' where seq = 2`);
				await db.execute(sql`alter table audit_entry enable trigger audit_entry_append_only`);
			});

			// With --json: one document on stdout, the message for a person on stderr.
			const broken = await cli(['audit', 'verify', '--json', '--lang', 'en']);
			expect(broken.code).toBe(1);
			expect(broken.stderr).toContain('The audit chain is broken at entry 2');
			expect(JSON.parse(broken.stdout)).toMatchObject({
				error: { code: 'audit_chain_broken', details: [{ seq: 2, reason: 'hash' }] }
			});
		});

		// After the tests that count users and audit entries.
		it('user create --enterprise links an enterprise account to its enterprise', async () => {
			const valid = '91330100MA0990001' + usccCheckChar('91330100MA0990001')!;
			await withDatabase((db) =>
				db.execute(sql`insert into enterprise (uscc, name) values (${valid}, 'CLI 企业')`)
			);
			const r = await cli(
				[
					'user',
					'create',
					'--username',
					'ent1',
					'--role',
					'enterprise',
					'--enterprise',
					valid.toLowerCase(),
					'--password-stdin',
					'--json'
				],
				'enterprise password\n'
			);
			expect(r.code).toBe(0);
			expect((JSON.parse(r.stdout) as { user: unknown }).user).toMatchObject({
				role: 'enterprise',
				enterprise: valid
			});
			const other = '91330100MA0990002';
			const unknown = await cli(
				[
					'user',
					'create',
					'--username',
					'ent2',
					'--role',
					'enterprise',
					'--enterprise',
					other + usccCheckChar(other)!,
					'--password-stdin',
					'--json'
				],
				'enterprise password\n'
			);
			expect(unknown.code).toBe(1);
			expect(JSON.parse(unknown.stdout)).toMatchObject({
				error: { code: 'user_enterprise_unknown', details: [{ field: '--enterprise' }] }
			});
		});

		// Parsing does not depend on the database: once is enough.
		it.runIf(driver === DRIVERS[0])(
			'usage errors exit 2, an unreachable database exits 1',
			async () => {
				const unknown = await cli(['frobnicate', '--lang', 'en']);
				expect(unknown.code).toBe(2);
				expect(unknown.stderr).toContain('Unknown command: frobnicate');

				const option = await cli(['audit', 'verify', '--bogus', '--lang', 'en']);
				expect(option.code).toBe(2);
				expect(option.stderr).toContain('Unknown option: --bogus');
				expect(option.stderr).toContain('Usage: npm run cli -- audit verify');

				// Nothing listens on port 1: a clear message, not a stack trace (from the source, as
				// `npm run cli` runs it).
				const down = await spawnCli(
					['db', 'migrate', '--json', '--lang', 'en'],
					childEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }),
					{ tsx: true }
				);
				expect(down.code).toBe(1);
				expect(JSON.parse(down.stdout)).toMatchObject({
					error: { code: 'database_unreachable', details: [{ code: 'ECONNREFUSED' }] }
				});
				expect(down.stderr).toContain(
					'Cannot reach the database at postgres://postgres@127.0.0.1:1'
				);
			}
		);

		if (driver === 'pglite') {
			it('refuses a PGlite folder that another process holds, naming that process', async () => {
				const holder = spawn(
					process.execPath,
					['--import', 'tsx', 'tests/helpers/hold-database.ts', dir!],
					{ cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] }
				);
				try {
					const pid = await new Promise<string>((ok, reject) => {
						let out = '';
						holder.stdout.on('data', (d: Buffer) => {
							out += d.toString('utf8');
							const found = /ready (\d+)/.exec(out);
							if (found) ok(found[1]!);
						});
						holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
					});
					const r = await cli(['audit', 'verify', '--lang', 'en']);
					expect(r.code).toBe(1);
					expect(r.stderr).toContain(`in use by process ${pid}`);
					expect(r.stderr).toContain(dir!);
				} finally {
					if (holder.exitCode === null && holder.signalCode === null) {
						const exited = new Promise((ok) => holder.once('exit', ok));
						holder.kill('SIGTERM');
						await exited;
					}
				}
			});
		}
	});
}
