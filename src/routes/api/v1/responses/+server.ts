// POST /api/v1/responses (spec/exchange.md): one survey response, idempotent by
// `response_key` — 201 when stored now, 200 with the stored response when the key was stored
// before (nothing written), 422 with every problem on invalid content. The 409 "invitation
// already used" answer belongs to invitations, which a later issue adds; until then no
// response carries an invitation, so it never occurs.
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
			throw e;
		}
	});
