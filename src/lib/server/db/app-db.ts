// The server process's one database handle, opened once at start-up (hooks `init`).
import { openDatabase, optionsFromEnv, type Database, type DatabaseHandle } from './index';

let handle: DatabaseHandle | undefined;
let opening: Promise<DatabaseHandle> | undefined;

export function startDatabase(): Promise<DatabaseHandle> {
	opening ??= openDatabase(optionsFromEnv()).then(async (h) => {
		await h.migrate();
		handle = h;
		const close = () => {
			void h.close().finally(() => process.exit(0));
		};
		process.once('SIGINT', close);
		process.once('SIGTERM', close);
		return h;
	});
	return opening;
}

export function db(): Database {
	if (!handle) throw new Error('database not started');
	return handle.db;
}
