// The responses file of spec/exchange.md: one row per answer, grouped into responses by
// `response_key` (the rows of one key need not be adjacent). A province's file has millions of
// rows, so PostgreSQL parses it: the file's bytes (as UTF-8, decoded on the fly when GBK) stream
// into `COPY response_raw … FROM STDIN (FORMAT csv)`, a temporary table of text cells in file
// order, after the header has been checked here. Everything else is set-based SQL in ONE
// transaction: one aggregation per response that pivots the answers and tells whether anything
// needs a closer look; the row-by-row checks (line and column of every problem) only when it
// does; then the inserts. PGlite (no COPY FROM STDIN) and files COPY reads differently from us
// (blank lines inside, cells missing or too many) are staged from our own streaming CSV reader
// into the same table instead, and go through the same SQL. Nothing is written unless every row
// is valid; responses whose key is already stored are left as they are, so a second import of a
// file writes nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import {
	parseSubmittedAt,
	RESPONSE_CHANNELS,
	RESPONSE_COLUMNS,
	RESPONSE_KEY_MAX,
	TEXT_ANSWER_MAX
} from '$lib/schemas/responses';
import * as audit from '$lib/server/audit';
import { rows, type Database, type Tx } from '$lib/server/db';
import {
	copyInto,
	copyStream,
	csvText,
	streamsCopy,
	type ByteCopyWriter
} from '$lib/server/imports/copy';
import type { Locale } from '$lib/paraglide/runtime';
import {
	BodyFilter,
	checkHeader,
	CopyWouldDiffer,
	csvRecords,
	EncodingChanged,
	HeaderSplitter,
	headerRecord,
	problemMessage,
	Utf8Transcoder,
	type StreamEncoding,
	type StreamProblem,
	type StreamRecord
} from '$lib/server/imports/csv-stream';
import { RATING_COLUMNS } from './responses';

export interface RowError {
	line: number;
	column: string;
	message: string;
}

export type ResponseImportResult =
	| {
			ok: true;
			/** Answer rows read (the header and blank lines not counted). */
			rows: number;
			/** Distinct response keys in the file. */
			responses: number;
			/** Responses written now. */
			created: number;
			/** Responses whose key was already stored: left as they are. */
			existing: number;
			sha256: string;
			encoding: StreamEncoding;
	  }
	| {
			ok: false;
			rows: number;
			/** The first `errorLimit` problems, by line. */
			errors: RowError[];
			/** How many more problems there are beyond those listed. */
			moreErrors: number;
			sha256: string;
			encoding: StreamEncoding;
	  };

export interface ResponseImportOptions {
	locale: Locale;
	/** Called with the number of rows read, every `progressEvery` rows. */
	onProgress?: (rows: number) => void;
	progressEvery?: number;
	/** Problems listed at most; the rest are counted. */
	errorLimit?: number;
}

export type ResponseSource = string | Uint8Array | AsyncIterable<Uint8Array>;

const READ_CHUNK = 256 * 1024;
const WRITE_CHUNK = 256 * 1024;

/** The staged cells, in the order of spec/exchange.md. */
const RAW_COLUMNS = RESPONSE_COLUMNS;
const COLUMN_ORDER = new Map<string, number>(RESPONSE_COLUMNS.map((c, i) => [c, i]));
const columnOrder = (c: string) => COLUMN_ORDER.get(c) ?? RESPONSE_COLUMNS.length;

/** What JavaScript's `trim()` removes, for `btrim`: cells are compared trimmed. */
const WS = sql.raw(
	`E' \\t\\n\\r\\f\\x0B' || U&'\\00A0\\1680\\2000\\2001\\2002\\2003\\2004\\2005\\2006\\2007\\2008\\2009\\200A\\2028\\2029\\202F\\205F\\3000\\FEFF'`
);

/** A channel as a number 1–4 (0: not a channel), cheap to compare per row. */
const channelCode = (cell: string) =>
	sql.raw(
		`case ${cell} ${RESPONSE_CHANNELS.map((c, i) => `when '${c}' then ${i + 1}`).join(' ')} else 0 end`
	);
const channelEnum = (code: string) =>
	sql.raw(
		`case ${code} ${RESPONSE_CHANNELS.map((c, i) => `when ${i + 1} then '${c}'::response_channel`).join(' ')} end`
	);
/** A rating cell as its level 0–5, null when it is not one. */
const levelOf = (cell: string) =>
	sql.raw(`case ${cell} ${[0, 1, 2, 3, 4, 5].map((l) => `when '${l}' then ${l}`).join(' ')} end`);
/** Slot k's level out of the packed levels (3 bits a slot, level + 1, 0 = not answered). */
const unpack = (packed: string) =>
	sql.raw(
		RATING_COLUMNS.map((_, k) => `(nullif((${packed} >> ${3 * k}) & 7, 0) - 1)::smallint`).join(
			', '
		)
	);

function bytesOf(source: ResponseSource): AsyncIterable<Uint8Array> {
	if (typeof source === 'string') return createReadStream(source, { highWaterMark: READ_CHUNK });
	if (source instanceof Uint8Array) {
		return (async function* () {
			for (let i = 0; i < source.length; i += READ_CHUNK) yield source.subarray(i, i + READ_CHUNK);
		})();
	}
	return source;
}

/** The import is refused: carries the result out of the transaction, which rolls back. */
class Refused extends Error {
	constructor(readonly result: ResponseImportResult & { ok: false }) {
		super('import refused');
	}
}

/** Problems found, the first `limit` of them kept. */
class ErrorSink {
	readonly errors: RowError[] = [];
	more = 0;
	constructor(readonly limit: number) {}
	add(line: number, column: string, message: string) {
		if (this.errors.length < this.limit) this.errors.push({ line, column, message });
		else this.more++;
	}
	get count() {
		return this.errors.length + this.more;
	}
}

/** Calls `onProgress` at every multiple of `every` rows passed. */
class Progress {
	private reported = 0;
	constructor(
		private readonly every: number,
		private readonly report?: (rows: number) => void
	) {}
	at(rows: number) {
		if (!this.report) return;
		while (this.reported + this.every <= rows) this.report((this.reported += this.every));
	}
}

/**
 * Imports a responses file (a path, the bytes, or a byte stream). Messages are in
 * `options.locale`. Writes nothing unless every row is valid; one audit entry when it writes.
 */
export async function importResponses(
	db: Database,
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

/** What staging the file left behind, besides the rows in `response_raw`. */
interface Staged {
	encoding: StreamEncoding;
	sha256: string;
	/** Physical lines before the first data row (COPY: row `ordinal` is on line base + ordinal). */
	lineBase: number;
	/** Rows read but not staged (their problems are in the sink). */
	unstaged: number;
	/** Nothing more to learn from the file (no usable header, unreadable): refuse now. */
	stop: boolean;
	/** Rows were staged by COPY, without their line numbers. */
	copied: boolean;
}

async function run(
	tx: Tx,
	source: ResponseSource,
	options: ResponseImportOptions,
	actor: audit.Actor
): Promise<ResponseImportResult> {
	const { locale } = options;
	const sink = new ErrorSink(options.errorLimit ?? 1000);
	const progress = new Progress(options.progressEvery ?? 100_000, options.onProgress);
	const copying = streamsCopy(tx);

	// A province's file takes minutes: the connection's safety timeouts are for requests.
	await tx.execute(sql`set local statement_timeout = 0`);
	await tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
	// One aggregation over the file's answers builds a row per response in memory: a million
	// responses need ~500 MB of hash table (twice work_mem), which beats sorting them to disk.
	if (copying) await tx.execute(sql`set local work_mem = '320MB'`);
	await tx.execute(
		sql.raw(`create temp table response_raw (
			ordinal bigint generated always as identity,
			line integer,
			${RAW_COLUMNS.map((c) => `${c} text`).join(', ')}
		) on commit drop`)
	);

	let staged: Staged | null = null;
	// A file COPY refuses (blank lines inside, cells missing or too many, bad quotes) is read a
	// second time by our own reader, which tells every such problem; a stream cannot be read twice.
	if (copying && rereadable(source))
		staged = await stageWithCopy(tx, source, sink, progress, locale);
	// PGlite, streams, or a file COPY refused: our own reader stages the same rows.
	if (!staged) staged = await stageParsed(tx, source, sink, progress, locale);

	const refuse = (rowCount: number): never => {
		const errors = sink.errors.sort(
			(a, b) => a.line - b.line || columnOrder(a.column) - columnOrder(b.column)
		);
		throw new Refused({
			ok: false,
			rows: rowCount,
			errors,
			moreErrors: sink.more,
			sha256: staged.sha256,
			encoding: staged.encoding
		});
	};
	if (staged.stop) refuse(staged.unstaged);

	await tx.execute(sql`analyze response_raw`);
	await lookups(tx);
	let summary = await aggregate(tx);
	if (summary.needsLook || sink.count > 0) {
		// Multi-line cells shift lines against ordinals; count them before trimming cells.
		if (staged.copied) await countNewlines(tx);
		if (await normalise(tx)) summary = await aggregate(tx);
		if (summary.oddTimes > 0) await resolveTimes(tx);
		await findProblems(tx, sink, staged, locale);
		if (sink.count > 0) refuse(summary.rows + staged.unstaged);
	}
	const rowCount = summary.rows + staged.unstaged;
	progress.at(rowCount);

	const created = await write(tx, summary);
	if (created > 0) {
		await audit.record(tx, actor, {
			action: 'responses.import',
			entity: 'survey_response',
			entityId: null,
			changes: {
				sha256: { before: null, after: staged.sha256 },
				encoding: { before: null, after: staged.encoding },
				rows: { before: null, after: rowCount },
				responses: { before: null, after: summary.responses },
				created: { before: null, after: created },
				existing: { before: null, after: summary.responses - created }
			}
		});
	}
	return {
		ok: true,
		rows: rowCount,
		responses: summary.responses,
		created,
		existing: summary.responses - created,
		sha256: staged.sha256,
		encoding: staged.encoding
	};
}

// --- Staging ---------------------------------------------------------------------------------

const rereadable = (source: ResponseSource) =>
	typeof source === 'string' || source instanceof Uint8Array;

/** Checks the header record; adds its problems to the sink. Columns in file order, or null. */
function fileColumns(
	record: StreamRecord | StreamProblem,
	sink: ErrorSink,
	locale: Locale
): string[] | null {
	const line = record.line;
	if ('problem' in record) {
		sink.add(line, '', problemMessage(record.problem, locale));
		return null;
	}
	const header = checkHeader(record, RESPONSE_COLUMNS, locale);
	if ('errors' in header) {
		for (const e of header.errors) sink.add(e.line, e.column, e.message);
		return null;
	}
	return [...header.index].sort((a, b) => a[1] - b[1]).map(([c]) => c);
}

/**
 * Streams the file's bytes into `COPY response_raw FROM STDIN`: PostgreSQL parses the CSV.
 * Null when COPY refused the file (what it says about it is not what we say: see `copyStream`);
 * the caller then reads it again with our own reader.
 */
async function stageWithCopy(
	tx: Tx,
	source: ResponseSource,
	sink: ErrorSink,
	progress: Progress,
	locale: Locale
): Promise<Staged | null> {
	const hash = createHash('sha256');
	const transcoder = new Utf8Transcoder();
	const header = new HeaderSplitter();
	const body = new BodyFilter();
	const encoding = () => transcoder.encoding ?? 'utf-8';
	// Set inside `pass`: a holder, so that the checks after the loop see it.
	const state: { copy: ByteCopyWriter | null; stop: boolean } = { copy: null, stop: false };

	// The header decides the COPY's column list (the file's order); then bytes pass through.
	const pass = async (sp: Tx, utf8: Uint8Array, final: boolean) => {
		let rest = header.push(utf8);
		if (final) rest = rest.length > 0 ? rest : header.end();
		if (header.header === null) return;
		if (!state.copy) {
			const columns = fileColumns(headerRecord(header.header, header.lines), sink, locale);
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
						sink.add(1, '', m.imports_empty_file({}, { locale }));
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
		if (e instanceof CopyWouldDiffer || (e as Error).name === 'PostgresError') return null;
		throw e;
	}
	return {
		encoding: encoding(),
		sha256: state.stop ? '' : hash.digest('hex'),
		lineBase: header.lines,
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
	progress: Progress,
	locale: Locale
): Promise<Staged> {
	const o = { locale };
	const { batches, info } = csvRecords(bytesOf(source));
	const copy = await copyInto(tx, 'response_raw', ['line', ...RAW_COLUMNS]);
	let index: number[] | null = null;
	let width = 0;
	let stop = false;
	let rowsRead = 0;
	let unstaged = 0;
	let lastLine = 1;
	let lineBase = 1;
	let out = '';
	try {
		for await (const batch of batches) {
			for (const item of batch) {
				lastLine = item.line;
				if (index === null) {
					lineBase = item.line;
					const columns = fileColumns(item, sink, locale);
					if (!columns) {
						stop = true;
						break;
					}
					width = columns.length;
					index = RAW_COLUMNS.map((c) => columns.indexOf(c));
					continue;
				}
				rowsRead++;
				progress.at(rowsRead);
				if ('problem' in item) {
					unstaged++;
					sink.add(item.line, '', problemMessage(item.problem, locale));
					continue;
				}
				const cells = item.cells;
				if (cells.length > width) {
					unstaged++;
					sink.add(
						item.line,
						`#${width + 1}`,
						m.imports_too_many_cells({ count: cells.length, expected: width }, o)
					);
					continue;
				}
				// PostgreSQL text holds no NUL: such a cell is a problem of its own.
				const nul = index.findIndex((i) => (cells[i] ?? '').includes('\0'));
				if (nul !== -1) {
					unstaged++;
					sink.add(item.line, RAW_COLUMNS[nul]!, m.responses_error_nul({}, o));
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
		if (!(e instanceof EncodingChanged)) {
			copy.abort(e instanceof Error ? e : new Error(String(e)));
			throw e;
		}
		sink.add(lastLine + 1, '', m.responses_import_encoding({}, o));
	}
	if (out.length > 0) await copy.write(out);
	await copy.end();
	if (index === null && !stop) {
		sink.add(1, '', m.imports_empty_file({}, o));
		stop = true;
	}
	return {
		encoding: info.encoding(),
		sha256: info.sha256(),
		lineBase,
		unstaged,
		stop,
		copied: false
	};
}

// --- Checking --------------------------------------------------------------------------------

/**
 * Small lookup tables: every campaign's questions (slot, kind, a bit per question for telling
 * repeated answers), and — kept for the session — the days 1990–2200 and the times of day as
 * the files write them, so that a submission time is checked by two hash lookups.
 */
async function lookups(tx: Tx) {
	await tx.execute(sql`create temp table response_question on commit drop as
		select c.code as campaign_code, q.code as question_code, c.id as campaign_id,
			q.id as question_id, q.slot, q.kind = 'text' as is_text,
			-- Questionnaires of more than 31 questions share bits: a false alarm at worst, which
			-- the row-by-row checks then clear.
			1 << ((row_number() over (partition by c.id order by q.position, q.id) - 1) % 31)::int as bit,
			3 * (q.slot - 1) as shift
		from campaign c join question q on q.questionnaire_id = c.questionnaire_id`);
	await tx.execute(sql`analyze response_question`);
	const [have] = await rows<{ ok: boolean }>(
		tx,
		sql`select to_regclass('pg_temp.pingyi_response_day') is not null as ok`
	);
	if (!have?.ok) {
		await tx.execute(sql`create temp table pingyi_response_day as
			select to_char(d, 'YYYY-MM-DD') as day
			from generate_series(date '1990-01-01', date '2200-12-31', interval '1 day') d`);
		await tx.execute(sql`create temp table pingyi_response_clock as
			select to_char(time '00:00' + s * interval '1 second', ' HH24:MI:SS') as t
			from generate_series(0, 86399) s
			union all
			select to_char(time '00:00' + s * interval '1 minute', ' HH24:MI')
			from generate_series(0, 1439) s`);
		await tx.execute(sql`analyze pingyi_response_day`);
		await tx.execute(sql`analyze pingyi_response_clock`);
	}
	await tx.execute(sql`create temp table if not exists response_time (
			raw text primary key,
			at timestamptz not null
		) on commit drop`);
}

interface Summary {
	responses: number;
	rows: number;
	texts: number;
	/** Responses about several departments (their ratings are pivoted per department). */
	multi: number;
	/** Submission times not written `YYYY-MM-DD HH:mm[:ss]` (or no real moment). */
	oddTimes: number;
	/** Something is or may be wrong: the row-by-row checks must say. */
	needsLook: boolean;
}

/**
 * One pass over the staged rows: per response, its first row, campaign and channel (as one
 * number), time, departments, row count, rows that match no question or hold no valid answer,
 * a bit per question answered (a repeated answer makes the sum differ from the OR), and the
 * rating levels packed 3 bits a slot. Then one pass over the responses says whether anything
 * needs a closer look.
 */
async function aggregate(tx: Tx): Promise<Summary> {
	await tx.execute(sql`drop table if exists response_agg, response_agg_department`);
	await tx.execute(sql`create temp table response_agg on commit drop as
		select s.response_key, min(s.ordinal) as ordinal,
			min(q.campaign_id * 8 + ${channelCode('s.channel')}) as k,
			max(q.campaign_id * 8 + ${channelCode('s.channel')}) as k_max,
			min(s.submitted_at collate "C") as at, max(s.submitted_at collate "C") as at_max,
			min(s.department_code collate "C") as department,
			max(s.department_code collate "C") as department_max,
			count(*) as n,
			count(*) filter (where q.bit is null
				or (q.slot is not null and ${levelOf('s.answer')} is null)
				or (q.is_text and coalesce(length(btrim(s.answer, ${WS})) not between 1 and ${sql.raw(String(TEXT_ANSWER_MAX))}, true))
			) as bad,
			count(*) filter (where q.is_text) as texts,
			sum(q.bit) as bits, bit_or(q.bit) as bits_or,
			bit_or((${levelOf('s.answer')} + 1)::bigint << q.shift) as levels
		from response_raw s
		left join response_question q
			on q.campaign_code = s.campaign_code and q.question_code = s.question_code
		group by s.response_key`);
	await tx.execute(sql`analyze response_agg`);
	const [r] = await rows<{
		responses: number;
		rows: number;
		texts: number;
		multi: number;
		odd_times: number;
		suspicious: number;
	}>(
		tx,
		sql`select count(*)::int as responses, coalesce(sum(r.n), 0)::int as rows,
			coalesce(sum(r.texts), 0)::int as texts,
			count(*) filter (where r.department <> r.department_max)::int as multi,
			count(*) filter (where t.day is null or c.t is null)::int as odd_times,
			count(*) filter (where r.bad > 0 or r.response_key is null
				or length(r.response_key) > ${RESPONSE_KEY_MAX}
				or r.k is null or r.k <> r.k_max or r.k % 8 = 0 or r.at <> r.at_max
				or d.id is null
				or (r.bits <> r.bits_or and r.department = r.department_max))::int as suspicious
		from response_agg r
		left join department d on d.code = r.department
		left join pingyi_response_day t on t.day = left(r.at, 10)
		left join pingyi_response_clock c on c.t = substr(r.at, 11)`
	);
	let suspicious = Number(r!.suspicious);
	if (Number(r!.multi) > 0) {
		// Responses about several departments: their answers per department.
		await tx.execute(sql`create temp table response_agg_department on commit drop as
			select s.response_key, s.department_code as department,
				sum(q.bit) as bits, bit_or(q.bit) as bits_or,
				bit_or((${levelOf('s.answer')} + 1)::bigint << q.shift) as levels
			from response_raw s
			join response_question q
				on q.campaign_code = s.campaign_code and q.question_code = s.question_code
			where s.response_key in
				(select response_key from response_agg where department <> department_max)
			group by s.response_key, s.department_code`);
		const [x] = await rows<{ n: number }>(
			tx,
			sql`select count(*)::int as n from response_agg_department a
				left join department d on d.code = a.department
				where d.id is null or a.bits <> a.bits_or`
		);
		suspicious += Number(x!.n);
	}
	return {
		responses: Number(r!.responses),
		rows: Number(r!.rows),
		texts: Number(r!.texts),
		multi: Number(r!.multi),
		oddTimes: Number(r!.odd_times),
		needsLook: suspicious > 0 || Number(r!.odd_times) > 0
	};
}

/** Line breaks inside the cells of each COPY row, summed in file order (error path only). */
async function countNewlines(tx: Tx) {
	const all = sql.raw(`concat_ws(',', ${RAW_COLUMNS.join(', ')})`);
	const normalised = sql`replace(${all}, E'\r\n', E'\n')`;
	await tx.execute(sql`create temp table response_newlines on commit drop as
		select ordinal, sum(n) over (order by ordinal) as before_next
		from (select ordinal,
				length(${normalised}) - length(replace(replace(${normalised}, E'\r', ''), E'\n', '')) as n
			from response_raw
			where strpos(${all}, E'\n') > 0 or strpos(${all}, E'\r') > 0) x`);
	await tx.execute(sql`create index on response_newlines (ordinal)`);
}

/**
 * Cells as the checks read them: trimmed, empty as null; rows of empty cells (spreadsheets
 * leave them) dropped. Whether anything changed.
 */
async function normalise(tx: Tx): Promise<boolean> {
	const trimmed = (c: string) => sql`nullif(btrim(${sql.raw(c)}, ${WS}), '')`;
	const [u] = await rows<{ n: number }>(
		tx,
		sql`with u as (update response_raw set ${sql.join(
			RAW_COLUMNS.map((c) => sql`${sql.raw(c)} = ${trimmed(c)}`),
			sql`, `
		)}
			where ${sql.join(
				RAW_COLUMNS.map((c) => sql`${sql.raw(c)} is distinct from ${trimmed(c)}`),
				sql` or `
			)}
			returning 1)
		select count(*)::int as n from u`
	);
	const [d] = await rows<{ n: number }>(
		tx,
		sql`with d as (delete from response_raw
			where coalesce(${sql.raw(RAW_COLUMNS.join(', '))}) is null returning 1)
		select count(*)::int as n from d`
	);
	return Number(u!.n) + Number(d!.n) > 0;
}

const TIME_PAGE = 10_000;

/**
 * Submission times not written `YYYY-MM-DD HH:mm[:ss]`: Excel's `2026/3/2 7:15`, ISO 8601 with an
 * offset. Read by the same function as the API reads them (`parseSubmittedAt`), a page of
 * distinct values at a time; the valid ones go into `response_time`.
 */
async function resolveTimes(tx: Tx) {
	await tx.execute(sql`create temp table response_time_odd on commit drop as
		select row_number() over () as n, raw from (
			select distinct s.submitted_at as raw from response_raw s
			left join pingyi_response_day t on t.day = left(s.submitted_at, 10)
			left join pingyi_response_clock c on c.t = substr(s.submitted_at, 11)
			where s.submitted_at is not null and (t.day is null or c.t is null)) x`);
	for (let from = 0; ; from += TIME_PAGE) {
		const page = await rows<{ raw: string }>(
			tx,
			sql`select raw from response_time_odd where n > ${from} and n <= ${from + TIME_PAGE}`
		);
		if (page.length === 0) break;
		const valid = page.flatMap((p) => {
			const at = parseSubmittedAt(p.raw);
			return at ? [{ raw: p.raw, at: at.toISOString() }] : [];
		});
		if (valid.length > 0)
			await tx.execute(sql`insert into response_time (raw, at)
				select raw, at from json_to_recordset(${JSON.stringify(valid)}::json)
					as x(raw text, at timestamptz)`);
	}
}

/** A staged time as an instant: `YYYY-MM-DD HH:mm[:ss]` cast, anything else looked up. */
const instantOf = (cell: string, day: string, clock: string, odd: string) =>
	sql.raw(`case when ${day}.day is not null and ${clock}.t is not null
		then (${cell} || '+08')::timestamptz else ${odd}.at end`);

type Problem = {
	ordinal: number;
	col: number;
	code: string;
	value: string | null;
	extra: string | null;
};

/**
 * The row-by-row checks, only when the aggregation saw something: every problem with its row
 * (ordinal) and column; then, among the rows without problems, responses whose rows disagree on
 * campaign, channel or time, and questions answered twice about one department. The first
 * `limit` of each kind by row are listed, all are counted; lines are worked out for those listed.
 */
async function findProblems(tx: Tx, sink: ErrorSink, staged: Staged, locale: Locale) {
	const o = { locale };
	const limit = Math.max(0, sink.limit - sink.errors.length);
	await tx.execute(sql`create temp table response_check on commit drop as
		select s.ordinal, s.response_key, s.campaign_code, s.channel, s.submitted_at,
			s.department_code, s.question_code, s.answer,
			c.id as campaign_id, qn.code || '@' || qn.version as questionnaire,
			q.question_id, q.is_text, d.id as department_id,
			${channelCode('s.channel')} as channel_code,
			${instantOf('s.submitted_at', 't', 'k', 'x')} as at,
			${levelOf('s.answer')} as level
		from response_raw s
		left join campaign c on c.code = s.campaign_code
		left join questionnaire qn on qn.id = c.questionnaire_id
		left join response_question q on q.campaign_id = c.id and q.question_code = s.question_code
		left join department d on d.code = s.department_code
		left join pingyi_response_day t on t.day = left(s.submitted_at, 10)
		left join pingyi_response_clock k on k.t = substr(s.submitted_at, 11)
		left join response_time x on x.raw = s.submitted_at`);
	const checks = sql.raw(`(values
		(0, case when response_key is null then 'required'
			when length(response_key) > ${RESPONSE_KEY_MAX} then 'too_long' end, null, null),
		(1, case when campaign_code is null then 'required'
			when campaign_id is null then 'campaign' end, campaign_code, null),
		(2, case when channel is null then 'required'
			when channel_code = 0 then 'channel' end, channel, null),
		(3, case when submitted_at is null then 'required'
			when at is null then 'submitted_at' end, submitted_at, null),
		(4, case when department_code is null then 'required'
			when department_id is null then 'department' end, department_code, null),
		(5, case when question_code is null then 'required'
			when campaign_id is not null and question_id is null then 'question' end,
			question_code, questionnaire),
		(6, case when question_id is null then null
			when not is_text and level is null then 'rating'
			when is_text and coalesce(length(answer) not between 1 and ${TEXT_ANSWER_MAX}, true)
				then 'text' end, answer, null)
	) as e(col, code, value, extra)`);
	const found: Problem[] = [];
	const counted = await rows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from response_check cross join lateral ${checks}
			where e.code is not null`
	);
	let total = Number(counted[0]!.n);
	found.push(
		...(await rows<Problem>(
			tx,
			sql`select ordinal, e.col, e.code, e.value, e.extra
				from response_check cross join lateral ${checks}
				where e.code is not null order by ordinal, e.col limit ${limit}`
		))
	);
	if (total > 0)
		await tx.execute(sql`delete from response_check r where exists
			(select 1 from lateral ${checks} where e.code is not null)`);

	// Rows of one response that disagree with its first row.
	await tx.execute(sql`create temp table response_first on commit drop as
		select distinct on (response_key) response_key, ordinal, campaign_id, channel_code, at
		from response_check order by response_key, ordinal`);
	const differs = sql`from response_check r join response_first f using (response_key)
		where r.ordinal <> f.ordinal and (r.campaign_id <> f.campaign_id
			or r.channel_code <> f.channel_code or r.at <> f.at)`;
	const [inconsistent] = await rows<{ n: number }>(
		tx,
		sql`select coalesce(sum((r.campaign_id <> f.campaign_id)::int
			+ (r.channel_code <> f.channel_code)::int + (r.at <> f.at)::int), 0)::int as n ${differs}`
	);
	total += Number(inconsistent!.n);
	const disagreeing = await rows<{
		ordinal: number;
		first: number;
		response_key: string;
		campaign: boolean;
		channel: boolean;
		at: boolean;
	}>(
		tx,
		sql`select r.ordinal, f.ordinal as first, r.response_key,
			r.campaign_id <> f.campaign_id as campaign, r.channel_code <> f.channel_code as channel,
			r.at <> f.at as at
			${differs} order by r.ordinal limit ${limit}`
	);
	for (const d of disagreeing) {
		const extra = `${d.first}\u0000${d.response_key}`;
		if (d.campaign)
			found.push({ ordinal: d.ordinal, col: 1, code: 'inconsistent', value: null, extra });
		if (d.channel)
			found.push({ ordinal: d.ordinal, col: 2, code: 'inconsistent', value: null, extra });
		if (d.at) found.push({ ordinal: d.ordinal, col: 3, code: 'inconsistent', value: null, extra });
	}

	// A question answered twice about one department: every answer after the first.
	const repeated = sql`from (select ordinal, department_code, question_code,
			min(ordinal) over (partition by response_key, department_id, question_id) as first
		from response_check) x where ordinal <> first`;
	const [twice] = await rows<{ n: number }>(tx, sql`select count(*)::int as n ${repeated}`);
	total += Number(twice!.n);
	const duplicates = await rows<{
		ordinal: number;
		first: number;
		department_code: string;
		question_code: string;
	}>(
		tx,
		sql`select ordinal, first, department_code, question_code ${repeated}
			order by ordinal limit ${limit}`
	);
	for (const d of duplicates)
		found.push({
			ordinal: d.ordinal,
			col: 5,
			code: 'duplicate',
			value: d.question_code,
			extra: `${d.first}\u0000${d.department_code}`
		});
	if (process.env.H8DBG) console.error('H8', total, JSON.stringify(found.slice(0, 5)));
	if (total === 0) return;

	found.sort((a, b) => Number(a.ordinal) - Number(b.ordinal) || a.col - b.col);
	const listed = found.slice(0, limit);
	const wanted = new Set<number>();
	for (const p of listed) {
		wanted.add(Number(p.ordinal));
		if (p.code === 'inconsistent' || p.code === 'duplicate')
			wanted.add(Number(p.extra!.split('\u0000')[0]));
	}
	const lines = await linesOf(tx, [...wanted], staged);
	const lineOf = (ordinal: number | string) => lines.get(Number(ordinal)) ?? 0;
	for (const p of listed) {
		const column = RESPONSE_COLUMNS[p.col]!;
		const value = p.value ?? '';
		const [first, other] = (p.extra ?? '').split('\u0000');
		const message = (() => {
			switch (p.code) {
				case 'required':
					return m.responses_error_required({}, o);
				case 'too_long':
					return m.responses_error_too_long({ max: RESPONSE_KEY_MAX }, o);
				case 'campaign':
					return m.responses_error_campaign({ code: value }, o);
				case 'channel':
					return m.responses_error_channel({ value }, o);
				case 'submitted_at':
					return m.responses_error_submitted_at({ value }, o);
				case 'department':
					return m.responses_error_department({ code: value }, o);
				case 'question':
					return m.responses_error_question({ code: value, questionnaire: p.extra ?? '' }, o);
				case 'rating':
					return m.responses_error_rating({ value }, o);
				case 'text':
					return m.responses_error_text({ max: TEXT_ANSWER_MAX }, o);
				case 'inconsistent':
					return m.responses_import_inconsistent({ line: lineOf(first!), key: other! }, o);
				default:
					return m.responses_import_duplicate_answer(
						{ department: other!, question: value, line: lineOf(first!) },
						o
					);
			}
		})();
		sink.add(lineOf(p.ordinal), column, message);
	}
	sink.more += total - listed.length;
}

/**
 * The physical line of staged rows: ours carry it; COPY's row `ordinal` is on line
 * base + ordinal, plus the line breaks inside the cells of the rows before it.
 */
async function linesOf(tx: Tx, ordinals: number[], staged: Staged): Promise<Map<number, number>> {
	if (ordinals.length === 0) return new Map();
	const shift = staged.copied
		? sql`coalesce((select n.before_next from response_newlines n where n.ordinal < o.ordinal
				order by n.ordinal desc limit 1), 0)`
		: sql`0`;
	const found = await rows<{ ordinal: number; line: number }>(
		tx,
		sql`select o.ordinal, coalesce(s.line, ${staged.lineBase} + o.ordinal + ${shift})::int as line
			from (select value::bigint as ordinal
				from json_array_elements_text(${JSON.stringify(ordinals)}::json)) o
			left join response_raw s on s.ordinal = o.ordinal`
	);
	return new Map(found.map((f) => [Number(f.ordinal), Number(f.line)]));
}

// --- Writing ---------------------------------------------------------------------------------

const isUniqueViolation = (e: unknown): boolean => {
	for (let x = e as { code?: string; cause?: unknown } | undefined; x; x = x.cause as typeof x)
		if (x.code === '23505') return true;
	return false;
};

/**
 * Inserts the responses whose key is new, in file order, then their ratings and text answers.
 * Keys already stored are skipped; should a concurrent import or API call store one of them
 * meanwhile, the insert is redone with `ON CONFLICT DO NOTHING`, which waits for it. Returns the
 * responses written.
 */
async function write(tx: Tx, summary: Summary): Promise<number> {
	await tx.execute(sql`create temp table response_new (
			id bigint not null,
			response_key text not null
		) on commit drop`);
	const odd = summary.oddTimes > 0;
	const at = odd ? instantOf('r.at', 't', 'k', 'x') : sql.raw(`(r.at || '+08')::timestamptz`);
	const joins = odd
		? sql`left join pingyi_response_day t on t.day = left(r.at, 10)
			left join pingyi_response_clock k on k.t = substr(r.at, 11)
			left join response_time x on x.raw = r.at`
		: sql``;
	const insert = (onConflict: boolean) => sql`with ins as (
			insert into survey_response (response_key, campaign_id, channel, submitted_at)
			select r.response_key, r.k / 8, ${channelEnum('r.k % 8')}, ${at}
			from response_agg r ${joins}
			${onConflict ? sql`` : sql`where not exists (select 1 from survey_response e where e.response_key = r.response_key)`}
			order by r.ordinal
			${onConflict ? sql`on conflict (response_key) do nothing` : sql``}
			returning id, response_key)
		insert into response_new (id, response_key) select id, response_key from ins`;
	try {
		await tx.transaction(async (sp) => {
			await sp.execute(insert(false));
		});
	} catch (e) {
		if (!isUniqueViolation(e)) throw e;
		await tx.execute(insert(true));
	}
	await tx.execute(sql`analyze response_new`);

	const multi = summary.multi > 0;
	await tx.execute(sql`insert into survey_rating
			(response_id, department_id, campaign_id, ${sql.raw(RATING_COLUMNS.join(', '))})
		select n.id, d.id, r.k / 8, ${unpack('r.levels')}
		from (select response_key, department, k, levels from response_agg
				where levels is not null ${multi ? sql`and department = department_max` : sql``}
			${
				multi
					? sql`union all
				select a.response_key, a.department, g.k, a.levels
				from response_agg_department a join response_agg g using (response_key)
				where a.levels is not null`
					: sql``
			}) r
		join response_new n on n.response_key = r.response_key
		join department d on d.code = r.department
		order by n.id, d.id`);
	if (summary.texts > 0)
		await tx.execute(sql`insert into survey_text_answer (response_id, department_id, question_id, body)
			select n.id, d.id, q.question_id, btrim(s.answer, ${WS})
			from response_raw s
			join response_question q on q.campaign_code = s.campaign_code
				and q.question_code = s.question_code and q.is_text
			join response_new n on n.response_key = s.response_key
			join department d on d.code = s.department_code`);
	const [c] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from response_new`);
	return Number(c!.n);
}
