// The responses file of spec/exchange.md: one row per answer, grouped into responses by
// `response_key` (the rows of one key need not be adjacent). A province's file has millions of
// rows, so it is streamed: each row is checked against small lookup maps, then staged with COPY
// into a temporary table — adjacent rows of one response and department already pivoted into
// one staged row — and SQL does the rest set-based: the checks that need every row of a
// response, then the inserts, in ONE transaction. Nothing is written unless every row is valid;
// responses whose key is already stored are left as they are, so a second import changes nothing.
import { createReadStream } from 'node:fs';
import { sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import {
	parseSubmittedAt,
	RESPONSE_CHANNELS,
	RESPONSE_COLUMNS,
	RESPONSE_KEY_MAX,
	textAnswer,
	TEXT_ANSWER_MAX
} from '$lib/schemas/responses';
import * as audit from '$lib/server/audit';
import { rows, type Database, type Tx } from '$lib/server/db';
import { RATING_SLOTS } from '$lib/server/db/schema';
import { copyInto, csvText } from '$lib/server/imports/copy';
import type { Locale } from '$lib/server/imports/csv';
import {
	checkHeader,
	csvRecords,
	EncodingChanged,
	problemMessage,
	type StreamEncoding
} from '$lib/server/imports/csv-stream';
import { campaignRefs, departmentIds, RATING_COLUMNS, type CampaignRef } from './responses';

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

const STAGE_COLUMNS = [
	'line',
	'response_key',
	'campaign_id',
	'channel',
	'submitted_at',
	'department_id',
	'mask',
	...RATING_COLUMNS,
	'slot_lines',
	'question_id',
	'body'
];

const COLUMN_ORDER = new Map<string, number>(RESPONSE_COLUMNS.map((c, i) => [c, i]));
const columnOrder = (c: string) => COLUMN_ORDER.get(c) ?? RESPONSE_COLUMNS.length;

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
		return await db.transaction((tx) => run(tx, bytesOf(source), options, actor));
	} catch (e) {
		if (e instanceof Refused) return e.result;
		throw e;
	}
}

async function run(
	tx: Tx,
	source: AsyncIterable<Uint8Array>,
	options: ResponseImportOptions,
	actor: audit.Actor
): Promise<ResponseImportResult> {
	const { locale } = options;
	const o = { locale };
	const progressEvery = options.progressEvery ?? 100_000;

	// A province's file takes minutes: the connection's safety timeouts are for requests.
	await tx.execute(sql`set local statement_timeout = 0`);
	await tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
	// The per-response aggregates and ordered inserts over a million staged rows spill to disk
	// with the default 4 MB (npm run bench: ~200 MB of temp files, ~10 % of the import's time).
	await tx.execute(sql`set local work_mem = '64MB'`);
	const [campaigns, departments] = await Promise.all([campaignRefs(tx), departmentIds(tx)]);
	const campaignById = new Map([...campaigns.values()].map((c) => [c.id, c]));

	await tx.execute(
		sql.raw(`create temp table response_stage (
			line integer not null,
			response_key text not null,
			campaign_id integer not null,
			channel text not null,
			submitted_at timestamptz not null,
			department_id integer not null,
			mask integer not null,
			${RATING_COLUMNS.map((c) => `${c} smallint`).join(', ')},
			slot_lines text,
			question_id integer,
			body text
		) on commit drop`)
	);

	const sink = new ErrorSink(options.errorLimit ?? 1000);
	const { batches, info } = csvRecords(source);
	const copy = await copyInto(tx, 'response_stage', STAGE_COLUMNS);
	const reader = new RowReader(campaigns, departments, sink, locale);

	let stopped = false;
	let lastLine = 1;
	try {
		for await (const batch of batches) {
			for (const item of batch) {
				lastLine = item.line;
				if ('problem' in item) {
					if (reader.header === null) stopped = true;
					else reader.rows++;
					sink.add(item.line, '', problemMessage(item.problem, locale));
					if (stopped) break;
					continue;
				}
				if (reader.header === null) {
					const header = checkHeader(item, RESPONSE_COLUMNS, locale);
					if ('errors' in header) {
						for (const e of header.errors) sink.add(e.line, e.column, e.message);
						stopped = true;
						break;
					}
					reader.setHeader(header.index, item.cells.length);
					continue;
				}
				reader.row(item.line, item.cells);
				if (options.onProgress && reader.rows % progressEvery === 0)
					options.onProgress(reader.rows);
				if (reader.out.length >= WRITE_CHUNK) await copy.write(reader.take());
			}
			// A header the rows cannot be read by: nothing more to learn from the file.
			if (stopped) break;
		}
	} catch (e) {
		if (!(e instanceof EncodingChanged)) {
			copy.abort(e instanceof Error ? e : new Error(String(e)));
			throw e;
		}
		sink.add(lastLine + 1, '', m.responses_import_encoding({}, o));
	}
	reader.flush();
	if (reader.out.length > 0) await copy.write(reader.take());
	await copy.end();

	const encoding = info.encoding();
	const sha256 = info.sha256();
	const rowCount = reader.rows;
	const refuse = (): never => {
		const errors = sink.errors.sort(
			(a, b) => a.line - b.line || columnOrder(a.column) - columnOrder(b.column)
		);
		throw new Refused({
			ok: false,
			rows: rowCount,
			errors,
			moreErrors: sink.more,
			sha256,
			encoding
		});
	};
	if (reader.header === null && sink.count === 0) sink.add(1, '', m.imports_empty_file({}, o));
	if (sink.full) refuse();

	const bad = (line: number, column: string, message: string) => sink.add(line, column, message);
	await checkResponses(tx, { campaignById, bad, locale });
	if (sink.count > 0) refuse();

	const written = await write(tx);
	if (written.created > 0) {
		await audit.record(tx, actor, {
			action: 'responses.import',
			entity: 'survey_response',
			entityId: null,
			changes: {
				sha256: { before: null, after: sha256 },
				encoding: { before: null, after: encoding },
				rows: { before: null, after: rowCount },
				responses: { before: null, after: written.responses },
				created: { before: null, after: written.created },
				existing: { before: null, after: written.responses - written.created }
			}
		});
	}
	return {
		ok: true,
		rows: rowCount,
		responses: written.responses,
		created: written.created,
		existing: written.responses - written.created,
		sha256,
		encoding
	};
}

/**
 * The checks that need every row of a response, in SQL over the staged rows: one campaign,
 * channel and time per response; no question answered twice about one department. Builds the
 * per-response and per-department tables the inserts read.
 */
async function checkResponses(
	tx: Tx,
	ctx: {
		campaignById: Map<number, CampaignRef>;
		bad: (line: number, column: string, message: string) => void;
		locale: Locale;
	}
) {
	const o = { locale: ctx.locale };
	// Temporary tables are never analysed automatically; the plans below need row counts.
	await tx.execute(sql`analyze response_stage`);
	await tx.execute(sql`create temp table response_stage_key on commit drop as
		select response_key, min(line) as line,
			min(campaign_id) as campaign_id, max(campaign_id) as campaign_id_max,
			min(channel) as channel, max(channel) as channel_max,
			min(submitted_at) as submitted_at, max(submitted_at) as submitted_at_max
		from response_stage group by response_key`);

	const inconsistent = await rows<{
		line: number;
		response_key: string;
		campaign_id: number;
		channel: string;
		submitted_at: Date | string;
	}>(
		tx,
		sql`select s.line, s.response_key, s.campaign_id, s.channel, s.submitted_at
			from response_stage s join response_stage_key k on k.response_key = s.response_key
			where k.campaign_id <> k.campaign_id_max or k.channel <> k.channel_max
				or k.submitted_at <> k.submitted_at_max
			order by s.response_key, s.line
			limit 20000`
	);
	let first: (typeof inconsistent)[number] | null = null;
	for (const r of inconsistent) {
		if (!first || first.response_key !== r.response_key) {
			first = r;
			continue;
		}
		const message = m.responses_import_inconsistent({ line: first.line, key: r.response_key }, o);
		if (Number(r.campaign_id) !== Number(first.campaign_id))
			ctx.bad(Number(r.line), 'campaign_code', message);
		if (r.channel !== first.channel) ctx.bad(Number(r.line), 'channel', message);
		if (new Date(r.submitted_at).getTime() !== new Date(first.submitted_at).getTime())
			ctx.bad(Number(r.line), 'submitted_at', message);
	}

	// One row per response and department: the levels of each slot, and whether two staged rows
	// answered the same slot (the sum of their slot masks then exceeds their union).
	const maxes = RATING_COLUMNS.map((c) => `max(${c}) as ${c}`).join(', ');
	await tx.execute(
		sql.raw(`create temp table response_stage_rating on commit drop as
		select response_key, department_id, min(campaign_id) as campaign_id,
			sum(mask) <> bit_or(mask) as repeated, ${maxes}
		from response_stage where question_id is null
		group by response_key, department_id`)
	);
	const repeated = await rows<{
		response_key: string;
		department_id: number;
		campaign_id: number;
		slot_lines: string;
	}>(
		tx,
		sql`select s.response_key, s.department_id, s.campaign_id, s.slot_lines
			from response_stage s
			join (select response_key, department_id from response_stage_rating where repeated
				limit 2000) r on r.response_key = s.response_key and r.department_id = s.department_id
			where s.question_id is null
			order by s.response_key, s.department_id, s.line`
	);
	const departmentCodes = repeated.length > 0 ? await codesOf(tx) : new Map<number, string>();
	let group = '';
	let firstLine = new Map<number, number>();
	for (const r of repeated) {
		const g = `${r.response_key}\u0000${r.department_id}`;
		if (g !== group) {
			group = g;
			firstLine = new Map();
		}
		const campaign = ctx.campaignById.get(Number(r.campaign_id));
		for (const pair of r.slot_lines.split(' ')) {
			const [slot, line] = pair.split(':').map(Number) as [number, number];
			const seen = firstLine.get(slot);
			if (seen === undefined) {
				firstLine.set(slot, line);
				continue;
			}
			const question = [...(campaign?.questions.values() ?? [])].find((q) => q.slot === slot);
			ctx.bad(
				line,
				'question_code',
				m.responses_import_duplicate_answer(
					{
						department: departmentCodes.get(Number(r.department_id)) ?? '',
						question: question?.code ?? `#${slot}`,
						line: seen
					},
					o
				)
			);
		}
	}

	const repeatedTexts = await rows<{
		department_id: number;
		question_id: number;
		lines: number[] | string;
	}>(
		tx,
		sql`select department_id, question_id, array_agg(line order by line) as lines
			from response_stage where question_id is not null
			group by response_key, department_id, question_id having count(*) > 1
			limit 2000`
	);
	if (repeatedTexts.length > 0) {
		const codes = await codesOf(tx);
		const questionCodes = new Map<number, string>();
		for (const c of ctx.campaignById.values())
			for (const q of c.questions.values()) questionCodes.set(q.id, q.code);
		for (const r of repeatedTexts) {
			const lines = (
				typeof r.lines === 'string' ? r.lines.replace(/[{}]/g, '').split(',') : r.lines
			).map(Number);
			for (const line of lines.slice(1))
				ctx.bad(
					line,
					'question_code',
					m.responses_import_duplicate_answer(
						{
							department: codes.get(Number(r.department_id)) ?? '',
							question: questionCodes.get(Number(r.question_id)) ?? '',
							line: lines[0]!
						},
						o
					)
				);
		}
	}
}

async function codesOf(tx: Tx): Promise<Map<number, string>> {
	const found = await rows<{ id: number; code: string }>(tx, sql`select id, code from department`);
	return new Map(found.map((d) => [Number(d.id), d.code]));
}

/**
 * Inserts the responses whose key is new (`ON CONFLICT DO NOTHING`: keys already stored, also by
 * a concurrent import or API call, are left as they are), then their ratings and text answers.
 */
async function write(tx: Tx): Promise<{ responses: number; created: number }> {
	await tx.execute(sql`create temp table response_stage_new (
			id bigint not null,
			response_key text not null
		) on commit drop`);
	await tx.execute(sql`with ins as (
			insert into survey_response (response_key, campaign_id, channel, submitted_at)
			select response_key, campaign_id, channel::response_channel, submitted_at
			from response_stage_key order by line
			on conflict (response_key) do nothing
			returning id, response_key)
		insert into response_stage_new (id, response_key) select id, response_key from ins`);
	await tx.execute(sql`analyze response_stage_new`);
	const columns = RATING_COLUMNS.join(', ');
	await tx.execute(
		sql.raw(`insert into survey_rating (response_id, department_id, campaign_id, ${columns})
		select n.id, r.department_id, r.campaign_id, ${RATING_COLUMNS.map((c) => `r.${c}`).join(', ')}
		from response_stage_rating r join response_stage_new n on n.response_key = r.response_key
		order by n.id, r.department_id`)
	);
	await tx.execute(sql`insert into survey_text_answer (response_id, department_id, question_id, body)
		select n.id, s.department_id, s.question_id, s.body
		from response_stage s join response_stage_new n on n.response_key = s.response_key
		where s.question_id is not null`);
	const [counts] = await rows<{ responses: number; created: number }>(
		tx,
		sql`select (select count(*) from response_stage_key)::int as responses,
			(select count(*) from response_stage_new)::int as created`
	);
	return { responses: Number(counts!.responses), created: Number(counts!.created) };
}

/** Problems found, the first `limit` of them kept. */
class ErrorSink {
	readonly errors: RowError[] = [];
	more = 0;
	constructor(private readonly limit: number) {}
	add(line: number, column: string, message: string) {
		if (this.errors.length < this.limit) this.errors.push({ line, column, message });
		else this.more++;
	}
	get count() {
		return this.errors.length + this.more;
	}
	/** Once full, nothing is staged any more: the import is refused anyway. */
	get full() {
		return this.errors.length >= this.limit;
	}
}

const CHANNELS = new Set<string>(RESPONSE_CHANNELS);

/**
 * Checks each answer row against the lookup maps and turns the valid ones into staged CSV rows
 * in `out`: the rating answers of adjacent rows of one response and department pivoted into one
 * row (slot mask, levels, and the line of each slot), each text answer a row of its own.
 * Written as a class with its state in fields: it runs millions of times, once per row.
 */
class RowReader {
	header: Map<string, number> | null = null;
	rows = 0;
	out = '';
	private columns = 0;
	private iKey = 0;
	private iCampaign = 0;
	private iChannel = 0;
	private iAt = 0;
	private iDepartment = 0;
	private iQuestion = 0;
	private iAnswer = 0;
	private readonly o: { locale: Locale };
	// Rows of one response repeat its time: parse it once.
	private lastAt = '';
	private lastIso: string | null = null;
	// The fragment being built: one response, one department, adjacent rows.
	private fragKey: string | null = null;
	private fragLine = 0;
	private fragCampaignId = 0;
	private fragChannel = '';
	private fragAt = '';
	private fragDepartmentId = 0;
	private fragMask = 0;
	private readonly levels = new Array<number>(RATING_SLOTS).fill(0);
	private readonly lines = new Array<number>(RATING_SLOTS).fill(0);

	constructor(
		private readonly campaigns: Map<string, CampaignRef>,
		private readonly departments: Map<string, number>,
		private readonly sink: ErrorSink,
		locale: Locale
	) {
		this.o = { locale };
	}

	setHeader(index: Map<string, number>, columns: number) {
		this.header = index;
		this.columns = columns;
		this.iKey = index.get('response_key')!;
		this.iCampaign = index.get('campaign_code')!;
		this.iChannel = index.get('channel')!;
		this.iAt = index.get('submitted_at')!;
		this.iDepartment = index.get('department_code')!;
		this.iQuestion = index.get('question_code')!;
		this.iAnswer = index.get('answer')!;
	}

	take(): string {
		const out = this.out;
		this.out = '';
		return out;
	}

	private required(line: number, cells: string[], i: number, column: string): string {
		const v = (cells[i] ?? '').trim();
		if (v === '') this.sink.add(line, column, m.responses_error_required({}, this.o));
		return v;
	}

	row(line: number, cells: string[]) {
		this.rows++;
		const { sink, o } = this;
		if (cells.length > this.columns) {
			sink.add(
				line,
				`#${this.columns + 1}`,
				m.imports_too_many_cells({ count: cells.length, expected: this.columns }, o)
			);
			return;
		}
		const before = sink.count;

		const key = this.required(line, cells, this.iKey, 'response_key');
		if (key.length > RESPONSE_KEY_MAX)
			sink.add(line, 'response_key', m.responses_error_too_long({ max: RESPONSE_KEY_MAX }, o));
		else if (key.includes('\0')) sink.add(line, 'response_key', m.responses_error_nul({}, o));

		const campaignCode = this.required(line, cells, this.iCampaign, 'campaign_code');
		const campaign = this.campaigns.get(campaignCode);
		if (campaignCode && !campaign)
			sink.add(line, 'campaign_code', m.responses_error_campaign({ code: campaignCode }, o));

		const channel = this.required(line, cells, this.iChannel, 'channel');
		if (channel && !CHANNELS.has(channel))
			sink.add(line, 'channel', m.responses_error_channel({ value: channel }, o));

		const at = this.required(line, cells, this.iAt, 'submitted_at');
		if (at !== this.lastAt) {
			this.lastAt = at;
			this.lastIso = parseSubmittedAt(at)?.toISOString() ?? null;
		}
		const iso = this.lastIso;
		if (at && iso === null)
			sink.add(line, 'submitted_at', m.responses_error_submitted_at({ value: at }, o));

		const departmentCode = this.required(line, cells, this.iDepartment, 'department_code');
		const departmentId = this.departments.get(departmentCode);
		if (departmentCode && departmentId === undefined)
			sink.add(line, 'department_code', m.responses_error_department({ code: departmentCode }, o));

		const questionCode = this.required(line, cells, this.iQuestion, 'question_code');
		const question = campaign?.questions.get(questionCode);
		if (campaign && questionCode && !question)
			sink.add(
				line,
				'question_code',
				m.responses_error_question({ code: questionCode, questionnaire: campaign.questionnaire }, o)
			);

		const answer = (cells[this.iAnswer] ?? '').trim();
		let level = -1;
		let body: string | null = null;
		if (question?.kind === 'rating') {
			if (answer.length === 1 && answer >= '0' && answer <= '5') level = answer.charCodeAt(0) - 48;
			else sink.add(line, 'answer', m.responses_error_rating({ value: answer }, o));
		} else if (question) {
			body = textAnswer(answer);
			if (body === null)
				sink.add(line, 'answer', m.responses_error_text({ max: TEXT_ANSWER_MAX }, o));
		}
		if (sink.count > before || !campaign || !question || departmentId === undefined || iso === null)
			return;

		if (sink.full) return;

		if (body !== null) {
			this.out += `${line},${csvText(key)},${campaign.id},${channel},${iso},${departmentId},0${EMPTY_SLOTS},${question.id},${csvText(body)}\n`;
			return;
		}
		const slot = question.slot! - 1;
		// Adjacent rows of one response and department share a staged row while they agree on
		// campaign, channel and time; a row that disagrees starts another, and SQL reports it
		// against the response's first line.
		if (
			this.fragKey === key &&
			this.fragDepartmentId === departmentId &&
			this.fragCampaignId === campaign.id &&
			this.fragChannel === channel &&
			this.fragAt === iso
		) {
			if (this.lines[slot] !== 0) {
				sink.add(
					line,
					'question_code',
					m.responses_import_duplicate_answer(
						{ department: departmentCode, question: questionCode, line: this.lines[slot]! },
						o
					)
				);
				return;
			}
		} else {
			this.flush();
			this.fragKey = key;
			this.fragLine = line;
			this.fragCampaignId = campaign.id;
			this.fragChannel = channel;
			this.fragAt = iso;
			this.fragDepartmentId = departmentId;
		}
		this.fragMask |= 1 << slot;
		this.levels[slot] = level;
		this.lines[slot] = line;
	}

	/** Stages the fragment being built, if any. */
	flush() {
		if (this.fragKey === null) return;
		if (!this.sink.full) {
			let csv = `${this.fragLine},${csvText(this.fragKey)},${this.fragCampaignId},${this.fragChannel},${this.fragAt},${this.fragDepartmentId},${this.fragMask}`;
			let slotLines = '';
			for (let k = 0; k < RATING_SLOTS; k++) {
				const l = this.lines[k]!;
				if (l === 0) csv += ',';
				else {
					csv += `,${this.levels[k]}`;
					slotLines += slotLines === '' ? `${k + 1}:${l}` : ` ${k + 1}:${l}`;
				}
			}
			this.out += `${csv},${slotLines},,\n`;
		}
		this.fragKey = null;
		this.fragMask = 0;
		this.lines.fill(0);
	}
}

/** The rating columns and slot lines of a text answer's staged row: all empty. */
const EMPTY_SLOTS = ','.repeat(RATING_SLOTS + 1);
