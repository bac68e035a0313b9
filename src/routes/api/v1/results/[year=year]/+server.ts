// GET /api/v1/results/Y: the published results of Y (its current revision), exactly the JSON of
// `export results` (spec/exchange.md: an array of rows); the revision and digest they come from
// travel in headers (and the digest as the ETag). 404 before publication. Public.
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { ApiError, handle } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	handle(event, 'public', async () => {
		const year = Number(event.params.year);
		const snapshot = await evaluation.latestPublished(db(), year);
		if (!snapshot) throw new ApiError(404, 'not_published', m.api_results_not_published({ year }));
		return json(evaluation.resultRows(snapshot.content), {
			headers: {
				'x-pingyi-revision': String(snapshot.revision),
				'x-pingyi-digest': snapshot.digest,
				'x-pingyi-digest-ok': String(snapshot.digestOk),
				'x-pingyi-published-at': snapshot.publishedAt?.toISOString() ?? '',
				etag: `"${snapshot.digest}"`
			}
		});
	});
