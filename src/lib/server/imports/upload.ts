// The upload of every import page: the form's fields and one file in, read as the body arrives
// (multipart.ts) and capped at the kind's size; the importer's result out, as the one failure
// shape of a refused form (`FormFailure`: the file's bad rows in `rowErrors`, how many more in
// `moreErrors`) or as the redirect after a successful import, whose query string carries the
// summary (POST, then GET). A record file is held in memory; a responses file goes to a
// temporary file, which the import streams.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrors, messageOf, type FieldErrors } from '$lib/errors';
import type { RowError } from '$lib/forms';
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/audit';
import { actorOf, type Principal } from '$lib/server/auth/guard';
import type { Database } from '$lib/server/db';
import { db } from '$lib/server/db/app-db';
import { refuse, type Refusal } from '$lib/server/forms';
import type { ImportKind } from './kinds';
import { megabytes } from './limits';
import { MULTIPART_OVERHEAD, MultipartError, readMultipart, type FileSink } from './multipart';

/** The form as read: its values, the valid fields, the file. */
export interface Upload<Data, File> {
	values: Record<string, string>;
	data: Data;
	file: File;
}

/** A file over the kind's cap (`size`: what it is, or at least): 413, with the cap. */
function tooLarge(kind: ImportKind, size: number): Refusal {
	const params = { size: megabytes(size), max: megabytes(kind.maxBytes) };
	return refuse({ values: {} }, { file: messageOf('file_too_large', params) }, {}, 413);
}

/**
 * Reads the form: every text field, validated with `schema` (the file's field is `file`), and
 * the file into `sink`. A body that is no form upload is a 415; a missing, empty or too large
 * file, or invalid fields, are the form's failure.
 */
async function receive<S extends z.ZodType>(
	event: RequestEvent,
	kind: ImportKind,
	schema: S,
	sink: FileSink
): Promise<
	| { ok: true; upload: Upload<z.output<S>, { name: string; size: number }> }
	| { ok: false; failure: Refusal }
> {
	const contentType = event.request.headers.get('content-type');
	if (!/^multipart\/form-data/i.test(contentType ?? '')) error(415, m.imports_error_not_a_form());
	// An honest client says how much it sends: refuse a file too large before reading any of it.
	const declared = Number(event.request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > kind.maxBytes + MULTIPART_OVERHEAD)
		return { ok: false, failure: tooLarge(kind, declared) };
	let read;
	try {
		read = await readMultipart(event.request.body, contentType, {
			maxFileBytes: kind.maxBytes,
			sink
		});
	} catch (e) {
		if (!(e instanceof MultipartError)) throw e;
		if (e.problem === 'file_too_large') return { ok: false, failure: tooLarge(kind, e.bytes) };
		const failure = refuse({ values: {} }, { file: messageOf('upload_malformed') });
		return { ok: false, failure };
	}
	const { file } = read;
	const values = { ...read.fields, ...(file ? { file: file.name } : {}) };
	const parsed = schema.safeParse(read.fields);
	const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
	if (!file || file.field !== 'file' || file.size === 0) errors.file = messageOf('upload_missing');
	if (!parsed.success || !file || errors.file)
		return { ok: false, failure: refuse({ values }, errors) };
	return { ok: true, upload: { values, data: parsed.data as z.output<S>, file } };
}

const NO_FIELDS = z.object({});

/** An import page's form with the file in memory (a record file: at most the kind's size). */
export async function receiveFile<S extends z.ZodType = typeof NO_FIELDS>(
	event: RequestEvent,
	kind: ImportKind,
	schema?: S
) {
	const chunks: Uint8Array[] = [];
	const r = await receive(event, kind, schema ?? NO_FIELDS, { write: (c) => void chunks.push(c) });
	if (!r.ok) return r;
	const bytes = new Uint8Array(Buffer.concat(chunks));
	return { ok: true as const, upload: { ...r.upload, file: { ...r.upload.file, bytes } } };
}

/**
 * An import page's form with the file written to a temporary file as it arrives, for an import
 * that streams it (memory stays flat however large the file). The caller imports from
 * `file.path`, then calls `dispose` (which removes the file) however the import ends.
 */
export async function receiveToDisk<S extends z.ZodType = typeof NO_FIELDS>(
	event: RequestEvent,
	kind: ImportKind,
	schema?: S
): Promise<
	| {
			ok: true;
			upload: Upload<z.output<S>, { name: string; size: number; path: string }>;
			dispose: () => Promise<void>;
	  }
	| { ok: false; failure: Refusal }
> {
	const dir = await mkdtemp(join(tmpdir(), 'pingyi-upload-'));
	const dispose = () => rm(dir, { recursive: true, force: true });
	try {
		const path = join(dir, 'upload');
		const out = createWriteStream(path);
		const closed = new Promise<void>((ok, ko) => {
			out.on('close', ok);
			out.on('error', ko);
		});
		let r;
		try {
			r = await receive(event, kind, schema ?? NO_FIELDS, {
				write: (chunk) => new Promise<void>((ok, ko) => out.write(chunk, (e) => (e ? ko(e) : ok())))
			});
		} finally {
			out.end();
			await closed;
		}
		if (!r.ok) {
			await dispose();
			return r;
		}
		const upload = {
			...r.upload,
			data: r.upload.data as z.output<S>,
			file: { ...r.upload.file, path }
		};
		return { ok: true, upload, dispose };
	} catch (e) {
		await dispose();
		throw e;
	}
}

/** A file the importer refused: its bad rows, and how many more there are. */
export function refusedFile(
	values: Record<string, string>,
	result: { errors: readonly RowError[]; moreErrors?: number }
): Refusal {
	return refuse(
		{ values },
		{},
		{ rowErrors: [...result.errors], moreErrors: result.moreErrors ?? 0 }
	);
}

/** After a successful import: back to the page, the summary in its query string. */
export function done(kind: ImportKind, summary: Record<string, string | number>): never {
	redirect(303, summaryLocation(kind, summary));
}

/** What an import page's `run` answers: the summary's facts, or the refused rows. */
export type PageOutcome =
	| { ok: true; summary: Record<string, number> }
	| { ok: false; errors: readonly RowError[]; moreErrors?: number };

/**
 * The action of an import page whose file is held in memory: reads the form, runs the importer,
 * and answers with the refused rows or the redirect to the summary.
 */
export async function importAction<S extends z.ZodType = typeof NO_FIELDS>(
	event: RequestEvent,
	kind: ImportKind,
	opts: { schema?: S; run: (bytes: Uint8Array, data: z.output<S>) => Promise<PageOutcome> }
): Promise<Refusal> {
	const r = await receiveFile(event, kind, opts.schema);
	if (!r.ok) return r.failure;
	const { values, data, file } = r.upload;
	const outcome = await opts.run(file.bytes, data as z.output<S>);
	if (!outcome.ok) return refusedFile(values, outcome);
	done(kind, outcome.summary);
}

export const recordSummarySchema = z.object({
	rows: z.coerce.number().int().min(0),
	created: z.coerce.number().int().min(0),
	updated: z.coerce.number().int().min(0),
	unchanged: z.coerce.number().int().min(0)
});
export type RecordSummary = z.infer<typeof recordSummarySchema>;

/** The counts of a record import (created, updated, unchanged), for its summary. */
export const recordCounts = (r: RecordSummary): RecordSummary => ({
	rows: r.rows,
	created: r.created,
	updated: r.updated,
	unchanged: r.unchanged
});

/** A record importer's result as an import page's outcome. */
export function recordOutcome(
	r:
		(RecordSummary & { ok: true }) | { ok: false; errors: readonly RowError[]; moreErrors?: number }
): PageOutcome {
	return r.ok ? { ok: true, summary: recordCounts(r) } : r;
}

/** A record importer, as the pages and the command line call it. */
export type RecordImporter = (
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: Actor
) => Promise<
	(RecordSummary & { ok: true }) | { ok: false; errors: readonly RowError[]; moreErrors?: number }
>;

/** The action of a record import page without fields of its own: the file, in the page's language. */
export function importRecords(
	event: RequestEvent,
	kind: ImportKind,
	principal: Principal,
	importer: RecordImporter
): Promise<Refusal> {
	return importAction(event, kind, {
		run: async (bytes) =>
			recordOutcome(await importer(db(), bytes, { locale: getLocale() }, actorOf(event, principal)))
	});
}

/** The summary in a page's query string (after `done`), or null when there is none. */
export function summaryOf(url: URL): RecordSummary | null;
export function summaryOf<S extends z.ZodType>(url: URL, schema: S): z.output<S> | null;
export function summaryOf(url: URL, schema: z.ZodType = recordSummarySchema): unknown {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	return parsed.success ? parsed.data : null;
}

/** The redirect `done` would answer with, as an address (for a progress stream's last line). */
export function summaryLocation(kind: ImportKind, summary: Record<string, string | number>) {
	const query = new URLSearchParams(
		Object.entries(summary).map(([k, v]) => [k, String(v)] as [string, string])
	);
	return `${kind.page}?${query}`;
}
