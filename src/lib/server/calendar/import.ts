// The holidays file of spec/exchange.md (`date`, `kind`), keyed by date: every row is validated
// first; then all rows are written in one transaction or none, and the same file twice changes
// nothing. Days not in the file stay as they are.
import { inArray, sql } from 'drizzle-orm';
import { startOfDay } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import { CALENDAR_KINDS, type CalendarKind } from '$lib/schemas/calendar';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import { calendarDay } from '$lib/server/db/schema';
import type { Locale } from '$lib/paraglide/runtime';
import {
	importCsv,
	type FileImporter,
	type ImportResult,
	type RowError
} from '$lib/server/imports/file-import';

export const HOLIDAY_COLUMNS = ['date', 'kind'] as const;

// Any constant unique to this lock.
const IMPORT_LOCK_KEY = 7_410_3301;

interface Row {
	line: number;
	date: string;
	kind: CalendarKind;
}

function validate(
	line: number,
	values: Record<string, string>,
	locale: Locale,
	errors: RowError[]
): Row | null {
	const o = { locale };
	const before = errors.length;
	const date = (values.date ?? '').trim();
	if (date === '') errors.push({ line, column: 'date', message: m.common_required({}, o) });
	else if (startOfDay(date) === null)
		errors.push({ line, column: 'date', message: m.calendar_import_bad_date({ value: date }, o) });
	const rawKind = (values.kind ?? '').trim();
	const kind = rawKind.toLowerCase() as CalendarKind;
	if (rawKind === '') errors.push({ line, column: 'kind', message: m.common_required({}, o) });
	else if (!CALENDAR_KINDS.includes(kind))
		errors.push({
			line,
			column: 'kind',
			message: m.calendar_import_bad_kind({ value: rawKind }, o)
		});
	return errors.length > before ? null : { line, date, kind };
}

/** Imports a holidays file; messages are in `opts.locale`. */
export async function importHolidays(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	return importCsv(db, bytes, opts.locale, actor, HOLIDAYS);
}

const HOLIDAYS: FileImporter<Row, undefined> = {
	columns: HOLIDAY_COLUMNS,
	lockKey: IMPORT_LOCK_KEY,
	keyColumn: 'date',
	key: (values) => (values.date ?? '').trim(),
	duplicateMessage: (params, locale) => m.calendar_import_duplicate_date(params, { locale }),
	validate,
	write,
	summary: { action: 'holidays.import', entity: 'calendar_day' }
};

async function write(tx: Tx, rows: Row[]) {
	// A year's list is a few dozen days: one query and one statement each way.
	const existing = rows.length
		? await tx
				.select({ date: calendarDay.date, kind: calendarDay.kind })
				.from(calendarDay)
				.where(
					inArray(
						calendarDay.date,
						rows.map((r) => r.date)
					)
				)
				.for('update')
		: [];
	const kindOf = new Map(existing.map((d) => [d.date, d.kind]));
	const created = rows.filter((r) => !kindOf.has(r.date));
	const changed = rows.filter((r) => kindOf.has(r.date) && kindOf.get(r.date) !== r.kind);
	const unchanged = rows.length - created.length - changed.length;

	if (created.length)
		await tx.insert(calendarDay).values(created.map((r) => ({ date: r.date, kind: r.kind })));
	if (changed.length) {
		const values = sql.join(
			changed.map((r) => sql`(${r.date}::date, ${r.kind}::calendar_day_kind)`),
			sql`, `
		);
		await tx.execute(sql`update calendar_day c set kind = v.kind
			from (values ${values}) as v(date, kind) where c.date = v.date`);
	}

	return {
		counts: { created: created.length, updated: changed.length, unchanged },
		entries: [
			...created.map((r) => ({
				action: 'calendar.add',
				entity: 'calendar_day',
				entityId: r.date,
				changes: audit.diff(null, { date: r.date, kind: r.kind })
			})),
			...changed.map((r) => ({
				action: 'calendar.update',
				entity: 'calendar_day',
				entityId: r.date,
				changes: { kind: { before: kindOf.get(r.date)!, after: r.kind } }
			}))
		]
	};
}
