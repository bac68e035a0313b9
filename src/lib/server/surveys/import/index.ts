// The responses file of spec/exchange.md: one row per answer, grouped into responses by
// `response_key` (the rows of one key need not be adjacent). A province's file has millions of
// rows, so PostgreSQL does the work, in ONE transaction, in three steps:
// - stage.ts: the file's bytes go into `response_raw`, a temporary table of text cells;
// - check.ts: one aggregation per response pivots the answers and tells whether anything needs
//   a closer look; only then are the rows checked one by one (line and column of each problem);
// - write.ts: the responses, their ratings and text answers are inserted.
// The rules checked are those of `$lib/schemas/responses`, rendered into SQL by rules.ts, and the
// problems are worded by `responseMessage`, as for the API. Nothing is written unless every row
// is valid; a response whose key is already stored with the same content is left as it is (so a
// second import of a file writes nothing), one stored with other content is a row error.
import type { Locale } from '$lib/paraglide/runtime';
import * as audit from '$lib/server/audit';
import type { Executor, Tx } from '$lib/server/db';
import type { StreamEncoding } from '$lib/server/imports/csv-stream';
import { aggregate, prepareChecks } from './check';
import { findProblems } from './problems';
import { ErrorSink, Progress, Refused, type ResponseImportResult } from './report';
import { stage, type ResponseSource } from './stage';
import { write } from './write';

export type { RowError, ResponseImportResult } from './report';
export type { ResponseSource } from './stage';

export interface ResponseImportOptions {
	locale: Locale;
	/** Called with the number of rows read, every `progressEvery` rows. */
	onProgress?: (rows: number) => void;
	progressEvery?: number;
	/** Problems listed at most; the rest are counted (`moreErrors`). */
	errorLimit?: number;
}

/**
 * Imports a responses file (a path, the bytes, or a byte stream). Messages are in
 * `options.locale`. Writes nothing unless every row is valid; one audit entry when it writes.
 */
export async function importResponses(
	db: Executor,
	source: ResponseSource,
	options: ResponseImportOptions,
	actor: audit.Actor
): Promise<ResponseImportResult> {
	try {
		return await db.transaction((tx) => run(tx, source, options, actor));
	} catch (e) {
		if (e instanceof Refused) return e.result;
		throw e;
	}
}

async function run(
	tx: Tx,
	source: ResponseSource,
	options: ResponseImportOptions,
	actor: audit.Actor
): Promise<ResponseImportResult> {
	const { locale } = options;
	const sink = new ErrorSink(options.errorLimit ?? 1000, locale);
	const progress = new Progress(options.progressEvery ?? 100_000, options.onProgress);

	const staged = await stage(tx, source, sink, progress);
	const refuse = (rows: number, encoding: StreamEncoding = staged.encoding): never => {
		throw new Refused({
			ok: false,
			rows,
			errors: sink.sorted(),
			moreErrors: sink.more,
			sha256: staged.sha256,
			encoding
		});
	};
	if (staged.stop) refuse(staged.unstaged);

	await prepareChecks(tx);
	let summary = await aggregate(tx);
	if (summary.needsLook || sink.count > 0) {
		summary = await findProblems(tx, sink, staged, summary);
		if (sink.count > 0) refuse(summary.rows + staged.unstaged);
	}
	const rows = summary.rows + staged.unstaged;
	progress.at(rows);

	const written = await write(tx, summary, sink, staged);
	if (sink.count > 0) refuse(rows);
	const { created } = written;
	const existing = summary.responses - created;
	if (created > 0) {
		await audit.record(tx, actor, {
			action: 'responses.import',
			entity: 'survey_response',
			entityId: null,
			changes: {
				sha256: { before: null, after: staged.sha256 },
				encoding: { before: null, after: staged.encoding },
				rows: { before: null, after: rows },
				responses: { before: null, after: summary.responses },
				created: { before: null, after: created },
				existing: { before: null, after: existing }
			}
		});
	}
	return {
		ok: true,
		rows,
		responses: summary.responses,
		created,
		existing,
		sha256: staged.sha256,
		encoding: staged.encoding
	};
}
