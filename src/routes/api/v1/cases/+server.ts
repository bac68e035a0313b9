// POST /api/v1/cases: up to 10,000 service cases, upserted by case_no, all or none.
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { handle } from '$lib/server/api';
import { readRecords, recordsResponse } from '$lib/server/api/records';
import { actorOf } from '$lib/server/auth/guard';
import * as cases from '$lib/server/cases';
import { db } from '$lib/server/db/app-db';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) =>
	handle(event, ROLES.manageCases, async (p) => {
		const body = await readRecords(event);
		const result = await cases.upsertRows(
			db(),
			body.rows,
			{ locale: getLocale(), requestId: body.requestId, sha256: body.sha256 },
			actorOf(event, p!)
		);
		return recordsResponse(result, body.requestId);
	});
