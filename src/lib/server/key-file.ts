// Secrets kept outside the database in a file of their own (the invitation secret, the audit
// key): read it, or make it on first use with 256 random bits, readable by its owner only.
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeHexLowerCase } from '@oslojs/encoding';

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
	const key = new Uint8Array(32);
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
