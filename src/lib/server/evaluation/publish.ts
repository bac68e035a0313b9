// Publication (spec/scoring.md §4): freezes the latest draft as a new published revision, which
// names the revision it corrects, and sets the consequences in motion (rectifications).
import { eq } from 'drizzle-orm';
import { canonicalJson } from '$lib/domain/canonical';
import * as audit from '$lib/server/audit';
import { driverOf, type Database, type Tx } from '$lib/server/db';
import { evaluationSnapshot, evaluationYear } from '$lib/server/db/schema';
import * as rectifications from '$lib/server/rectification';
import { currentRevision, latestDraft, toSnapshot, type Snapshot } from '$lib/server/results';
import { contentDigest } from './digest';
import { DomainError } from '$lib/errors';
import { inProcess, tryLockYear } from './lock';
import { mergeSettings } from './store';
import { invalidateCampaigns } from '$lib/server/surveys/reference-cache';

export interface PublishInput {
	/** A note shown with the revision. */
	note?: string | null;
	/** Required for a correction (the year is already published): why it replaces the last one. */
	replacesReason?: string | null;
	/** The draft the publisher saw; refused when a newer one has been computed since. */
	draftId?: number | null;
}

const blank = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

async function publishIn(
	tx: Tx,
	year: number,
	input: PublishInput,
	actor: audit.Actor,
	now: Date
): Promise<Snapshot> {
	const [y] = await tx
		.select()
		.from(evaluationYear)
		.where(eq(evaluationYear.year, year))
		.for('update');
	if (!y) throw new DomainError('year_not_found', { params: { year } });
	const draft = await latestDraft(tx, year);
	if (!draft) throw new DomainError('no_draft', { params: { year } });
	if (input.draftId != null && input.draftId !== draft.id)
		throw new DomainError('draft_stale', { params: { year } });
	if (!draft.digestOk) throw new DomainError('draft_digest_mismatch', { params: { year } });
	if (draft.content.errors.length > 0)
		throw new DomainError('draft_has_errors', {
			params: { year, count: draft.content.errors.length }
		});
	// A draft computed before the settings last changed is not what the year now says.
	const settings = mergeSettings(y.settings as never);
	if (canonicalJson(settings) !== canonicalJson(draft.content.settings))
		throw new DomainError('draft_stale', { params: { year } });
	// Its summary only: a correction replaces a revision whatever its content (even one that
	// fails its integrity check), and reads none of it.
	const previous = await currentRevision(tx, year);
	if (previous?.draftId === draft.id)
		throw new DomainError('draft_already_published', { params: { year } });
	const reason = blank(input.replacesReason);
	if (previous && !reason)
		throw new DomainError('reason_required', { params: { year }, field: 'reason' });
	// A correction's note is its reason (and the publisher's note after it, if any).
	const note = previous
		? [reason, blank(input.note)].filter(Boolean).join('\n\n')
		: blank(input.note);

	const [row] = await tx
		.insert(evaluationSnapshot)
		.values({
			year,
			kind: 'published',
			revision: (previous?.revision ?? 0) + 1,
			draftId: draft.id,
			replacesId: previous?.id ?? null,
			note,
			content: draft.content,
			digest: contentDigest(draft.content),
			errorCount: draft.errorCount,
			warningCount: draft.warningCount,
			computedAt: draft.computedAt,
			computedBy: draft.computedBy,
			publishedAt: now,
			publishedBy: actor.label
		})
		.returning();
	const published = toSnapshot(row!);
	if (!y.firstPublishedAt)
		await tx
			.update(evaluationYear)
			.set({ firstPublishedAt: now, updatedAt: now })
			.where(eq(evaluationYear.year, year));
	const followed = await rectifications.follow(tx, published, now);
	await invalidateCampaigns(tx);
	await audit.record(tx, actor, {
		action: 'evaluation.publish',
		entity: 'evaluation_snapshot',
		entityId: published.id,
		changes: {
			year,
			revision: published.revision,
			digest: published.digest,
			draftId: draft.id,
			replacesId: published.replacesId,
			note,
			rectificationsOpened: followed.opened,
			rectificationsCancelled: followed.cancelled
		}
	});
	return published;
}

/**
 * Publishes the latest draft of the year as its next revision. Refused without a draft, when
 * the draft has errors or was computed under other settings, and — for a correction of a year
 * already published — without a reason. The first publication freezes the year's settings.
 */
export async function publish(
	db: Database,
	year: number,
	input: PublishInput,
	actor: audit.Actor,
	opts: { now?: Date } = {}
): Promise<Snapshot> {
	const now = opts.now ?? new Date();
	if (driverOf(db).kind === 'postgres') {
		return db.transaction(async (tx) => {
			// Not while a computation of the year is replacing the draft.
			await tryLockYear(tx, year);
			return publishIn(tx, year, input, actor, now);
		});
	}
	return inProcess(year, () => db.transaction((tx) => publishIn(tx, year, input, actor, now)));
}
