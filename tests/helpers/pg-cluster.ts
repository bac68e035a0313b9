// A throw-away PostgreSQL cluster of the test's own (initdb into a temporary folder, a free port,
// its unix socket in that folder, trust authentication), for the tests that stop the server,
// crash it or restore its backups — never the shared server on 5432. The server binaries refuse
// to run as root: when the tests run as root (CI) every command runs as the `postgres` OS user
// through `runuser`, and the folder belongs to that user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app';

const exec = promisify(execFile);

/** The newest installed server's binaries (Debian's layout), or PG_BIN; null when none. */
export function serverBinaries(): string | null {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0]!, 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

/** The uid and gid of the `postgres` OS user. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
	const [uid, gid] = await Promise.all([
		exec('id', ['-u', 'postgres']),
		exec('id', ['-g', 'postgres'])
	]);
	return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** A new temporary folder the server's OS user owns (its commands write in it). */
export async function serverOwnedTempDir(prefix: string): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	if (asRoot) {
		const owner = await postgresUser();
		chownSync(dir, owner.uid, owner.gid);
	}
	return dir;
}

export interface ClusterOptions {
	/**
	 * fsync (default on). Off is faster; keep it on where the test relies on what a crash leaves
	 * (an immediate stop is recovered from the WAL, which only fsync makes sure reached the disk).
	 */
	fsync?: boolean;
	/** More postgresql.conf settings, e.g. `{ archive_mode: 'on' }` (values written as given). */
	settings?: Record<string, string>;
}

export interface PgCluster {
	/** The temporary folder holding everything of the cluster (owned by the server's OS user). */
	dir: string;
	/** Its data directory. */
	dataDir: string;
	port: number;
	/** A connection string to one of its databases (TCP, user postgres, trust). */
	url(database?: string): string;
	/** Runs a PostgreSQL program (`initdb`, `pg_ctl`, `pg_basebackup`, …) as the server's user. */
	run(program: string, args: string[]): Promise<string>;
	/**
	 * Runs a bash script (`set -euo pipefail`) as the server's user, the server's binaries first
	 * on PATH, with `env` added to the environment; returns its standard output.
	 */
	bash(script: string, env?: Record<string, string>): Promise<string>;
	/** Starts the server (waits until it accepts connections). */
	start(): Promise<void>;
	/** Stops the server: `fast` as a service manager would, `immediate` as a crash (no checkpoint). */
	stop(mode?: 'fast' | 'immediate'): Promise<void>;
	/**
	 * The server of another data directory in the folder (a restored backup, say), started and
	 * stopped alike; its postgresql.conf says its port.
	 */
	server(dataDir: string): Pick<PgCluster, 'start' | 'stop'>;
	/** Stops every server it started that still runs and deletes the folder. */
	dispose(): Promise<void>;
}

/** Creates and starts a throw-away cluster. */
export async function startCluster(opts: ClusterOptions = {}): Promise<PgCluster> {
	const bin = serverBinaries();
	if (!bin) throw new Error('no PostgreSQL server binaries (set PG_BIN)');
	const dir = await serverOwnedTempDir('pingyi-pg-');
	const dataDir = join(dir, 'data');
	const port = await freePort();

	const command = (program: string, args: string[]): [string, string[]] =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
	const run = async (program: string, args: string[]) => {
		const [file, argv] = command(program.includes('/') ? program : join(bin, program), args);
		try {
			return (await exec(file, argv, { cwd: dir, maxBuffer: 64 * 1024 * 1024 })).stdout;
		} catch (e) {
			const { stdout, stderr } = e as { stdout?: string; stderr?: string };
			throw new Error(`${program} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`, {
				cause: e
			});
		}
	};
	const bash = (script: string, env: Record<string, string> = {}) =>
		run('/usr/bin/env', [
			`PATH=${bin}:/usr/local/bin:/usr/bin:/bin`,
			...Object.entries(env).map(([k, v]) => `${k}=${v}`),
			'bash',
			'-euo',
			'pipefail',
			'-c',
			script
		]);

	const running = new Set<string>();
	const server = (data: string) => ({
		async start() {
			const log = join(dir, `${basename(data)}.log`);
			await run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
			running.add(data);
		},
		async stop(mode: 'fast' | 'immediate' = 'fast') {
			await run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
			running.delete(data);
		}
	});
	const { start, stop } = server(dataDir);

	try {
		await run('initdb', [
			'-D',
			dataDir,
			'-U',
			'postgres',
			'-A',
			'trust',
			'-E',
			'UTF8',
			'--locale=C',
			'--no-sync'
		]);
		const settings: Record<string, string> = {
			port: String(port),
			listen_addresses: "'127.0.0.1'",
			unix_socket_directories: `'${dir}'`,
			fsync: opts.fsync === false ? 'off' : 'on',
			shared_buffers: "'32MB'",
			max_connections: '60',
			...opts.settings
		};
		await bash(
			`printf '%s\\n' ${Object.entries(settings)
				.map(([k, v]) => `'${k} = ${v.replaceAll("'", "'\\''")}'`)
				.join(' ')} >> "$PGDATA/postgresql.conf"`,
			{ PGDATA: dataDir }
		);
		await start();
	} catch (e) {
		rmSync(dir, { recursive: true, force: true });
		throw e;
	}

	return {
		dir,
		dataDir,
		port,
		url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
		run,
		bash,
		start,
		stop,
		server,
		async dispose() {
			for (const data of running)
				await server(data)
					.stop('immediate')
					.catch(() => {});
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
