// Server keys kept outside the database (the invitation secret, the TOTP encryption key): from an
// environment variable when one is set, else from a key file made on first use. One copy of the
// database alone must not be enough to use what these keys protect.
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';

const KEY_BYTES = 32;

/**
 * The 256-bit key in `file` (64 hex digits), made with crypto.getRandomValues and written with
 * mode 0600 when the file does not exist yet. `what` names the key in errors.
 */
export async function keyFromFile(path: string, what: string): Promise<Uint8Array> {
	const file = resolve(path);
	const read = async () => {
		const key = decodeHex((await readFile(file, 'utf8')).trim());
		if (key.length < KEY_BYTES) throw new Error(`${file}: not ${what} (64 hex digits)`);
		return key;
	};
	try {
		return await read();
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
	await writeFile(temporary, encodeHexLowerCase(key) + '\n', { mode: 0o600 });
	try {
		await link(temporary, file);
		return key;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		return read();
	} finally {
		await unlink(temporary);
	}
}
