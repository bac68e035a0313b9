// `[format=format]` in a route: one of the results export's formats; anything else is not that
// route (404), so the download endpoint never sees an unknown format.
import type { ParamMatcher } from '@sveltejs/kit';
import { isResultFormat, type ResultFormat } from '$lib/domain/result-formats';

export const match = ((param: string): param is ResultFormat =>
	isResultFormat(param)) satisfies ParamMatcher;
