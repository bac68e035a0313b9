// The announcement (通报) of a year's published results: read through `view` as the public reads
// them (published revisions only, checked against their digest), with the rectifications'
// assigned leaders and deadlines, and built by the one domain function. Public by design: a
// draft is never announced, whoever asks.
import { buildAnnouncement, type Announcement } from '$lib/domain/announcement';
import { formatDate } from '$lib/domain/time';
import type { Executor } from '$lib/server/db';
import * as rectifications from '$lib/server/rectification';
import { view } from './view';

export interface AnnouncementView {
	announcement: Announcement;
	/** The year's current published revision, for "a newer revision exists". */
	currentRevision: number | null;
}

/**
 * The announcement of a published revision of `year` (the current one when `revision` is null):
 * null when nothing is published; refused for a revision that does not exist and for content
 * that fails its integrity check, as `view` refuses them.
 */
export async function announcement(
	db: Executor,
	year: number,
	revision: number | null
): Promise<AnnouncementView | null> {
	const shown = await view(db, null, year, { kind: 'published', revision });
	if (!shown) return null;
	const { snapshot } = shown;
	// A published snapshot has both; the types of a summary allow a draft's nulls.
	if (snapshot.revision === null || snapshot.publishedAt === null) return null;
	return {
		announcement: buildAnnouncement({
			year,
			revision: snapshot.revision,
			publishedOn: formatDate(snapshot.publishedAt),
			digest: snapshot.digest,
			replacesRevision: shown.replacesRevision,
			note: snapshot.note,
			settings: shown.settings,
			departments: shown.departments,
			assignments: await rectifications.announced(db, year)
		}),
		currentRevision: shown.currentRevision
	};
}
