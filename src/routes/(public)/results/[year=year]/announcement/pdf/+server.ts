// Public: the announcement of a year's published results as an A4 PDF (the current revision or
// `?revision=N`, worded in `?lang=` or the interface language).
import { error } from '@sveltejs/kit';
import { announcementText, textLocale } from '$lib/components/announcement/wording';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	allowPublic(event);
	const year = Number(event.params.year);
	const shown = await orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams, false);
		return results.announcement(
			db(),
			year,
			choice.kind === 'published' ? (choice.revision ?? null) : null
		);
	});
	if (!shown) error(404, m.announcement_not_published({ year }));
	const { announcement: a } = shown;
	const text = announcementText(a, textLocale(event.url.searchParams));
	const pdf = await results.announcementPdf(text);
	const filename = `pingyi-announcement-${a.year}-r${a.revision}-${text.locale}.pdf`;
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${filename}"`,
			// A published revision never changes, but the leaders assigned to its rectifications do.
			'cache-control': 'public, max-age=60'
		}
	});
};
