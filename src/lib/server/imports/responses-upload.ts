// A responses file uploaded on its import page: imported from the temporary file the upload was
// written to (streamed, never held in memory), for the page's form and for its progress stream.
// A workbook is read as its first sheet's CSV, as the record files are.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { isDomainError, messageOf } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import type { Refusal } from '$lib/server/forms';
import { importResponses, type ResponseSource } from '$lib/server/surveys/import';
import { KINDS } from './kinds';
import { sniff, SNIFF_BYTES } from './sniff';
import { refusedFile, summaryLocation, type Upload } from './upload';
import { xlsxToCsv } from './xlsx';

/** Rows between two progress lines: often enough to move the bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 10_000;

export const responsesSummarySchema = z.object({
	rows: z.coerce.number().int().min(0),
	responses: z.coerce.number().int().min(0),
	created: z.coerce.number().int().min(0),
	existing: z.coerce.number().int().min(0)
});

/**
 * A responses file on disk as the responses import reads it: a CSV by its path (PostgreSQL may
 * then COPY it), a workbook's first sheet as a CSV stream; null when it is neither (a picture, a
 * PDF). The upload page and `import responses` both read files through this.
 */
export async function csvSourceOf(path: string): Promise<ResponseSource | null> {
	const file = await open(path);
	let head: Uint8Array;
	try {
		const { buffer, bytesRead } = await file.read(new Uint8Array(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
		head = buffer.subarray(0, bytesRead);
	} finally {
		await file.close();
	}
	switch (sniff(head)) {
		case 'csv':
			return path;
		case 'xlsx':
			return xlsxToCsv(createReadStream(path));
		case 'not_a_table':
			return null;
	}
}

/** Imports the uploaded file; the address of the summary, or the form's failure. */
export async function importUploadedResponses(
	db: Database,
	upload: Upload<unknown, { path: string }>,
	opts: { locale: Locale; actor: Actor; onProgress?: (rows: number) => void }
): Promise<{ ok: true; location: string } | { ok: false; failure: Refusal }> {
	const notATable = () => {
		const message = messageOf('file_not_a_table', {}, opts.locale);
		return {
			ok: false as const,
			failure: refusedFile(upload.values, { errors: [{ line: 0, column: '', message }] })
		};
	};
	const source = await csvSourceOf(upload.file.path);
	if (!source) return notATable();
	let result;
	try {
		result = await importResponses(
			db,
			source,
			{ locale: opts.locale, onProgress: opts.onProgress, progressEvery: PROGRESS_EVERY },
			opts.actor
		);
	} catch (e) {
		// A zip that turns out to be no workbook is found out while it is read.
		if (isDomainError(e, 'file_not_a_table')) return notATable();
		throw e;
	}
	if (!result.ok) return { ok: false, failure: refusedFile(upload.values, result) };
	const { rows, responses, created, existing } = result;
	return {
		ok: true,
		location: summaryLocation(KINDS.responses, { rows, responses, created, existing })
	};
}
