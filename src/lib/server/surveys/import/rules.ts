// The rules of `$lib/schemas/responses` in SQL, for the import's set-based checks: each built
// from the same constants as the TypeScript the API runs, so that a limit changed there changes
// here. tests/integration/response-rules.test.ts sends the same responses through both.
import { sql, type SQL } from 'drizzle-orm';
import { TIME_ZONE } from '$lib/domain/time';
import {
	KEY_CONTROL_RANGES,
	RATING_LEVELS,
	RESPONSE_CHANNELS,
	TRIMMED_CODE_POINTS
} from '$lib/schemas/responses';
import { RATING_COLUMNS } from '../responses';

const u4 = (c: number) => `\\${c.toString(16).padStart(4, '0')}`;

/** What `trim()` removes, as the characters of `btrim`. */
const TRIMMED = sql.raw(`U&'${TRIMMED_CODE_POINTS.map(u4).join('')}'`);

/** A cell trimmed as the API trims its texts. */
export const trimmed = (cell: string): SQL => sql`btrim(${sql.raw(cell)}, ${TRIMMED})`;

const re4 = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/**
 * A regular expression literal matching a character a response key must not have (NUL aside:
 * text holds none), for `~`.
 */
export const KEY_FORBIDDEN = `'[${KEY_CONTROL_RANGES.map(([a, b]) => `${re4(Math.max(a, 1))}-${re4(b)}`).join('')}]'`;

/** A channel as a number 1–4 (0: not a channel), cheap to compare per row. */
export const channelCode = (cell: string) =>
	sql.raw(
		`case ${cell} ${RESPONSE_CHANNELS.map((c, i) => `when '${c}' then ${i + 1}`).join(' ')} else 0 end`
	);

/**
 * A campaign's channels as one number, a bit at each one's `channelCode` (bit 0, no channel,
 * never set), so that `channelAllowed` says per row what `channelProblem` says per response.
 */
export const channelMask = (channels: readonly string[]) =>
	channels.reduce((m, c) => m | (1 << (RESPONSE_CHANNELS.indexOf(c as never) + 1)), 0);

/** Whether the channel of a `channelCode` is among those of a `channelMask` (SQL text). */
export const channelAllowed = (mask: string, code: string) => `((${mask} >> ${code}) & 1) = 1`;

/** The channel of a code `channelCode` gave. */
export const channelEnum = (code: string) =>
	sql.raw(
		`case ${code} ${RESPONSE_CHANNELS.map((c, i) => `when ${i + 1} then '${c}'::response_channel`).join(' ')} end`
	);

/** A rating cell as its level, null when it is not one (cells are trimmed before this counts). */
export const levelOf = (cell: string) =>
	sql.raw(`case ${cell} ${RATING_LEVELS.map((l) => `when '${l}' then ${l}`).join(' ')} end`);

/**
 * The levels of a response about one department packed into one number, 3 bits a rating slot
 * (level + 1; 0 = not answered): from the file's rows (`packed`, summed by `bit_or`), or from a
 * stored `survey_rating` row (`storedLevels`), so that the two compare as numbers.
 */
export const levelBits = (level: SQL | string, shift: string) =>
	sql`((${typeof level === 'string' ? sql.raw(level) : level}) + 1)::bigint << ${sql.raw(shift)}`;

export const storedLevels = (row: string) =>
	sql.raw(
		RATING_COLUMNS.map((c, k) => `(coalesce(${row}.${c} + 1, 0)::bigint << ${3 * k})`).join(' | ')
	);

/**
 * How many rating slots packed levels fill: a rating row whose answer is no level leaves its
 * slot empty, so a response with fewer filled slots than rating rows (and no question answered
 * twice) has such a row.
 */
export const filledSlots = (packed: string) => {
	const lowBits = RATING_COLUMNS.reduce((m, _, k) => m | (1n << BigInt(3 * k)), 0n);
	const l = `coalesce(${packed}, 0)`;
	return sql.raw(`bit_count(((${l} | (${l} >> 1) | (${l} >> 2)) & ${lowBits})::bit(64))`);
};

/** Slot k's level out of packed levels, as the rating columns r1 … r12. */
export const unpack = (packed: string) =>
	sql.raw(
		RATING_COLUMNS.map((_, k) => `(nullif((${packed} >> ${3 * k}) & 7, 0) - 1)::smallint`).join(
			', '
		)
	);

/**
 * A staged time as an instant: `YYYY-MM-DD HH:mm[:ss]` (found in the day and clock tables) is
 * cast as local time; anything else is looked up among the times `parseSubmittedAt` read.
 */
export const instantOf = (cell: string, day: string, clock: string, odd: string) =>
	sql.raw(`case when ${day}.day is not null and ${clock}.t is not null
		then (${cell} || '+08')::timestamptz else ${odd}.at end`);

/** The local day (`YYYY-MM-DD`) of an instant. */
export const localDay = (instant: SQL) =>
	sql`to_char(${instant} at time zone ${sql.raw(`'${TIME_ZONE}'`)}, 'YYYY-MM-DD')`;
