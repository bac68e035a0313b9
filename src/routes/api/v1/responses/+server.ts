// POST /api/v1/responses (spec/exchange.md): one survey response, idempotent by `response_key` — 201
// when stored now, 200 with the stored response when this same response was stored before
// under its key (nothing written), 409 when the key holds another response or the year's
// results are published, 422 with every problem on invalid content. The 409 "invitation
// already used" answer belongs to invitations, which a later issue adds.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { ApiError, handle, readBody } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) =>
	handle(event, ROLES.recordResponses, async () => {
		const body = await readBody(event, z.unknown());
		try {
			const { created, response } = await surveys.submitResponse(db(), body);
			return json(response, { status: created ? 201 : 200 });
		} catch (e) {
			if (e instanceof surveys.ResponseInvalid)
				throw new ApiError(422, 'invalid_content', m.api_invalid_content(), e.details);
			if (e instanceof surveys.ResponseRefused)
				throw new ApiError(409, e.problem.code, e.message, [
					{ path: e.path, code: e.problem.code, message: e.message }
				]);
			throw e;
		}
	});
