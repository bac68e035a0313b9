// The enterprises file of spec/exchange.md, keyed by `uscc` (checked per GB 32100-2015): every
// row is validated first; then all rows are written in one transaction or none, and the same
// file twice changes nothing. Contact details enter the audit trail masked only.
import { inArray, sql } from 'drizzle-orm';
import { maskName, maskPhone } from '$lib/domain/mask';
import { normaliseUscc, usccCheckChar, usccProblem, USCC_LENGTH } from '$lib/domain/uscc';
import { m } from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import { enterprise } from '$lib/server/db/schema';
import type { ImportResult, RowError } from '$lib/server/departments/import';
import { readCsv, sha256Hex, type Locale } from '$lib/server/imports/csv';
import { auditView } from './index';

export const ENTERPRISE_COLUMNS = [
	'uscc',
	'name',
	'address',
	'township',
	'contact_name',
	'contact_phone'
] as const;

const MAX: Record<string, number> = {
	name: 200,
	address: 300,
	township: 100,
	contact_name: 100,
	contact_phone: 30
};
const PHONE = /^[0-9+\-() #]*$/;

// Any constant unique to this lock: two imports at once would race to create the same codes.
const IMPORT_LOCK_KEY = 7_410_3201;
const CHUNK = 1000;

interface Row {
	line: number;
	uscc: string;
	name: string;
	address: string;
	township: string;
	contactName: string;
	contactPhone: string;
}

function usccMessage(code: string, locale: Locale): string | null {
	const o = { locale };
	switch (usccProblem(code)) {
		case null:
			return null;
		case 'length':
			return m.enterprises_import_uscc_length({ value: code, length: USCC_LENGTH }, o);
		case 'charset':
			return m.enterprises_import_uscc_charset({ value: code }, o);
		case 'checksum':
			return m.enterprises_import_uscc_checksum(
				{ value: code, expected: usccCheckChar(code.slice(0, 17)) ?? '' },
				o
			);
	}
}

function validate(
	line: number,
	values: Record<string, string>,
	locale: Locale,
	errors: RowError[]
): Row | null {
	const o = { locale };
	const before = errors.length;
	const bad = (column: string, message: string) => errors.push({ line, column, message });
	const text = (column: string, required = false) => {
		const v = (values[column] ?? '').trim();
		if (required && v === '') bad(column, m.common_required({}, o));
		else if (v.length > MAX[column]!)
			bad(column, m.enterprises_import_too_long({ max: MAX[column]! }, o));
		return v;
	};

	const uscc = normaliseUscc(values.uscc ?? '');
	if (uscc === '') bad('uscc', m.common_required({}, o));
	else {
		const problem = usccMessage(uscc, locale);
		if (problem) bad('uscc', problem);
	}
	const name = text('name', true);
	const address = text('address');
	const township = text('township');
	const contactName = text('contact_name');
	const contactPhone = text('contact_phone');
	if (contactPhone.length <= MAX.contact_phone! && !PHONE.test(contactPhone))
		bad('contact_phone', m.enterprises_import_bad_phone({ value: contactPhone }, o));

	if (errors.length > before) return null;
	return { line, uscc, name, address, township, contactName, contactPhone };
}

const columnOrder = (column: string) => {
	const i = (ENTERPRISE_COLUMNS as readonly string[]).indexOf(column);
	return i === -1 ? ENTERPRISE_COLUMNS.length : i;
};

/** Contact details as the audit trail keeps them: masked, whoever reads the trail later. */
function maskedChanges(changes: ReturnType<typeof audit.diff>) {
	const out: Record<string, { before: unknown; after: unknown }> = { ...changes };
	for (const [key, mask] of [
		['contactName', maskName],
		['contactPhone', maskPhone]
	] as const) {
		const c = out[key];
		if (c)
			out[key] = {
				before: typeof c.before === 'string' ? mask(c.before) : c.before,
				after: typeof c.after === 'string' ? mask(c.after) : c.after
			};
	}
	return out;
}

/** Imports an enterprises file; messages are in `opts.locale`. */
export async function importEnterprises(
	db: Database,
	bytes: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor
): Promise<ImportResult> {
	const { locale } = opts;
	const sha256 = sha256Hex(bytes);
	const file = readCsv(bytes, { required: ENTERPRISE_COLUMNS, locale });
	const rowCount = file.records.length + file.errors.filter((e) => e.line > 1).length;
	if (!file.headerOk) return { ok: false, rows: 0, errors: file.errors, sha256 };

	const errors: RowError[] = [...file.errors];
	const rows: Row[] = [];
	const firstLineOf = new Map<string, number>();
	for (const record of file.records) {
		const row = validate(record.line, record.values, locale, errors);
		const uscc = normaliseUscc(record.values.uscc ?? '');
		const first = firstLineOf.get(uscc);
		if (uscc && first !== undefined) {
			errors.push({
				line: record.line,
				column: 'uscc',
				message: m.enterprises_import_duplicate_uscc({ value: uscc, line: first }, { locale })
			});
			continue;
		}
		if (uscc) firstLineOf.set(uscc, record.line);
		if (row) rows.push(row);
	}
	if (errors.length > 0) {
		errors.sort((a, b) => a.line - b.line || columnOrder(a.column) - columnOrder(b.column));
		return { ok: false, rows: rowCount, errors, sha256 };
	}
	const counts = await db.transaction((tx) =>
		write(tx, rows, actor, { sha256, encoding: file.encoding })
	);
	return { ok: true, rows: rows.length, ...counts, sha256 };
}

async function write(
	tx: Tx,
	rows: Row[],
	actor: audit.Actor,
	source: { sha256: string; encoding: string }
) {
	await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
	const existing: (typeof enterprise.$inferSelect)[] = [];
	for (let i = 0; i < rows.length; i += CHUNK) {
		const codes = rows.slice(i, i + CHUNK).map((r) => r.uscc);
		existing.push(
			...(await tx.select().from(enterprise).where(inArray(enterprise.uscc, codes)).for('update'))
		);
	}
	const byUscc = new Map(existing.map((e) => [e.uscc, e]));

	const created: Row[] = [];
	const changed: { id: number; row: Row; changes: ReturnType<typeof audit.diff> }[] = [];
	let unchanged = 0;
	for (const row of rows) {
		const before = byUscc.get(row.uscc);
		if (!before) {
			created.push(row);
			continue;
		}
		const changes = audit.diff(auditView(before), auditView(row));
		if (Object.keys(changes).length === 0) unchanged++;
		else changed.push({ id: before.id, row, changes });
	}

	for (let i = 0; i < created.length; i += CHUNK) {
		await tx.insert(enterprise).values(
			created.slice(i, i + CHUNK).map((r) => ({
				uscc: r.uscc,
				name: r.name,
				address: r.address,
				township: r.township,
				contactName: r.contactName,
				contactPhone: r.contactPhone
			}))
		);
	}
	for (let i = 0; i < changed.length; i += CHUNK) {
		const values = sql.join(
			changed
				.slice(i, i + CHUNK)
				.map(
					(c) =>
						sql`(${c.id}::integer, ${c.row.name}::text, ${c.row.address}::text, ${c.row.township}::text, ${c.row.contactName}::text, ${c.row.contactPhone}::text)`
				),
			sql`, `
		);
		await tx.execute(sql`update enterprise e
			set name = v.name, address = v.address, township = v.township,
				contact_name = v.contact_name, contact_phone = v.contact_phone, updated_at = now()
			from (values ${values}) as v(id, name, address, township, contact_name, contact_phone)
			where e.id = v.id`);
	}

	const counts = { created: created.length, updated: changed.length, unchanged };
	if (counts.created + counts.updated > 0) {
		await audit.recordMany(tx, actor, [
			...created.map((r) => ({
				action: 'enterprise.create',
				entity: 'enterprise',
				entityId: r.uscc,
				changes: maskedChanges(audit.diff(null, auditView(r)))
			})),
			...changed.map((c) => ({
				action: 'enterprise.update',
				entity: 'enterprise',
				entityId: c.row.uscc,
				changes: maskedChanges(c.changes)
			})),
			{
				action: 'enterprises.import',
				entity: 'enterprise',
				entityId: null,
				changes: {
					sha256: { before: null, after: source.sha256 },
					encoding: { before: null, after: source.encoding },
					rows: { before: null, after: rows.length },
					created: { before: null, after: counts.created },
					updated: { before: null, after: counts.updated },
					unchanged: { before: null, after: counts.unchanged }
				}
			}
		]);
	}
	return counts;
}
