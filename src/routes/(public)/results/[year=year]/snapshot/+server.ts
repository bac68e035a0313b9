// Public: a published revision of a year's results as the file whose SHA-256 is the digest the
// results page prints (the current revision, or `?revision=N`); `npm run cli -- verify FILE`
// checks a copy.
import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { allowPublic } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { orErrorPage } from '$lib/server/pages';
import * as results from '$lib/server/results';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	allowPublic(event);
	const year = Number(event.params.year);
	const file = await orErrorPage(async () => {
		const choice = results.choiceOf(event.url.searchParams, false);
		if (choice.kind !== 'published') throw new DomainError('snapshot_not_found');
		return results.publishedSnapshotFile(db(), year, choice.revision ?? null);
	});
	if (!file) error(404, m.rankings_not_published({ year }));
	return new Response(file.body, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${file.filename}"`,
			// A published revision never changes: the same address, the same bytes.
			'cache-control': 'public, max-age=300'
		}
	});
};
