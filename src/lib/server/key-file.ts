// Secrets kept outside the database in a file of their own (the invitation secret, the TOTP
// encryption key, the audit key): read it, or make it on first use with 256 random bits,
// readable by its owner only. One copy of the database alone must not be enough to use what
// these keys protect.
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';

const KEY_BYTES = 32;

/**
 * The text of the key file `file` (an absolute path); when it does not exist, a new one holding
 * 32 random bytes as hex and a line end, mode 0600.
 */
export async function readOrCreateKeyFile(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	const key = new Uint8Array(KEY_BYTES);
	crypto.getRandomValues(key);
	await mkdir(dirname(file), { recursive: true });
	// Written whole under another name, then linked into place: `link` fails when the file
	// exists, so of two processes making the key at once one wins and both use its key, and
	// nobody ever reads a half-written file.
	const temporary = `${file}.${process.pid}.${encodeHexLowerCase(key.subarray(0, 4))}`;
	const text = encodeHexLowerCase(key) + '\n';
	await writeFile(temporary, text, { mode: 0o600 });
	try {
		await link(temporary, file);
		return text;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		return readFile(file, 'utf8');
	} finally {
		await unlink(temporary);
	}
}

/**
 * The 256-bit key in the key file at `path` (64 hex digits; relative to the working directory),
 * made on first use as `readOrCreateKeyFile` does. `what` names the key in errors.
 */
export async function keyFromFile(path: string, what: string): Promise<Uint8Array> {
	const file = resolve(path);
	const text = (await readOrCreateKeyFile(file)).trim();
	const key = /^[0-9a-fA-F]*$/.test(text) && text.length % 2 === 0 ? decodeHex(text) : null;
	if (key === null || key.length < KEY_BYTES)
		throw new Error(`${file}: not ${what} (64 hex digits)`);
	return key;
}
