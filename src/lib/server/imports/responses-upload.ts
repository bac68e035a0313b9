// A responses file uploaded on its import page: imported from the temporary file the upload was
// written to (streamed, never held in memory), for the page's form and for its progress stream.
import { z } from 'zod';
import type { Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/audit';
import type { Database } from '$lib/server/db';
import type { Refusal } from '$lib/server/forms';
import { importResponses } from '$lib/server/surveys/import';
import { KINDS } from './kinds';
import { refusedFile, summaryLocation, type Upload } from './upload';

/** Rows between two progress lines: often enough to move the bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 10_000;

export const responsesSummarySchema = z.object({
	rows: z.coerce.number().int().min(0),
	responses: z.coerce.number().int().min(0),
	created: z.coerce.number().int().min(0),
	existing: z.coerce.number().int().min(0)
});

/** Imports the uploaded file; the address of the summary, or the form's failure. */
export async function importUploadedResponses(
	db: Database,
	upload: Upload<unknown, { path: string }>,
	opts: { locale: Locale; actor: Actor; onProgress?: (rows: number) => void }
): Promise<{ ok: true; location: string } | { ok: false; failure: Refusal }> {
	const result = await importResponses(
		db,
		upload.file.path,
		{ locale: opts.locale, onProgress: opts.onProgress, progressEvery: PROGRESS_EVERY },
		opts.actor
	);
	if (!result.ok) return { ok: false, failure: refusedFile(upload.values, result) };
	const { rows, responses, created, existing } = result;
	return {
		ok: true,
		location: summaryLocation(KINDS.responses, { rows, responses, created, existing })
	};
}
