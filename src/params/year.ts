// `[year=year]` in a route: four digits naming a year the programme accepts (MIN_YEAR–MAX_YEAR);
// anything else is not that route (404), so no load parses a year itself.
import type { ParamMatcher } from '@sveltejs/kit';
import { isValidYear } from '$lib/domain/years';

export const match = ((param: string): param is `${number}` =>
	/^\d{4}$/.test(param) && isValidYear(Number(param))) satisfies ParamMatcher;
