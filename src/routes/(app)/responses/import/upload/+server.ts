// The responses import page's upload with progress: the file arrives (the browser shows the
// upload's progress), then the import's own progress streams back as NDJSON lines
// ($lib/import-progress), ending with the summary's address or the refused rows.
import { getLocale } from '$lib/paraglide/runtime';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { KINDS } from '$lib/server/imports/kinds';
import { importUploadedResponses } from '$lib/server/imports/responses-upload';
import { progressResponse } from '$lib/server/imports/progress';
import { receiveToDisk } from '$lib/server/imports/upload';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireRole(event, KINDS.responses.roles);
	// The whole file first, then the answer: the import runs once the upload is complete.
	const received = await receiveToDisk(event, KINDS.responses);
	if (!received.ok) {
		const failure = received.failure.data;
		return progressResponse(async () => ({ type: 'refused', failure }));
	}
	// Read now: the stream below runs after this handler has returned.
	const locale = getLocale();
	const actor = actorOf(event, p);
	return progressResponse(async (send) => {
		try {
			send({ type: 'received', bytes: received.upload.file.size });
			const outcome = await importUploadedResponses(db(), received.upload, {
				locale,
				actor,
				onProgress: (rows) => send({ type: 'progress', rows })
			});
			return outcome.ok
				? { type: 'done', location: outcome.location }
				: { type: 'refused', failure: outcome.failure.data };
		} finally {
			await received.dispose();
		}
	});
};
