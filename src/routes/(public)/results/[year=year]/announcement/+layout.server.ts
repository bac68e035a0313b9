import { error } from '@sveltejs/kit';
import { announcementText, textLocale } from '$lib/components/announcement/wording';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { LayoutServerLoad } from './$types';

// Public: the announcement of a year's published results (the current revision or
// `?revision=N`), worded in `?lang=` or the interface language; for the screen and print views.
export const load: LayoutServerLoad = async (event) => {
	allowPublic(event);
	const year = Number(event.params.year);
	return orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams, false);
		const revision = choice.kind === 'published' ? (choice.revision ?? null) : null;
		const shown = await results.announcement(db(), year, revision);
		if (!shown) error(404, m.announcement_not_published({ year }));
		const { announcement, currentRevision } = shown;
		return {
			year,
			revision: announcement.revision,
			currentRevision,
			/** The revision asked for (null: the current one), for the links to the other views. */
			asked: revision,
			text: announcementText(announcement, textLocale(event.url.searchParams))
		};
	});
};
