// The holidays file of spec/exchange.md (`date`, `kind`), keyed by date, a spec of the one
// record importer: every row is validated first; then all rows are written in one transaction or
// none, and the same file twice changes nothing. Days not in the file stay as they are.
import {
	HOLIDAY_COLUMNS,
	HOLIDAY_EXAMPLE,
	HOLIDAY_HEADER_LABELS,
	holidayRowSchema
} from '$lib/schemas/calendar';
import { calendarDay } from '$lib/server/db/schema';
import {
	auditedWrite,
	recordsImporter,
	REFERENCE_FILE_MAX_BYTES,
	storedViews,
	type ImportResult,
	type RowError
} from '$lib/server/imports/records';

export type { ImportResult, RowError };
export { HOLIDAY_COLUMNS, HOLIDAY_EXAMPLE, HOLIDAY_HEADER_LABELS };
export const HOLIDAY_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

/** What the audit trail records of a day. */
const view = (d: { date: string; kind: string }) => ({ date: d.date, kind: d.kind });

export const holidaysImport = recordsImporter({
	columns: HOLIDAY_COLUMNS,
	headerLabels: HOLIDAY_HEADER_LABELS,
	example: HOLIDAY_EXAMPLE,
	schema: holidayRowSchema,
	keyColumn: 'date',
	key: (r) => r.date,
	maxBytes: HOLIDAY_MAX_BYTES,
	// Any constant unique to this lock.
	lockKey: 7_410_3301,
	write: auditedWrite({
		table: calendarDay,
		keyOf: calendarDay.date,
		compare: ['kind'],
		values: (r) => ({ date: r.date, kind: r.kind }),
		stored: storedViews(calendarDay, calendarDay.date, view),
		view,
		entity: 'calendar_day',
		actions: { create: 'calendar.add', update: 'calendar.update' }
	}),
	audit: { action: 'holidays.import', entity: 'calendar_day' }
});

/** Imports a holidays file (CSV or XLSX); messages are in `opts.locale`. */
export const importHolidays = holidaysImport.importFile;
