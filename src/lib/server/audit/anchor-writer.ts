// The running app's half of anchoring: it listens for the notification every audited commit
// sends (`recordMany`), and appends the signed head to the anchor file after each, whichever
// process committed. On (re)connecting it appends the head it finds, so that changes made while
// it was not listening are covered too.
import postgres from 'postgres';
import { driverOf, type DatabaseHandle } from '$lib/server/db';
import {
	appendHead,
	loadKeyring,
	readHead,
	signHead,
	type AnchorSettings,
	type AuditKeyring,
	type Head
} from './anchor';
import { ANCHOR_CHANNEL } from './index';

export interface AnchorWriter {
	/** Resolves once every head asked for so far is written (or its failure logged). */
	settled(): Promise<void>;
	stop(): Promise<void>;
}

const RETRY_MS = { first: 1000, max: 30_000 };

/**
 * Starts anchoring for the app's database: refuses (throws) when the key cannot be had, so that
 * a misconfigured key stops the start rather than leaving the trail unanchored unnoticed.
 * `url` is PostgreSQL's, for a connection of the writer's own (LISTEN holds its session).
 */
export async function startAnchorWriter(
	handle: DatabaseHandle,
	settings: AnchorSettings & { anchorFile: string },
	url: string | null,
	log: (message: string) => void = (message) => console.error(message)
): Promise<AnchorWriter> {
	const ring: AuditKeyring = await loadKeyring(settings, { create: true });
	const file = settings.anchorFile;
	let last: Head | null = null;
	let running: Promise<void> | null = null;
	let again = false;
	let stopped = false;

	const writeHead = async () => {
		const head = await readHead(handle.db);
		if (head.seq === 0 || (last && last.seq === head.seq && last.hash === head.hash)) return;
		await appendHead(file, signHead(ring, head));
		last = head;
	};

	// Commits that come while a head is being written are covered by one more write after it:
	// the head then read is at or after all of them.
	const schedule = () => {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		running = (async () => {
			do {
				again = false;
				try {
					await writeHead();
				} catch (e) {
					log(`[audit anchor] cannot append the signed head to ${file}: ${(e as Error).message}`);
				}
			} while (again && !stopped);
		})().finally(() => (running = null));
	};

	let stopListening: () => Promise<void>;
	if (url === null) {
		const driver = driverOf(handle.db);
		if (driver.kind !== 'pglite') throw new Error('a PostgreSQL database needs its URL');
		// PGlite is one session in this process: its notifications come after each commit.
		const unlisten = await driver.client.listen(ANCHOR_CHANNEL, schedule);
		stopListening = () => unlisten();
	} else {
		stopListening = await listenOnPostgres(url, schedule, log, () => stopped);
	}
	schedule();
	return {
		async settled() {
			while (running) await running;
		},
		async stop() {
			stopped = true;
			while (running) await running;
			await stopListening();
		}
	};
}

/**
 * LISTEN on a connection of its own, LISTENed again (with growing pauses while the server is
 * away) whenever that connection closes; `onListen` runs after each LISTEN, since notifications
 * sent while nobody listened are lost.
 */
async function listenOnPostgres(
	url: string,
	onListen: () => void,
	log: (message: string) => void,
	isStopped: () => boolean
): Promise<() => Promise<void>> {
	let relistening = false;
	const options = {
		max: 1,
		max_lifetime: null,
		connect_timeout: 5,
		fetch_types: false,
		onnotice: () => {},
		connection: { application_name: 'pingyi-audit-anchor' },
		onnotify: (channel: string) => {
			if (channel === ANCHOR_CHANNEL) onListen();
		},
		onclose: () => void relisten()
	};
	// `onnotify` is postgres.js' own (what its `listen` uses), not in its typings.
	const client = postgres(url, options as postgres.Options<Record<string, never>>);
	const listen = () => client.unsafe(`listen ${ANCHOR_CHANNEL}`);

	async function relisten() {
		if (relistening || isStopped()) return;
		relistening = true;
		let pause = RETRY_MS.first;
		try {
			while (!isStopped()) {
				try {
					await listen();
					onListen();
					return;
				} catch (e) {
					log(
						`[audit anchor] LISTEN failed, retrying in ${pause / 1000} s: ${(e as Error).message}`
					);
					await new Promise((ok) => setTimeout(ok, pause).unref());
					pause = Math.min(pause * 2, RETRY_MS.max);
				}
			}
		} finally {
			relistening = false;
		}
	}

	await listen();
	return () => client.end({ timeout: 5 });
}
