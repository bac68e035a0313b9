// How large a request body may be. The import pages take files up to their kind's size (a
// responses file is up to 2 GB), which they read as it arrives and cap themselves (upload.ts);
// the complaint form, which carries attachments, is refused above their total with room for the
// form's text (ATTACHMENTS_FORM_MAX_BYTES, 26 MB); every other request is refused above 16 MB
// (`POST /api/v1/cases` with 10,000 records is a few MB). adapter-node's BODY_SIZE_LIMIT is one
// limit for all, so `npm start` sets it to Infinity and this handle is the limit; under plain
// `node build` set BODY_SIZE_LIMIT=Infinity too, or uploads above it are refused before they
// reach the page.
import { error, json, type Handle } from '@sveltejs/kit';
import { ATTACHMENTS_FORM_MAX_BYTES } from '$lib/domain/attachments';
import { m } from '$lib/paraglide/messages';
import { KINDS, panelOf } from './kinds';

export const BODY_MAX_BYTES = 16 * 1024 * 1024;

/** The addresses that read their body as an upload, with their own limits (the import pages). */
const UPLOAD_PATHS = new Set(
	Object.values(KINDS).flatMap((k) => [k.page, panelOf(k).upload ?? k.page])
);

/** The addresses whose forms carry a complaint's attachments, with that limit. */
const ROUTE_LIMITS = new Map<string, number>([
	['/complaint', ATTACHMENTS_FORM_MAX_BYTES],
	['/complaints/new', ATTACHMENTS_FORM_MAX_BYTES]
]);

/** A route's address without its groups: `/(public)/complaint` is `/complaint`. */
const pathOf = (routeId: string) => routeId.replace(/\/\([^)]*\)/g, '') || '/';

/** Whether a route (its id, groups and all) is an import page or its upload endpoint. */
export function isUploadRoute(routeId: string | null): boolean {
	return routeId !== null && UPLOAD_PATHS.has(pathOf(routeId));
}

/** The most bytes a request's body may have on a route; null for the import pages (their own). */
export function bodyLimitOf(routeId: string | null): number | null {
	if (routeId === null) return BODY_MAX_BYTES;
	if (isUploadRoute(routeId)) return null;
	return ROUTE_LIMITS.get(pathOf(routeId)) ?? BODY_MAX_BYTES;
}

/** A byte stream that errors once more than `limit` bytes passed through it. */
function capped(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
	let size = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				size += chunk.byteLength;
				if (size <= limit) return controller.enqueue(chunk);
				// SvelteKit's own 413 (an HttpError), so that the reader of the body answers with it.
				try {
					error(413, m.common_body_too_large());
				} catch (e) {
					controller.error(e);
				}
			}
		})
	);
}

export const handleBodyLimit: Handle = ({ event, resolve }) => {
	const { request } = event;
	const limit = bodyLimitOf(event.route.id);
	if (!request.body || limit === null) return resolve(event);
	const declared = request.headers.get('content-length');
	if (declared === null) {
		// Chunked: counted as it is read.
		event.request = new Request(request, {
			body: capped(request.body, limit),
			duplex: 'half'
		} as RequestInit);
	} else if (Number(declared) > limit) {
		const message = m.common_body_too_large();
		return event.url.pathname.startsWith('/api/')
			? json({ error: { code: 'too_large', message, details: [] } }, { status: 413 })
			: new Response(message, {
					status: 413,
					headers: { 'content-type': 'text/plain; charset=utf-8' }
				});
	}
	return resolve(event);
};
