// What the demo city must reproduce, from the seed report (/work/shared/seed, docs/demo.md): the
// generator writes records whose counts give these figures; the product's own statistics
// compute them back (tests/integration/demo.test.ts). Also the demo's own choices where the
// report gives none (the service center's opening day, the first half of 2002's complaints).

/** The years the demo city has records of. */
export const DEMO_YEARS = [2002, 2003, 2004] as const;

/** Efficiency complaints received per year, and January–June of it. */
export const COMPLAINTS: Record<(typeof DEMO_YEARS)[number], { total: number; firstHalf: number }> =
	{
		// 237 in 2002 (the report); its first half is the demo's choice.
		2002: { total: 237, firstHalf: 118 },
		// 147 in 2003, 75 of them January–June (the report).
		2003: { total: 147, firstHalf: 75 },
		// 63 January–June 2004 (the report); the second half is the demo's choice.
		2004: { total: 115, firstHalf: 63 }
	};

/**
 * Service center cases (办件): accepted and completed from the opening to 30 June 2004. The
 * report gives no opening day; the demo opens the center on the first Monday of 2002.
 */
export const CASES = {
	opened: '2002-01-07',
	until: '2004-06-30',
	accepted: 107_124,
	completed: 106_978,
	/** Cases accepted per working day in the second half of 2004 (not in the report). */
	laterPerDay: 180
} as const;

/**
 * The handbook of approval items before and after the reform: the 2002 and 2003 editions list
 * the old catalogue, the 2004 edition the reformed one (so the reform page's default, the latest
 * edition against the one before, shows the report's figures).
 */
export const HANDBOOK = {
	departments: 37,
	before: { items: 640, prerequisites: 2631, promisedDays: 7219, instant: 23 },
	after: { items: 510, prerequisites: 2368, promisedDays: 4944, instant: 135 },
	beforeYears: [2002, 2003],
	afterYear: 2004
} as const;

/** Enterprises in the register. */
export const ENTERPRISES = 1000;
