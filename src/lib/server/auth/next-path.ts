// Where to go after signing in or switching language: `next` from the query, but only within the
// app, so that a link to `/sign-in?next=…` or `/language?next=…` cannot send a user elsewhere.

/**
 * `next` as a path of this app (with its query and hash), or `/` when it is missing or points
 * anywhere else. The URL parser decides, as the browser will: it drops tabs and line breaks and
 * reads `\` as `/`, so `/\t/evil.example` and `/\evil.example` resolve to another host and are
 * refused, where a check of the text's first characters lets them through.
 */
export function nextPath(next: string | null | undefined, url: URL): string {
	if (!next) return '/';
	let target: URL;
	try {
		target = new URL(next, url.origin);
	} catch {
		return '/';
	}
	if (target.origin !== url.origin) return '/';
	// `/.//evil.example` resolves here to the path `//evil.example`, which a browser would read as
	// another host again if sent as a relative Location: one leading slash only.
	return target.pathname.replace(/^\/+/, '/') + target.search + target.hash;
}
