// The JSON API's one way to authorise, read a body and answer (spec/exchange.md): errors are
// `{"error": {"code", "message", "details"}}` with a 4xx status, never SvelteKit's HTML or
// `{message}` shape, and a failed request writes nothing (each handler works in one transaction).
import { isHttpError, isRedirect, json, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { AccountRole } from '$lib/domain/roles';
import { describeDetail, httpStatusOf, isDomainError, messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { requireRole, allowPublic, type Principal } from '$lib/server/auth/guard';

export interface ApiErrorDetail {
	/** Where the problem is: a JSON path (`answers.2.answer`) or a row number. */
	path?: string;
	message: string;
	[key: string]: unknown;
}

/** An expected failure; `handle` turns it into the error document. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: ApiErrorDetail[] = []
	) {
		super(message);
	}
}

export function errorResponse(
	status: number,
	code: string,
	message: string,
	details: ApiErrorDetail[] = []
): Response {
	return json({ error: { code, message, details } }, { status });
}

function codeForStatus(status: number): string {
	if (status === 401) return 'unauthenticated';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'not_found';
	return 'bad_request';
}

/**
 * Runs an endpoint for the roles given (`'public'` for open endpoints), answering any
 * expected failure as the error document. The guard is `requireRole`/`allowPublic`, as for
 * pages; its 401/403 become JSON here.
 */
export async function handle(
	event: RequestEvent,
	roles: readonly AccountRole[] | 'public',
	run: (principal: Principal | null) => Promise<Response>
): Promise<Response> {
	try {
		const principal = roles === 'public' ? allowPublic(event) : requireRole(event, roles);
		return await run(principal);
	} catch (e) {
		if (e instanceof ApiError) return errorResponse(e.status, e.code, e.message, e.details);
		if (isDomainError(e)) {
			const details = e.details.map((d) => describeDetail(d));
			return errorResponse(httpStatusOf(e.code), e.code, messageOf(e.code, e.params), details);
		}
		if (isHttpError(e)) {
			return errorResponse(e.status, codeForStatus(e.status), e.body.message);
		}
		// The guard redirects browsers to sign-in; an API client is told it is not signed in.
		if (isRedirect(e)) return errorResponse(401, 'unauthenticated', m.auth_sign_in_required());
		throw e;
	}
}

/**
 * 415 unless the request says its body is JSON (`application/json`, or a `…+json` type): a body
 * sent as a form or as text is refused as such, not read as JSON by luck or reported as bad JSON.
 */
export function requireJsonBody(request: Request): void {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type))
		throw new ApiError(415, 'unsupported_media_type', m.api_not_json());
}

/**
 * Reads and validates a JSON body; 415 when it is not sent as JSON, 400 when it is not JSON,
 * 422 when it breaks the schema.
 */
export async function readBody<S extends z.ZodType>(
	event: RequestEvent,
	schema: S
): Promise<z.output<S>> {
	requireJsonBody(event.request);
	let body: unknown;
	try {
		body = await event.request.json();
	} catch {
		throw new ApiError(400, 'invalid_json', m.api_invalid_json());
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		throw new ApiError(
			422,
			'invalid_content',
			m.api_invalid_content(),
			parsed.error.issues.map((issue) => ({
				path: issue.path.map(String).join('.'),
				message: issue.message
			}))
		);
	}
	return parsed.data;
}
