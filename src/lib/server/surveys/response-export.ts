// A campaign's responses as a file (`export responses CODE`, the supervisor's download): one row
// per response and department answered, columns response_key, channel, submitted_at,
// department_code, one per question of the campaign's questionnaire (a rating as its level 0–5,
// a choice as its option codes joined by `;`, a text as it is), voided; with identity (admins
// only) the enterprise's uscc and name and the interviewer. CSV (UTF-8 with BOM, CRLF) or XLSX,
// streamed: the rows come from a cursor in batches and go out as they are written, so memory
// stays flat whatever the campaign's size. Every export is audited (who, what, with identity).
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { TIME_ZONE } from '$lib/domain/time';
import type { ExportFormat } from '$lib/schemas/review';
import { DomainError } from '$lib/errors';
import * as audit from '$lib/server/audit';
import { driverOf, type Executor } from '$lib/server/db';
import { question, type Campaign } from '$lib/server/db/schema';
import { csvCell } from '$lib/server/imports/xlsx';
import { neutraliseText } from '$lib/server/results/export';
import { getCampaignByCode } from './campaigns';
import { assertReviewer, seesIdentity, type ReviewReader } from './review';

/** Where the file's bytes go; a returned promise holds the export back until it settles. */
export type Sink = (chunk: Uint8Array) => Promise<void> | void;

export interface ResponseExportOptions {
	format: ExportFormat;
	withIdentity: boolean;
	/** Rows fetched from the cursor at a time. */
	batchSize?: number;
}

interface ExportColumn {
	name: string;
	/** The cell is a number (levels) rather than text. */
	numeric?: boolean;
	/** Free text from outside: neutralised against spreadsheet formulas. */
	free?: boolean;
}

interface ExportQuery {
	columns: ExportColumn[];
	query: SQL;
}

export const BASE_COLUMNS = ['response_key', 'channel', 'submitted_at', 'department_code'];
export const IDENTITY_COLUMNS = ['uscc', 'enterprise_name', 'interviewer'];

/**
 * The export's one query: a row per (response, department) answered, in response then
 * department order, every cell as text (or null). Also what the benchmark compares with
 * `COPY (…) TO STDOUT`.
 */
export async function responseExportQuery(
	db: Executor,
	campaign: { id: number; questionnaireId: number },
	withIdentity: boolean
): Promise<ExportQuery> {
	const questions = await db
		.select({ id: question.id, code: question.code, kind: question.kind, slot: question.slot })
		.from(question)
		.where(eq(question.questionnaireId, campaign.questionnaireId))
		.orderBy(asc(question.position), asc(question.id));
	const c = campaign.id;
	const joins: SQL[] = [];
	const cells: SQL[] = [];
	const columns: ExportColumn[] = BASE_COLUMNS.map((name) => ({ name }));
	questions.forEach((q, i) => {
		const alias = sql.raw(`a${i}`);
		if (q.kind === 'rating') {
			cells.push(sql.raw(`sr.r${q.slot}::text`));
			columns.push({ name: q.code, numeric: true });
		} else if (q.kind === 'single' || q.kind === 'multiple') {
			joins.push(sql`left join (
					select ca.response_id, ca.department_id,
						string_agg(o.code, ';' order by o.position) as v
					from survey_choice_answer ca join question_option o on o.id = ca.option_id
					where ca.question_id = ${q.id}::int
					group by ca.response_id, ca.department_id
				) ${alias} on ${alias}.response_id = p.response_id
					and ${alias}.department_id = p.department_id`);
			cells.push(sql`${alias}.v`);
			columns.push({ name: q.code });
		} else {
			joins.push(sql`left join survey_text_answer ${alias} on ${alias}.response_id = p.response_id
					and ${alias}.department_id = p.department_id and ${alias}.question_id = ${q.id}::int`);
			cells.push(sql`${alias}.body`);
			columns.push({ name: q.code, free: true });
		}
	});
	columns.push({ name: 'voided' });
	cells.push(sql`case when v.response_id is null then 'false' else 'true' end`);
	if (withIdentity) {
		columns.push(
			{ name: 'uscc' },
			{ name: 'enterprise_name', free: true },
			{ name: 'interviewer', free: true }
		);
		cells.push(sql`e.uscc`, sql`e.name`, sql`iu.display_name`);
	}
	const all = [
		sql`r.response_key`,
		sql`r.channel::text`,
		sql`to_char(r.submitted_at at time zone ${sql.raw(`'${TIME_ZONE}'`)}, 'YYYY-MM-DD HH24:MI:SS')`,
		sql`d.code`,
		...cells
	];
	// Named by position: two choice questions' cells would otherwise share a name in the row.
	const select = sql.join(
		all.map((cell, i) => sql`${cell} as ${sql.raw(`c${i}`)}`),
		sql`, `
	);
	const query = sql`select ${select}
		from (
			select response_id, department_id from survey_rating where campaign_id = ${c}::int
			union
			select t.response_id, t.department_id from survey_text_answer t
				join survey_response tr on tr.id = t.response_id where tr.campaign_id = ${c}::int
			union
			select ca.response_id, ca.department_id from survey_choice_answer ca
				join survey_response cr on cr.id = ca.response_id where cr.campaign_id = ${c}::int
		) p
		join survey_response r on r.id = p.response_id
		join department d on d.id = p.department_id
		left join survey_rating sr on sr.response_id = p.response_id
			and sr.department_id = p.department_id
		${sql.join(joins, sql` `)}
		left join survey_response_void v on v.response_id = r.id
		${withIdentity ? sql`left join enterprise e on e.id = r.enterprise_id left join "user" iu on iu.id = r.interviewer_id` : sql``}
		order by r.id, d.code collate "C"`;
	return { columns, query };
}

/** A row of the cursor: the cells in column order (postgres.js keys them by position). */
type Cells = (string | null)[];

/** CSV text of a batch of rows: empty for no value, free text made inert, CRLF. */
function csvBatch(columns: readonly ExportColumn[], batch: readonly Cells[]): string {
	let out = '';
	for (const row of batch) {
		for (let i = 0; i < columns.length; i++) {
			const v = row[i];
			if (i > 0) out += ',';
			if (v === null || v === undefined) continue;
			const c = columns[i]!;
			// A level (0–5) never needs quoting.
			out += c.numeric ? v : csvCell(c.free ? neutraliseText(v) : v);
		}
		out += '\r\n';
	}
	return out;
}

/**
 * The campaign whose responses the reader may export, or the refusal: anyone but an admin or a
 * supervisor, identity for anyone but an admin, no such campaign. A download checks this before
 * its first byte, when a refusal can still be an error page.
 */
export async function exportableCampaign(
	db: Executor,
	reader: ReviewReader,
	code: string,
	withIdentity: boolean
): Promise<Campaign> {
	assertReviewer(reader);
	if (withIdentity && !seesIdentity(reader)) throw new DomainError('review_identity_forbidden');
	const campaign = await getCampaignByCode(db, code);
	if (!campaign) throw new DomainError('campaign_not_found', { params: { code } });
	return campaign;
}

/**
 * Writes the campaign's responses file to `sink`, a batch at a time, and returns how many rows
 * it has. Refused for anyone but an admin or a supervisor, and `withIdentity` for anyone but an
 * admin. The audit entry is written first, on its own (the file may be cut short by the
 * reader; what was asked for is what the trail keeps), and the rows are read in a transaction of
 * their own: one snapshot from the first row to the last.
 */
export async function exportResponses(
	db: Executor,
	reader: ReviewReader,
	code: string,
	opts: ResponseExportOptions,
	actor: audit.Actor,
	sink: Sink
): Promise<{ campaign: string; rows: number; columns: string[] }> {
	const campaign = await exportableCampaign(db, reader, code, opts.withIdentity);
	const { columns, query } = await responseExportQuery(db, campaign, opts.withIdentity);
	await db.transaction((tx) =>
		audit.record(tx, actor, {
			action: 'response.export',
			entity: 'campaign',
			entityId: campaign.code,
			changes: { format: opts.format, withIdentity: opts.withIdentity }
		})
	);
	const batchSize = opts.batchSize ?? 5000;
	const writer =
		opts.format === 'csv'
			? csvWriter(columns, sink)
			: await xlsxWriter(columns, sink, campaign.code);
	let count = 0;
	await db.transaction(async (tx) => {
		// A large campaign's first batch waits for the whole sort; the request's usual limit is
		// for interactive statements.
		await tx.execute(sql`set local statement_timeout = '10min'`);
		await tx.execute(sql`declare response_export no scroll cursor for ${query}`);
		for (;;) {
			const batch = await fetchCells(tx, batchSize);
			if (batch.length === 0) break;
			count += batch.length;
			await writer.rows(batch);
			if (batch.length < batchSize) break;
		}
		await tx.execute(sql`close response_export`);
	});
	await writer.end();
	return { campaign: campaign.code, rows: count, columns: columns.map((c) => c.name) };
}

/** The next rows of the cursor, each as its cells in order: the driver's rows as arrays. */
async function fetchCells(tx: Executor, n: number): Promise<Cells[]> {
	const fetch = `fetch forward ${Math.trunc(n)} from response_export`;
	const driver = driverOf(tx);
	if (driver.kind === 'postgres') return (await driver.sql.unsafe(fetch).values()) as Cells[];
	return (await driver.client.query<Cells>(fetch, [], { rowMode: 'array' })).rows;
}

interface FileWriter {
	rows(batch: readonly Cells[]): Promise<void>;
	end(): Promise<void>;
}

const encoder = new TextEncoder();

function csvWriter(columns: readonly ExportColumn[], sink: Sink): FileWriter {
	// The BOM makes Excel read the file as UTF-8 (Chinese names otherwise turn to mojibake).
	let head: string | null = '\uFEFF' + columns.map((c) => csvCell(c.name)).join(',') + '\r\n';
	return {
		async rows(batch) {
			await sink(encoder.encode((head ?? '') + csvBatch(columns, batch)));
			head = null;
		},
		async end() {
			if (head !== null) await sink(encoder.encode(head));
		}
	};
}

/**
 * exceljs's streaming workbook: rows are committed as they come and its zip goes through a
 * stream whose chunks are handed to the sink in order; the writer waits for the sink between
 * batches so that nothing piles up.
 */
async function xlsxWriter(
	columns: readonly ExportColumn[],
	sink: Sink,
	sheetName: string
): Promise<FileWriter> {
	const out = new PassThrough();
	let failed: unknown = null;
	const pumped = (async () => {
		try {
			for await (const chunk of out) await sink(chunk as Uint8Array);
		} catch (e) {
			// The reader went away (or the file could not be written): the export stops.
			failed = e;
			out.destroy(e as Error);
		}
	})();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out,
		useSharedStrings: false,
		useStyles: false
	});
	const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
	sheet.addRow(columns.map((c) => c.name)).commit();
	return {
		async rows(batch) {
			if (failed) throw failed;
			for (const row of batch)
				// Text stays a string cell (never a formula); a level is a number; no value is blank.
				sheet
					.addRow(
						columns.map((c, i) => {
							const v = row[i];
							if (v === null || v === undefined) return null;
							return c.numeric ? Number(v) : c.free ? neutraliseText(v) : v;
						})
					)
					.commit();
			if (out.writableNeedDrain) await once(out, 'drain');
		},
		async end() {
			sheet.commit();
			await workbook.commit();
			await pumped;
			if (failed) throw failed;
		}
	};
}

/**
 * The export as a web stream (a download's body): the export runs as the reader pulls, and a
 * reader that goes away stops it (its transaction is rolled back).
 */
export function exportStream(run: (sink: Sink) => Promise<unknown>): ReadableStream<Uint8Array> {
	const pipe = new TransformStream<Uint8Array, Uint8Array>(
		undefined,
		{ highWaterMark: 4 },
		{ highWaterMark: 4 }
	);
	const writer = pipe.writable.getWriter();
	void run(async (chunk) => {
		await writer.ready;
		await writer.write(chunk);
	}).then(
		() => writer.close(),
		(e: unknown) => writer.abort(e)
	);
	return pipe.readable;
}
