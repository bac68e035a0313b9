// Staging: the responses file's rows into `response_raw`, a temporary table of text cells in
// file order, after its header has been checked here. On PostgreSQL the file's bytes (as UTF-8,
// decoded on the fly when GBK) stream into `COPY response_raw … FROM STDIN (FORMAT csv)`, so
// that PostgreSQL parses it. PGlite (no COPY FROM STDIN), streams (which cannot be read twice)
// and files COPY reads differently from us (blank lines inside, cells missing or too many, bad
// quotes, bad bytes) are read by our own streaming CSV reader instead, which stages each
// well-formed row with its line and reports every other with its line and column.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { RESPONSE_COLUMNS } from '$lib/schemas/responses';
import type { Tx } from '$lib/server/db';
import {
	copyInto,
	copyStream,
	csvText,
	streamsCopy,
	type ByteCopyWriter
} from '$lib/server/imports/copy';
import {
	BodyFilter,
	checkHeader,
	CopyWouldDiffer,
	csvRecords,
	HeaderSplitter,
	headerRecord,
	InvalidUtf8,
	problemMessage,
	Utf8Transcoder,
	type StreamEncoding,
	type StreamProblem,
	type StreamRecord
} from '$lib/server/imports/csv-stream';
import type { ErrorSink, Progress } from './report';

export type ResponseSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/** What staging the file left behind, besides the rows in `response_raw`. */
export interface Staged {
	encoding: StreamEncoding;
	sha256: string;
	/** Physical lines before the first data row (COPY: row `ordinal` is on line base + ordinal). */
	lineBase: number;
	/** `response_raw` has its rows' numbers (`ordinal`), which only problems need. */
	numbered: boolean;
	/** Rows read but not staged (their problems are in the sink). */
	unstaged: number;
	/** Nothing more to learn from the file (no usable header, unreadable): refuse now. */
	stop: boolean;
	/** Rows were staged by COPY, without their line numbers. */
	copied: boolean;
}

const READ_CHUNK = 256 * 1024;
const WRITE_CHUNK = 256 * 1024;

function bytesOf(source: ResponseSource): AsyncIterable<Uint8Array> {
	if (typeof source === 'string') return createReadStream(source, { highWaterMark: READ_CHUNK });
	if (source instanceof Uint8Array) {
		return (async function* () {
			for (let i = 0; i < source.length; i += READ_CHUNK) yield source.subarray(i, i + READ_CHUNK);
		})();
	}
	return source;
}

const rereadable = (source: ResponseSource) =>
	typeof source === 'string' || source instanceof Uint8Array;

/** Creates `response_raw` and stages the file into it. */
export async function stage(
	tx: Tx,
	source: ResponseSource,
	sink: ErrorSink,
	progress: Progress
): Promise<Staged> {
	const copying = streamsCopy(tx);
	// A province's file takes minutes: the connection's safety timeouts are for requests. An
	// import may also wait for another one writing the same keys to finish, however long.
	await tx.execute(sql`set local statement_timeout = 0`);
	await tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
	await tx.execute(sql`set local lock_timeout = 0`);
	// One aggregation over the file's answers builds a row per response in memory: a million
	// responses need ~500 MB of hash table (twice work_mem), which beats sorting them to disk.
	if (copying) await tx.execute(sql`set local work_mem = '320MB'`);
	await tx.execute(
		// No row number: a generated column costs COPY a third of its time; rows stay in file
		// order (see `numberRows`).
		sql.raw(`create temp table response_raw (
			line integer,
			${RESPONSE_COLUMNS.map((c) => `${c} text`).join(', ')}
		) on commit drop`)
	);
	let staged: Staged | null = null;
	// A file COPY refuses is read a second time by our own reader, which tells every problem.
	if (copying && rereadable(source)) staged = await stageWithCopy(tx, source, sink, progress);
	if (!staged) staged = await stageParsed(tx, source, sink, progress);
	// Not analyzed: the one statement that reads all of it (the aggregation) hashes it whatever
	// the estimates; the closer look, which joins it, analyzes its numbered copy.
	return staged;
}

/** Checks the header record; adds its problems to the sink. Columns in file order, or null. */
function fileColumns(record: StreamRecord | StreamProblem, sink: ErrorSink): string[] | null {
	if ('problem' in record) {
		sink.add(record.line, '', record.problem, problemMessage(record.problem, sink.locale));
		return null;
	}
	const header = checkHeader(record, RESPONSE_COLUMNS, sink.locale);
	if ('errors' in header) {
		for (const e of header.errors) sink.add(e.line, e.column, e.code, e.message);
		return null;
	}
	return [...header.index].sort((a, b) => a[1] - b[1]).map(([c]) => c);
}

const emptyFile = (sink: ErrorSink) =>
	sink.add(1, '', 'empty_file', m.imports_empty_file({}, { locale: sink.locale }));

/**
 * Streams the file's bytes into `COPY response_raw FROM STDIN`: PostgreSQL parses the CSV.
 * Null when COPY refused the file (what it says about it is not what we say: see `copyStream`);
 * the caller then reads it again with our own reader.
 */
async function stageWithCopy(
	tx: Tx,
	source: ResponseSource,
	sink: ErrorSink,
	progress: Progress
): Promise<Staged | null> {
	const hash = createHash('sha256');
	const transcoder = new Utf8Transcoder();
	const header = new HeaderSplitter();
	const body = new BodyFilter();
	// Set inside `pass`: a holder, so that the checks after the loop see it.
	const state: { copy: ByteCopyWriter | null; stop: boolean } = { copy: null, stop: false };

	// The header decides the COPY's column list (the file's order); then bytes pass through.
	const pass = async (sp: Tx, utf8: Uint8Array, final: boolean) => {
		let rest = header.push(utf8);
		if (final) rest = rest.length > 0 ? rest : header.end();
		if (header.header === null) return;
		if (!state.copy) {
			const columns = fileColumns(headerRecord(header.header, header.lines), sink);
			if (!columns) {
				state.stop = true;
				return;
			}
			state.copy = await copyStream(
				sp,
				`copy response_raw (${columns.join(', ')}) from stdin with (format csv)`
			);
		}
		const out = body.push(rest);
		if (out.length > 0) await state.copy.write(out);
		progress.at(body.newlines);
	};
	try {
		// In a savepoint of its own (postgres.js fails the whole transaction on any statement that
		// failed in it, caught or not, unless it ran in a savepoint it rolled back).
		await tx.transaction(async (sp) => {
			try {
				for await (const chunk of bytesOf(source)) {
					hash.update(chunk);
					await pass(sp, transcoder.write(chunk), false);
					if (state.stop) break;
				}
				if (!state.stop) {
					await pass(sp, transcoder.end(), true);
					if (header.header === null) {
						emptyFile(sink);
						state.stop = true;
					}
				}
				if (state.copy && !state.stop) {
					const last = body.end();
					if (last.length > 0) await state.copy.write(last);
					await state.copy.end();
				}
			} catch (e) {
				state.copy?.abort(e as Error);
				throw e;
			}
		});
	} catch (e) {
		// Our reader tells these (bad bytes, NUL, COPY's own CSV reading): see the caller.
		if (e instanceof CopyWouldDiffer || (e as Error).name === 'PostgresError') return null;
		throw e;
	}
	return {
		encoding: transcoder.encoding ?? 'utf-8',
		sha256: state.stop ? '' : hash.digest('hex'),
		lineBase: header.lines,
		numbered: false,
		unstaged: 0,
		stop: state.stop,
		copied: true
	};
}

/**
 * Reads the file with our own streaming CSV reader and stages each well-formed row with its
 * line number (COPY of CSV we write ourselves); rows it cannot read become problems here.
 */
async function stageParsed(
	tx: Tx,
	source: ResponseSource,
	sink: ErrorSink,
	progress: Progress
): Promise<Staged> {
	const o = { locale: sink.locale };
	const { batches, info } = csvRecords(bytesOf(source));
	const copy = await copyInto(tx, 'response_raw', ['line', ...RESPONSE_COLUMNS]);
	let columns: string[] | null = null;
	let index: number[] = [];
	let stop = false;
	let rowsRead = 0;
	let unstaged = 0;
	let lineBase = 1;
	let out = '';
	const columnAt = (cell: number) => columns?.[cell] ?? `#${cell + 1}`;
	try {
		for await (const batch of batches) {
			for (const item of batch) {
				if (columns === null) {
					lineBase = item.line;
					columns = fileColumns(item, sink);
					if (!columns) {
						stop = true;
						break;
					}
					index = RESPONSE_COLUMNS.map((c) => columns!.indexOf(c));
					continue;
				}
				rowsRead++;
				progress.at(rowsRead);
				if ('problem' in item) {
					unstaged++;
					sink.add(item.line, '', item.problem, problemMessage(item.problem, sink.locale));
					continue;
				}
				const cells = item.cells;
				if (cells.length > columns.length) {
					unstaged++;
					sink.add(
						item.line,
						`#${columns.length + 1}`,
						'too_many_cells',
						m.imports_too_many_cells({ count: cells.length, expected: columns.length }, o)
					);
					continue;
				}
				// PostgreSQL text holds no NUL: such a cell is a problem of its own.
				const nul = cells.findIndex((c) => c.includes('\0'));
				if (nul !== -1) {
					unstaged++;
					sink.problem(item.line, columnAt(nul), { code: 'response_nul' });
					continue;
				}
				out += `${item.line}`;
				for (const i of index) {
					const cell = cells[i];
					out += cell === undefined ? ',' : `,${csvText(cell)}`;
				}
				out += '\n';
				if (out.length >= WRITE_CHUNK) {
					await copy.write(out);
					out = '';
				}
			}
			if (stop) break;
		}
	} catch (e) {
		if (!(e instanceof InvalidUtf8)) {
			copy.abort(e instanceof Error ? e : new Error(String(e)));
			throw e;
		}
		// Nothing after the bad bytes can be trusted to be read right: the reading stops there.
		sink.add(e.line, columnAt(e.cell), 'invalid_utf8', m.responses_import_invalid_utf8({}, o));
		stop = true;
	}
	if (out.length > 0) await copy.write(out);
	await copy.end();
	if (columns === null && !stop) {
		emptyFile(sink);
		stop = true;
	}
	return {
		encoding: info.encoding(),
		sha256: info.sha256(),
		lineBase,
		numbered: false,
		unstaged,
		stop,
		copied: false
	};
}
