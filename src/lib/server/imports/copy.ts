// Bulk loading inside an open transaction with PostgreSQL's COPY, on either driver: postgres.js
// streams `COPY … FROM STDIN` (with backpressure, so the caller's memory stays flat); PGlite,
// which has no socket, loads each batch with `COPY … FROM '/dev/blob'`. Rows are CSV text the
// caller has built (`copyInto`), or a file's own bytes for PostgreSQL to parse (`copyStream`).
import type { Writable } from 'node:stream';
import { driverOf, type Tx } from '$lib/server/db';

export interface CopyWriter {
	/** Whole CSV lines, each ending in `\n`. */
	write(csv: string): Promise<void>;
	/** Ends the COPY; the rows are in the table once this resolves. */
	end(): Promise<void>;
	/** Stops a COPY after a failure elsewhere; the transaction is then rolled back. */
	abort(reason: Error): void;
}

type Client =
	{ kind: 'postgres'; client: PostgresJsClient } | { kind: 'pglite'; client: PgliteClient };

interface PostgresJsClient {
	unsafe(query: string): PromiseLike<unknown> & { writable(): Promise<Writable> };
}
interface PgliteClient {
	query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

/** The driver's own connection under the transaction (postgres.js' reserved `sql`, or PGlite's). */
function clientOf(tx: Tx): Client {
	const d = driverOf(tx);
	return d.kind === 'postgres'
		? { kind: 'postgres', client: d.sql as unknown as PostgresJsClient }
		: { kind: 'pglite', client: d.client as unknown as PgliteClient };
}

/** Whether `copyStream` works in this transaction: postgres.js, not PGlite (no socket). */
export function streamsCopy(tx: Tx): boolean {
	return driverOf(tx).kind === 'postgres';
}

export interface ByteCopyWriter {
	write(bytes: Uint8Array | string): Promise<void>;
	end(): Promise<void>;
	abort(reason: Error): void;
}

/**
 * Starts a `COPY … FROM STDIN` statement (postgres.js only, see `streamsCopy`) and returns a
 * writer for its raw bytes, with backpressure. A failing COPY rejects `write` or `end` with
 * PostgreSQL's error, which names the line in `where` ("COPY t, line 12").
 */
export async function copyStream(tx: Tx, statement: string): Promise<ByteCopyWriter> {
	const c = clientOf(tx);
	if (c.kind !== 'postgres') throw new Error('COPY FROM STDIN needs PostgreSQL');
	const client = c.client;
	const stream = await client.unsafe(statement).writable();
	return streamWriter(stream, client);
}

/**
 * postgres.js reports a COPY that fails after its last byte was sent to nobody (the stream has
 * finished writing, the query promise resolved long ago), and one that fails while bytes are
 * still being sent only by dropping them. A statement queued behind the COPY settles either
 * way: it fails when the COPY did, since the transaction is then aborted.
 */
function streamWriter(stream: Writable, client: PostgresJsClient): ByteCopyWriter {
	let failure: Error | null = null;
	stream.on('error', (e: Error) => (failure = e));
	// Resolves on `event`, rejects when the stream fails or closes first; leaves no listener.
	const settle = (event: 'drain' | 'finish') =>
		new Promise<void>((resolve, reject) => {
			const done = (e?: Error) => {
				stream.off(event, ok);
				stream.off('error', fail);
				stream.off('close', closed);
				if (e) reject(e);
				else resolve();
			};
			const ok = () => done();
			const fail = (e: Error) => done(e);
			const closed = () => done(failure ?? new Error('the COPY stream closed'));
			stream.on(event, ok);
			stream.on('error', fail);
			stream.on('close', closed);
		});
	return {
		async write(bytes) {
			if (failure) throw failure;
			if (!stream.write(bytes)) await settle('drain');
		},
		async end() {
			if (failure) throw failure;
			const finished = settle('finish');
			// postgres.js takes no other statement until its `_final` (CopyDone) has run.
			const done = stream as Writable & { _final(cb: (e?: Error | null) => void): void };
			const final = done._final.bind(done);
			const sent = new Promise<void>((resolve) => {
				done._final = (cb) => {
					final(cb);
					resolve();
				};
			});
			stream.end();
			const behind = Promise.race([finished, sent]).then(async () => {
				await client.unsafe('select 1');
			});
			// Both are observed by the race below; whichever settles later must not go unhandled.
			finished.catch(() => undefined);
			behind.catch(() => undefined);
			await Promise.race([finished, behind]);
			await behind;
		},
		abort(reason) {
			stream.destroy(reason);
		}
	};
}

/** PGlite loads one Blob per COPY: batches of about this many characters. */
const PGLITE_BATCH = 1024 * 1024;

/** Starts `COPY table (columns) FROM STDIN (FORMAT csv)` in the transaction. */
export async function copyInto(
	tx: Tx,
	table: string,
	columns: readonly string[]
): Promise<CopyWriter> {
	const c = clientOf(tx);
	const target = `${table} (${columns.join(', ')})`;

	if (c.kind === 'postgres') {
		const stream = await c.client.unsafe(`copy ${target} from stdin with (format csv)`).writable();
		return streamWriter(stream, c.client);
	}

	const pglite = c.client;
	let parts: string[] = [];
	let size = 0;
	const flush = async () => {
		if (size === 0) return;
		const blob = new Blob(parts);
		parts = [];
		size = 0;
		await pglite.query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob });
	};
	return {
		async write(csv) {
			parts.push(csv);
			size += csv.length;
			if (size >= PGLITE_BATCH) await flush();
		},
		end: flush,
		abort() {
			parts = [];
			size = 0;
		}
	};
}

/** A text value as a quoted CSV cell (COPY reads an unquoted empty cell as NULL). */
export function csvText(value: string): string {
	return value.indexOf('"') === -1 ? `"${value}"` : `"${value.replace(/"/g, '""')}"`;
}
