// GET /api/v1/openapi.json: the OpenAPI 3.1 description of the API, open to everyone.
import { json } from '@sveltejs/kit';
import { handle } from '$lib/server/api';
import { openApiDocument } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) =>
	handle(event, 'public', async () =>
		json(openApiDocument, { headers: { 'cache-control': 'public, max-age=300' } })
	);
