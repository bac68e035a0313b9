// The bulk record endpoints (`POST /api/v1/cases`, `/complaints`): a JSON array of at most
// MAX_API_ROWS rows as in the files, all written or none, bad rows reported per row and column.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { json, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { MAX_API_ROWS, type RecordsResult } from '$lib/server/imports/records';
import { ApiError, requireJsonBody, type ApiErrorDetail } from './index';

export interface RecordsBody {
	rows: unknown[];
	/** SHA-256 of the body as sent, for the audit entry. */
	sha256: string;
	/** The client's X-Request-Id when it sent a usable one, else a fresh id. */
	requestId: string;
}

/**
 * Reads the body: 415 when not sent as JSON, 400 when it is not JSON, 422 when not an array, 413
 * when too long.
 */
export async function readRecords(event: RequestEvent): Promise<RecordsBody> {
	requireJsonBody(event.request);
	const bytes = new Uint8Array(await event.request.arrayBuffer());
	let body: unknown;
	try {
		body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		throw new ApiError(400, 'invalid_json', m.api_invalid_json());
	}
	if (!Array.isArray(body)) throw new ApiError(422, 'invalid_content', m.api_not_an_array());
	if (body.length > MAX_API_ROWS)
		throw new ApiError(
			413,
			'too_many_rows',
			m.api_too_many_rows({ max: MAX_API_ROWS, count: body.length }),
			[{ path: '', message: m.api_too_many_rows({ max: MAX_API_ROWS, count: body.length }) }]
		);
	const given = event.request.headers.get('x-request-id')?.trim() ?? '';
	const requestId = /^[\w.:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
	return { rows: body, sha256: encodeHexLowerCase(sha256(bytes)), requestId };
}

/** 200 with what was done, or the 422 error document listing the bad rows (nothing written). */
export function recordsResponse(result: RecordsResult, requestId: string): Response {
	if (!result.ok) {
		// The importer lists the first problems (enough to fix a batch) and counts the rest.
		const details: ApiErrorDetail[] = result.errors.map((e) => ({
			path: e.column ? `${e.line}.${e.column}` : String(e.line),
			row: e.line,
			column: e.column,
			message: e.message
		}));
		throw new ApiError(
			422,
			'invalid_rows',
			m.api_invalid_rows({ count: result.errors.length + result.moreErrors }),
			details
		);
	}
	const { rows, created, updated, unchanged } = result;
	return json({ rows, created, updated, unchanged, request_id: requestId });
}
