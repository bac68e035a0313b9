// The audit chain anchored outside the database. The chain alone proves only that its entries
// agree with each other: whoever can write the table can delete the newest entry, or rewrite one
// and re-hash everything after it. A signed head — `{seq, hash, at, kid, mac}`, the MAC an
// HMAC-SHA256 under a key the database never holds — written outside the database after every
// change pins the chain as it was: `audit verify --anchor FILE` then finds a head behind a signed
// one (entries removed) or an entry whose hash is not the one signed (the chain rewritten).
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { hmac } from '@oslojs/crypto/hmac';
import { sha256, SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64, decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { desc, sql } from 'drizzle-orm';
import { DomainError } from '$lib/errors';
import { rows, type Executor } from '$lib/server/db';
import { auditEntry } from '$lib/server/db/schema';
import { readOrCreateKeyFile } from '$lib/server/key-file';
import { GENESIS_HASH } from './index';

const MIN_KEY_BYTES = 32;
const KEY_ID_HEX = 16;
// What the MAC covers besides the head: a tag, so that no other MAC of the key can pass for one.
const MAC_TAG = 'pingyi-audit-head/1';

export interface AuditKeyring {
	/** The key that signs new heads: the first one given. */
	signing: { kid: string; key: Uint8Array };
	/** Every key a head may be signed with (the signing key and retired ones), by key id. */
	keys: ReadonlyMap<string, Uint8Array>;
}

/** A key's id: the first hex digits of its SHA-256, written in every signed head. */
export function keyId(key: Uint8Array): string {
	return encodeHexLowerCase(sha256(key)).slice(0, KEY_ID_HEX);
}

function decodeKey(text: string): Uint8Array | null {
	try {
		return /^(?:[0-9a-f]{2})+$/i.test(text) ? decodeHex(text) : decodeBase64(text);
	} catch {
		return null;
	}
}

/**
 * Keys as written in PINGYI_AUDIT_KEY or the key file: hex or base64, at least 32 bytes each,
 * separated by line ends, spaces or commas; the first signs, the others (retired) only verify.
 */
export function parseKeyring(text: string, source: string): AuditKeyring {
	const words = text.split(/[\s,]+/).filter(Boolean);
	const keys = new Map<string, Uint8Array>();
	for (const word of words) {
		const key = decodeKey(word);
		if (!key || key.length < MIN_KEY_BYTES)
			throw new DomainError('audit_key_invalid', { params: { source, min: MIN_KEY_BYTES } });
		keys.set(keyId(key), key);
	}
	const first = words[0] && decodeKey(words[0]);
	if (!first)
		throw new DomainError('audit_key_invalid', { params: { source, min: MIN_KEY_BYTES } });
	return { signing: { kid: keyId(first), key: first }, keys };
}

export interface AnchorSettings {
	/** PINGYI_AUDIT_KEY when set; the key file is then not used. */
	keyText: string | null;
	/** PINGYI_AUDIT_KEY_FILE, else `audit.key` beside the embedded database's folder. */
	keyFile: string;
	/** Where the app and the CLI append signed heads; null when PINGYI_AUDIT_ANCHOR_FILE=off. */
	anchorFile: string | null;
}

/**
 * Where the key and the anchor file are. The defaults sit beside the embedded database's folder
 * (`data/` for `data/pglite`), never inside it: a copy of the database folder must not carry
 * the key that vouches for it.
 */
export function anchorSettings(env: NodeJS.ProcessEnv = process.env): AnchorSettings {
	const dir = dirname(resolve(env.PGLITE_DIR || 'data/pglite'));
	const anchor = env.PINGYI_AUDIT_ANCHOR_FILE;
	return {
		keyText: env.PINGYI_AUDIT_KEY ? env.PINGYI_AUDIT_KEY : null,
		keyFile: resolve(env.PINGYI_AUDIT_KEY_FILE || resolve(dir, 'audit.key')),
		anchorFile: anchor === 'off' ? null : resolve(anchor || resolve(dir, 'audit-anchor.jsonl'))
	};
}

/**
 * The keyring of the settings. `create` (for whoever signs) makes the key file on first use;
 * a verifier never does: a new key would vouch for nothing and hide that the old one is gone.
 */
export async function loadKeyring(
	settings: AnchorSettings,
	opts: { create: boolean }
): Promise<AuditKeyring> {
	if (settings.keyText !== null) return parseKeyring(settings.keyText, 'PINGYI_AUDIT_KEY');
	const file = settings.keyFile;
	let text: string;
	try {
		text = opts.create ? await readOrCreateKeyFile(file) : await readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT')
			throw new DomainError('audit_key_missing', { params: { file } });
		throw new DomainError('audit_key_unreadable', {
			params: { file, reason: (e as Error).message }
		});
	}
	return parseKeyring(text, file);
}

export interface Head {
	seq: number;
	hash: string;
}

export interface SignedHead extends Head {
	/** When it was signed, ISO 8601 in UTC. */
	at: string;
	kid: string;
	/** HMAC-SHA256 of the tag, seq, hash and at, hex. */
	mac: string;
}

function macOf(key: Uint8Array, seq: number, hash: string, at: string): Uint8Array {
	return hmac(SHA256, key, new TextEncoder().encode(`${MAC_TAG}|${seq}|${hash}|${at}`));
}

export function signHead(ring: AuditKeyring, head: Head, at: Date = new Date()): SignedHead {
	const when = at.toISOString();
	const { kid, key } = ring.signing;
	const mac = encodeHexLowerCase(macOf(key, head.seq, head.hash, when));
	return { seq: head.seq, hash: head.hash, at: when, kid, mac };
}

/** A signed head as one line of an anchor file (JSON Lines). */
export function headLine(head: SignedHead): string {
	const { seq, hash, at, kid, mac } = head;
	return JSON.stringify({ seq, hash, at, kid, mac }) + '\n';
}

export type LineCheck =
	| { ok: true; seq: number; hash: string }
	| { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_mac'; kid?: string };

const HASH = /^[0-9a-f]{64}$/;
const MAC = /^[0-9a-f]{64}$/;

/** Whether a line of an anchor file is a head signed by one of the ring's keys. */
export function checkLine(ring: AuditKeyring, line: string): LineCheck {
	let v: unknown;
	try {
		v = JSON.parse(line);
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	const h = v as Partial<Record<keyof SignedHead, unknown>>;
	if (
		!h ||
		typeof h !== 'object' ||
		!Number.isSafeInteger(h.seq) ||
		(h.seq as number) < 0 ||
		typeof h.hash !== 'string' ||
		!HASH.test(h.hash) ||
		typeof h.at !== 'string' ||
		typeof h.kid !== 'string' ||
		typeof h.mac !== 'string' ||
		!MAC.test(h.mac)
	)
		return { ok: false, reason: 'malformed' };
	const key = ring.keys.get(h.kid);
	if (!key) return { ok: false, reason: 'unknown_key', kid: h.kid };
	const seq = h.seq as number;
	if (!constantTimeEqual(macOf(key, seq, h.hash, h.at), decodeHex(h.mac)))
		return { ok: false, reason: 'bad_mac', kid: h.kid };
	return { ok: true, seq, hash: h.hash };
}

/** The chain's newest entry; seq 0 and the genesis hash while it is empty. */
export async function readHead(db: Executor): Promise<Head> {
	const [last] = await db
		.select({ seq: auditEntry.seq, hash: auditEntry.hash })
		.from(auditEntry)
		.orderBy(desc(auditEntry.seq))
		.limit(1);
	return last ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Appends a line with one write on a file opened with O_APPEND: lines of several processes
 * (the app and the CLI on PostgreSQL) never interleave, and nothing before the end is touched.
 */
export async function appendHead(file: string, head: SignedHead): Promise<void> {
	await mkdir(dirname(file), { recursive: true });
	await appendFile(file, headLine(head), { mode: 0o600 });
}

/**
 * For a process that changes things and exits (the CLI): runs `change`, then appends the signed
 * head when the chain grew. The app's listener (./anchor-writer.ts) would see a commit on
 * PostgreSQL too, but the app may not be running, and on PGlite it cannot be.
 */
export async function anchorAround<T>(
	db: Executor,
	settings: AnchorSettings,
	change: () => Promise<T>
): Promise<T> {
	const file = settings.anchorFile;
	if (file === null) return change();
	const before = await readHead(db);
	const result = await change();
	const after = await readHead(db);
	if (after.seq !== before.seq || after.hash !== before.hash) {
		try {
			const ring = await loadKeyring(settings, { create: true });
			await appendHead(file, signHead(ring, after));
		} catch (e) {
			if (e instanceof DomainError) throw e;
			throw new DomainError('audit_anchor_write_failed', {
				params: { file, seq: after.seq, reason: (e as Error).message }
			});
		}
	}
	return result;
}

// --- Verifying an anchor file -------------------------------------------------------------------

export interface AnchorProblem {
	line: number;
	seq?: number;
	kid?: string;
	reason: 'malformed' | 'unknown_key' | 'bad_mac' | 'missing' | 'differs';
}

export interface AnchorCheck {
	/** Lines read, blank ones aside. */
	lines: number;
	/** Lines signed with a key of the ring. */
	signed: number;
	/** The newest head the file signs, and its line. */
	anchored: { seq: number; line: number } | null;
	/** The chain's newest entry now. */
	head: Head;
	/** Lines not signed with a known key: how many, and the first few. */
	refused: { count: number; first: AnchorProblem[] };
	/** Signed heads the chain does not hold (missing) or holds with another hash (differs). */
	mismatched: { count: number; first: AnchorProblem[] };
	ok: boolean;
}

const FIRST_FEW = 10;

function tally(into: { count: number; first: AnchorProblem[] }, problem: AnchorProblem) {
	into.count++;
	if (into.first.length < FIRST_FEW) into.first.push(problem);
}

/**
 * Checks every line of an anchor file against the chain: its MAC under a key of the ring, and
 * that the chain holds entry `seq` with exactly that hash. The file is read line by line and the
 * heads compared a batch at a time, one statement a batch, so a file of years of changes takes
 * little memory and few round trips.
 */
export async function verifyAnchorFile(
	db: Executor,
	file: string,
	ring: AuditKeyring,
	batchSize = 5000
): Promise<AnchorCheck> {
	let handle;
	try {
		handle = await open(file, 'r');
	} catch (e) {
		throw new DomainError('audit_anchor_unreadable', {
			params: { file, reason: (e as Error).message }
		});
	}
	const check: AnchorCheck = {
		lines: 0,
		signed: 0,
		anchored: null,
		head: { seq: 0, hash: GENESIS_HASH },
		refused: { count: 0, first: [] },
		mismatched: { count: 0, first: [] },
		ok: false
	};
	let batch: { line: number; seq: number; hash: string }[] = [];
	const compare = async () => {
		if (batch.length === 0) return;
		const found = await rows<{ line: number; seq: string | number; actual: string | null }>(
			db,
			sql`select a.line, a.seq, e.hash as actual
				from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as a(line int, seq bigint, hash text)
				left join audit_entry e on e.seq = a.seq
				where e.hash is distinct from a.hash
				order by a.line`
		);
		for (const f of found)
			tally(check.mismatched, {
				line: f.line,
				seq: Number(f.seq),
				reason: f.actual === null ? 'missing' : 'differs'
			});
		batch = [];
	};
	try {
		let line = 0;
		for await (const text of handle.readLines({ encoding: 'utf8' })) {
			line++;
			if (text.trim() === '') continue;
			check.lines++;
			const c = checkLine(ring, text);
			if (!c.ok) {
				tally(check.refused, { line, reason: c.reason, ...(c.kid ? { kid: c.kid } : {}) });
				continue;
			}
			check.signed++;
			if (!check.anchored || c.seq > check.anchored.seq) check.anchored = { seq: c.seq, line };
			// The empty chain's head is the genesis hash, which no row holds.
			if (c.seq === 0) {
				if (c.hash !== GENESIS_HASH) tally(check.mismatched, { line, seq: 0, reason: 'differs' });
				continue;
			}
			batch.push({ line, seq: c.seq, hash: c.hash });
			if (batch.length >= batchSize) await compare();
		}
		await compare();
	} finally {
		await handle.close();
	}
	check.head = await readHead(db);
	check.ok = check.signed > 0 && check.refused.count === 0 && check.mismatched.count === 0;
	return check;
}
