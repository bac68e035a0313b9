// POST /api/v1/complaints: up to 10,000 complaints, upserted by complaint_no, all or none.
import { ROLES } from '$lib/domain/roles';
import { getLocale } from '$lib/paraglide/runtime';
import { handle } from '$lib/server/api';
import { readRecords, recordsResponse } from '$lib/server/api/records';
import { actorOf } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import { db } from '$lib/server/db/app-db';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = (event) =>
	handle(event, ROLES.manageComplaints, async (p) => {
		const body = await readRecords(event);
		const result = await complaints.upsertRows(
			db(),
			body.rows,
			{ locale: getLocale(), requestId: body.requestId, sha256: body.sha256 },
			actorOf(event, p!)
		);
		return recordsResponse(result, body.requestId);
	});
