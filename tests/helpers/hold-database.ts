// Holds a PGlite folder open the way a running app does, so tests can check that a second
// process is refused. Prints `ready <pid>` once it holds the lock; exits on SIGTERM or SIGINT.
// Usage: node --import tsx tests/helpers/hold-database.ts <folder>
import { openDatabase } from '$lib/server/db';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-database.ts <pglite folder>');
const handle = await openDatabase({ pgliteDir: dir });
const stop = () => {
	void handle.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdout.write(`ready ${process.pid}\n`);
// Keep the event loop alive until a signal arrives.
setInterval(() => {}, 60_000);
