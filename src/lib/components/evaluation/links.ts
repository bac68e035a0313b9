// Links to the results of a year: the current published revision, a given older revision, or
// the latest draft, for the rankings page and a department's "why this score" page.
import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';
import type { ResultFormat } from '$lib/domain/result-formats';

export type ResultsView = { draft: true } | { draft?: false; revision?: number | null };

function withView(path: ResolvedPathname, view: ResultsView): ResolvedPathname {
	if (view.draft) return `${path}?draft` as ResolvedPathname;
	return (view.revision ? `${path}?revision=${view.revision}` : path) as ResolvedPathname;
}

export function rankingsHref(year: number, view: ResultsView = {}): ResolvedPathname {
	return withView(resolve(`/rankings/${year}`), view);
}

export function whyHref(year: number, code: string, view: ResultsView = {}): ResolvedPathname {
	return withView(resolve(`/rankings/${year}/${code}`), view);
}

/** The results of a year as a file (`export results`): current revision, or the draft. */
export function downloadHref(year: number, format: ResultFormat, draft: boolean): ResolvedPathname {
	return withView(resolve(`/rankings/${year}/download/${format}`), { draft } as ResultsView);
}

export function publicResultsHref(year: number, revision?: number | null): ResolvedPathname {
	return withView(resolve(`/results/${year}`), { revision });
}

/**
 * The view of a snapshot as a link: a draft, an older revision, or (for the current revision)
 * the plain address, so that links keep pointing at "the current results".
 */
export function viewOf(s: {
	snapshot: { kind: 'draft' | 'published'; revision: number | null };
	currentRevision: number | null;
}): ResultsView {
	if (s.snapshot.kind === 'draft') return { draft: true };
	return s.snapshot.revision !== s.currentRevision ? { revision: s.snapshot.revision } : {};
}

/** The announcement of a year's results: on screen, as a print view, or as a PDF. */
export function announcementHref(
	year: number,
	opts: { as?: 'screen' | 'print' | 'pdf'; revision?: number | null; lang?: string | null } = {}
): ResolvedPathname {
	const base = resolve(`/results/${year}/announcement`);
	const path = opts.as === 'print' ? `${base}/print` : opts.as === 'pdf' ? `${base}/pdf` : base;
	const query = new URLSearchParams();
	if (opts.revision) query.set('revision', String(opts.revision));
	if (opts.lang) query.set('lang', opts.lang);
	const q = query.toString();
	return (q ? `${path}?${q}` : path) as ResolvedPathname;
}
