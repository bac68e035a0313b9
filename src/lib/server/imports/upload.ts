// The upload form of an import page: one CSV file in, the importer's result out, and the summary
// that the redirect after a successful import carries in its query string (POST, then GET).
import { fail, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { ImportResult } from './records';

export const summarySchema = z.object({
	rows: z.coerce.number().int().min(0),
	created: z.coerce.number().int().min(0),
	updated: z.coerce.number().int().min(0),
	unchanged: z.coerce.number().int().min(0)
});
export type ImportSummary = z.infer<typeof summarySchema>;

/** The summary in a page's query string, or null when there is none. */
export function summaryOf(url: URL): ImportSummary | null {
	const parsed = summarySchema.safeParse(Object.fromEntries(url.searchParams));
	return parsed.success ? parsed.data : null;
}

/**
 * Reads the uploaded file and runs the importer on it. Returns the failure to hand back to the
 * page, or the query string of the summary to redirect to.
 */
export async function runUpload(
	event: RequestEvent,
	run: (bytes: Uint8Array) => Promise<ImportResult>
) {
	const form = await event.request.formData();
	const file = form.get('file');
	const fileName = file instanceof File ? file.name : '';
	if (!(file instanceof File) || file.size === 0)
		return {
			failure: fail(400, {
				fileName,
				errors: { file: m.imports_choose_file() } as Record<string, string>,
				rowErrors: [] as { line: number; column: string; message: string }[]
			})
		};
	const result = await run(new Uint8Array(await file.arrayBuffer()));
	if (!result.ok)
		return {
			failure: fail(400, {
				fileName,
				errors: {} as Record<string, string>,
				rowErrors: result.errors
			})
		};
	const { rows, created, updated, unchanged } = result;
	return {
		query: new URLSearchParams({
			rows: String(rows),
			created: String(created),
			updated: String(updated),
			unchanged: String(unchanged)
		}).toString()
	};
}
