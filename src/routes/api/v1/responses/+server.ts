// POST /api/v1/responses (spec/exchange.md): one survey response, idempotent by `response_key` — 201
// when stored now, 200 with the stored response when this same response was stored before
// under its key (nothing written). The verb's refusals are answered by `handle`: 422 with every
// problem, 409 when the key holds another response (or an import is writing it) or the year's
// results are published. With an `invitation_token` the response is the invitation's: 409
// `invitation_answered` when it answered about a department already, 404 `invitation_invalid`
// for a token that is wrong or whose campaign is not running (alike).
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { handle, readBody } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) =>
	handle(event, ROLES.recordResponses, async () => {
		const body = await readBody(event, z.unknown());
		const { invitation_token: token, ...rest } =
			body && typeof body === 'object' && !Array.isArray(body)
				? (body as Record<string, unknown>)
				: { invitation_token: undefined };
		const { created, response } =
			typeof token === 'string'
				? await surveys.answerInvitation(db(), token, rest, { address: event.getClientAddress() })
				: await surveys.submitResponse(db(), body);
		return json(response, { status: created ? 201 : 200 });
	});
