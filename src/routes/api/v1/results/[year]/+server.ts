// GET /api/v1/results/Y: the published results of Y (its current revision), with the fields of
// `export results` (spec/exchange.md) under `results`, and the revision and digest they come
// from; 404 before publication. Public.
import { json } from '@sveltejs/kit';
import { isValidYear } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { ApiError, handle } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as evaluation from '$lib/server/evaluation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	handle(event, 'public', async () => {
		const raw = event.params.year;
		const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
		const snapshot = isValidYear(year) ? await evaluation.latestPublished(db(), year) : null;
		if (!snapshot)
			throw new ApiError(404, 'not_published', m.api_results_not_published({ year: raw }));
		return json({
			year,
			revision: snapshot.revision,
			digest: snapshot.digest,
			digest_ok: snapshot.digestOk,
			published_at: snapshot.publishedAt?.toISOString() ?? null,
			results: evaluation.resultRows(snapshot.content)
		});
	});
