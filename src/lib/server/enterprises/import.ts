// The enterprises file of spec/exchange.md, keyed by `uscc` (checked per GB 32100-2015): every
// row is validated first; then all rows are written in one transaction or none, and the same
// file twice changes nothing. Contact details enter the audit trail masked only.
import { inArray, sql } from 'drizzle-orm';
import { maskName, maskPhone } from '$lib/domain/mask';
import { normaliseUscc, usccCheckChar, usccProblem, USCC_LENGTH } from '$lib/domain/uscc';
import { m } from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import type { Database, Tx } from '$lib/server/db';
import { enterprise, type Enterprise } from '$lib/server/db/schema';
import type { Locale } from '$lib/paraglide/runtime';
import {
	chunked,
	importCsv,
	keyedDiff,
	type FileImporter,
	type ImportResult,
	type RowError
} from '$lib/server/imports/file-import';
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
	return importCsv(db, bytes, opts.locale, actor, ENTERPRISES);
}

const ENTERPRISES: FileImporter<Row> = {
	columns: ENTERPRISE_COLUMNS,
	lockKey: IMPORT_LOCK_KEY,
	keyColumn: 'uscc',
	key: (values) => normaliseUscc(values.uscc ?? ''),
	duplicateMessage: (params, locale) => m.enterprises_import_duplicate_uscc(params, { locale }),
	validate,
	write,
	summary: { action: 'enterprises.import', entity: 'enterprise' }
};

async function write(tx: Tx, rows: Row[]) {
	const stored = new Map<string, Enterprise>();
	for (const part of chunked(rows)) {
		const found = await tx
			.select()
			.from(enterprise)
			.where(
				inArray(
					enterprise.uscc,
					part.map((r) => r.uscc)
				)
			)
			.for('update');
		for (const e of found) stored.set(e.uscc, e);
	}
	const { created, changed, unchanged } = keyedDiff(rows, stored, (r) => r.uscc, {
		stored: auditView,
		row: auditView
	});

	for (const part of chunked(created)) {
		await tx.insert(enterprise).values(
			part.map((r) => ({
				uscc: r.uscc,
				name: r.name,
				address: r.address,
				township: r.township,
				contactName: r.contactName,
				contactPhone: r.contactPhone
			}))
		);
	}
	for (const part of chunked(changed)) {
		const values = sql.join(
			part.map(
				(c) =>
					sql`(${c.before.id}::integer, ${c.row.name}::text, ${c.row.address}::text, ${c.row.township}::text, ${c.row.contactName}::text, ${c.row.contactPhone}::text)`
			),
			sql`, `
		);
		await tx.execute(sql`update enterprise e
			set name = v.name, address = v.address, township = v.township,
				contact_name = v.contact_name, contact_phone = v.contact_phone, updated_at = now()
			from (values ${values}) as v(id, name, address, township, contact_name, contact_phone)
			where e.id = v.id`);
	}

	return {
		counts: { created: created.length, updated: changed.length, unchanged },
		entries: [
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
			}))
		]
	};
}
