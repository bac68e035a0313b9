// The year computation (spec/scoring.md §§2–3): every input read by SQL aggregation in one
// consistent snapshot (./read, ./queries), the content built by the pure rules of
// $lib/domain/evaluation-content, and stored as a draft snapshot with its digest (./draft).
import { sql } from 'drizzle-orm';
import { buildContent } from '$lib/domain/evaluation-content';
import type { EvaluationSettings } from '$lib/domain/scoring';
import { caseCutoff } from '$lib/domain/working-days';
import { DomainError } from '$lib/errors';
import type * as audit from '$lib/server/audit';
import { driverOf, type Database, type Tx } from '$lib/server/db';
import { inProcess, tryLockYear } from '../lock';
import type { Snapshot } from '$lib/server/results';
import { getYear } from '../store';
import { deleteDrafts, storeDraft } from './draft';
import { readInputs, readInputsShared } from './read';

/**
 * Computes a draft of the year and stores it. On PostgreSQL the write transaction takes the
 * year's advisory lock first and holds it while the inputs are read on other connections in one
 * shared snapshot (`readInputsShared`), so a second computation of the year is refused at once.
 */
export async function compute(
	db: Database,
	year: number,
	actor: audit.Actor,
	opts: { now?: Date } = {}
): Promise<Snapshot> {
	const now = opts.now ?? new Date();
	const y = await getYear(db, year);
	if (!y) throw new DomainError('year_not_found', { params: { year } });
	const cutoff = caseCutoff(year, now);

	// PostgreSQL has a pool to read on; PGlite one connection.
	if (driverOf(db).kind === 'postgres') {
		return db.transaction(async (tx) => {
			// The lock holder waits, idle, while the other connections read.
			await tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
			await tryLockYear(tx, year);
			// Settings read under the lock: an edit that commits after this is for the next run.
			const settings = (await currentSettings(tx, year)) ?? y.settings;
			// The old drafts are deleted on this connection while the others read (both are
			// waited for before anything else, and a failure rolls the deletion back).
			const [deleted, read] = await Promise.allSettled([
				deleteDrafts(tx, year),
				readInputsShared(db, year, cutoff)
			]);
			if (deleted.status === 'rejected') throw deleted.reason;
			if (read.status === 'rejected') throw read.reason;
			return storeDraft(tx, buildContent(year, settings, cutoff, read.value), actor, now);
		});
	}
	// PGlite: one connection in this process, so transactions are serial anyway; the guard keeps
	// two computations of a year from interleaving between their read and write.
	return inProcess(year, async () => {
		const inputs = await db.transaction((rtx) => readInputs(rtx, year, cutoff));
		return db.transaction(async (tx) => {
			const settings = (await currentSettings(tx, year)) ?? y.settings;
			await deleteDrafts(tx, year);
			return storeDraft(tx, buildContent(year, settings, cutoff, inputs), actor, now);
		});
	});
}

async function currentSettings(tx: Tx, year: number): Promise<EvaluationSettings | null> {
	const y = await getYear(tx, year);
	return y?.settings ?? null;
}
