// GET /api/v1/results/Y: the published results of Y (its current revision), exactly the JSON of
// `export results` (spec/exchange.md: an array of rows); the revision and digest they come from
// travel in headers (and the digest as the ETag). 404 before publication; refused like every
// read when the stored content fails its integrity check. Public.
import { handle } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as results from '$lib/server/results';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	handle(event, 'public', async () => {
		const file = await results.exportResults(db(), null, Number(event.params.year), {
			format: 'json'
		});
		const s = file.view.snapshot;
		return new Response(file.body as string, {
			headers: {
				'content-type': file.contentType,
				'x-pingyi-revision': String(s.revision),
				'x-pingyi-digest': s.digest,
				'x-pingyi-published-at': s.publishedAt?.toISOString() ?? '',
				etag: `"${s.digest}"`
			}
		});
	});
