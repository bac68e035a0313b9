// `[id=id]` in a route: a record's id, a positive whole number as the database's `serial` holds it
// (1 to 2,147,483,647, no sign, no leading zero); anything else is not that route (404), so no
// load parses an id itself and the database never sees an id out of its range.
import type { ParamMatcher } from '@sveltejs/kit';

export const MAX_ID = 2_147_483_647;

export const match = ((param: string): param is `${number}` =>
	/^[1-9]\d{0,9}$/.test(param) && Number(param) <= MAX_ID) satisfies ParamMatcher;
