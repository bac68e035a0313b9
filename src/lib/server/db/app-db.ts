// The server process's one database handle, opened once at start-up (hooks `init`).
import { openDatabase, optionsFromEnv, type Database, type DatabaseHandle } from './index';

let handle: DatabaseHandle | undefined;
let opening: Promise<DatabaseHandle> | undefined;

export function startDatabase(): Promise<DatabaseHandle> {
	opening ??= openDatabase(optionsFromEnv()).then(async (h) => {
		await h.migrate();
		handle = h;
		// adapter-node stops taking requests on SIGINT/SIGTERM, lets open ones finish, then emits
		// this; closing here flushes PGlite and releases its folder lock after the last request.
		process.once('sveltekit:shutdown', () => void h.close());
		return h;
	});
	return opening;
}

export function db(): Database {
	if (!handle) throw new Error('database not started');
	return handle.db;
}
