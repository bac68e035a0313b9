// The bench's own databases on the PostgreSQL server of BENCH_DATABASE_URL: created fresh,
// built from the real migrations, copied from a template per import run, dropped at the end.
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '$lib/server/db';

export type Sql = postgres.Sql;

export function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/**
 * A raw connection for the bench's own work (generation, floors, sampling): no statement
 * timeout, the app's time zone so that local dates mean the same as in the app.
 */
export function connect(url: string, max = 1): Sql {
	return postgres(url, {
		max,
		onnotice: () => {},
		connection: { TimeZone: 'Asia/Shanghai', application_name: 'pingyi-bench' }
	});
}

export class BenchDatabases {
	private readonly created: string[] = [];
	constructor(
		readonly adminUrl: string,
		readonly prefix: string
	) {}

	url(name: string): string {
		return withDatabase(this.adminUrl, name);
	}

	/** Creates a database, empty or as a copy of `template` (which must have no connections). */
	async create(name: string, template?: string): Promise<string> {
		const admin = connect(this.adminUrl);
		try {
			await admin.unsafe(
				template ? `create database "${name}" template "${template}"` : `create database "${name}"`
			);
		} finally {
			await admin.end();
		}
		this.created.push(name);
		return this.url(name);
	}

	async drop(name: string): Promise<void> {
		const admin = connect(this.adminUrl);
		try {
			await admin.unsafe(`drop database if exists "${name}" with (force)`);
		} finally {
			await admin.end();
		}
		const i = this.created.indexOf(name);
		if (i !== -1) this.created.splice(i, 1);
	}

	/** Every database this run created and has not dropped yet. */
	get names(): readonly string[] {
		return this.created;
	}

	async dropAll(): Promise<void> {
		for (const name of [...this.created].reverse()) await this.drop(name);
	}
}

/** Opens a database the way the app does (same driver, pool and session settings). */
export async function openApp(url: string): Promise<DatabaseHandle> {
	return openDatabase({ url, max: 5 });
}

/** Applies the migrations of drizzle/ to a fresh database, as `db migrate` does. */
export async function migrate(url: string): Promise<void> {
	const handle = await openApp(url);
	try {
		await handle.migrate();
	} finally {
		await handle.close();
	}
}
