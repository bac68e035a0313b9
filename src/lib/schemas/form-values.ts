// How a posted form's values read, one definition each: a checkbox, and a field sent several
// times (a group of checkboxes, a multiple select).
import { z } from 'zod';

/** A ticked box sends `on` (an API or CLI may send `true`); an unticked one sends nothing. */
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/** A field sent none, one or several times, as the list of its values (an empty one is none). */
export const manyValues = <T extends z.ZodType>(item: T) =>
	z.preprocess(
		(v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
		z.array(item)
	);
