// POST /api/v1/responses (spec/exchange.md): one survey response, idempotent by `response_key` — 201
// when stored now, 200 with the stored response when this same response was stored before
// under its key (nothing written). The verb's refusals are answered by `handle`: 422 with every
// problem, 409 when the key holds another response (or an import is writing it) or the year's
// results are published. The 409 "invitation already used" belongs to invitations, which a
// later issue adds.
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { handle, readBody } from '$lib/server/api';
import { db } from '$lib/server/db/app-db';
import * as surveys from '$lib/server/surveys';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) =>
	handle(event, ROLES.recordResponses, async () => {
		const { created, response } = await surveys.submitResponse(
			db(),
			await readBody(event, z.unknown())
		);
		return json(response, { status: created ? 201 : 200 });
	});
