// Enterprises (企业), keyed by their unified social credit code: the sample that enterprise
// visits draw from. Contact details are personal information, masked for most readers.
import { asc, count, eq } from 'drizzle-orm';
import { maskName, maskPhone } from '$lib/domain/mask';
import type { Executor } from '$lib/server/db';
import { enterprise, type Enterprise } from '$lib/server/db/schema';
import { containsAny } from '$lib/server/db/search';

export interface EnterpriseListRow {
	id: number;
	uscc: string;
	name: string;
	address: string;
	township: string;
	industry: string;
	contactName: string;
	contactPhone: string;
}

/**
 * One page of enterprises matching `q` (code, name, township or address), by name. Contact
 * names and phones come masked unless `revealContacts` (admin and supervisors, roles.md), so
 * the unmasked values never leave the server for anyone else.
 */
export async function list(
	db: Executor,
	opts: { q?: string; page: number; pageSize: number; revealContacts: boolean }
): Promise<{ rows: EnterpriseListRow[]; total: number }> {
	const where = containsAny(opts.q?.trim(), [
		enterprise.uscc,
		enterprise.name,
		enterprise.township,
		enterprise.industry,
		enterprise.address
	]);
	const [page, [total]] = await Promise.all([
		db
			.select({
				id: enterprise.id,
				uscc: enterprise.uscc,
				name: enterprise.name,
				address: enterprise.address,
				township: enterprise.township,
				industry: enterprise.industry,
				contactName: enterprise.contactName,
				contactPhone: enterprise.contactPhone
			})
			.from(enterprise)
			.where(where)
			.orderBy(asc(enterprise.name), asc(enterprise.uscc))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(enterprise).where(where)
	]);
	const rows = opts.revealContacts
		? page
		: page.map((r) => ({
				...r,
				contactName: maskName(r.contactName),
				contactPhone: maskPhone(r.contactPhone)
			}));
	return { rows, total: total?.n ?? 0 };
}

export async function getByUscc(db: Executor, uscc: string): Promise<Enterprise | null> {
	const [e] = await db.select().from(enterprise).where(eq(enterprise.uscc, uscc));
	return e ?? null;
}

/** What the audit trail records of an enterprise. */
export function auditView(e: {
	uscc: string;
	name: string;
	address: string;
	township: string;
	contactName: string;
	contactPhone: string;
	industry: string;
}) {
	return {
		uscc: e.uscc,
		name: e.name,
		address: e.address,
		township: e.township,
		industry: e.industry,
		contactName: e.contactName,
		contactPhone: e.contactPhone
	};
}
