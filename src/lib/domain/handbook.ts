// The rules of the handbook of approval items (《行政事业单位审批(服务)事项汇编》,
// docs/handbook.md): which item is an instant item (即办件), how a prerequisites cell is read, and
// how the reform statistics word a change between two editions. Pure: the SQL twins of these
// rules are in $lib/server/handbook, tested against these (tests/integration/handbook.test.ts).
import { roundHalfAwayFromZero } from './scoring';

/** An approval (审批) or a service (服务) item. */
export const HANDBOOK_ITEM_KINDS = ['approval', 'service'] as const;
export type HandbookItemKind = (typeof HANDBOOK_ITEM_KINDS)[number];

/**
 * An instant item (即办件) is one promised in 0 working days: settled the day it is accepted.
 * The same convention as a service case's `promised_working_days`.
 */
export const INSTANT_PROMISE = 0;

export function isInstant(promisedWorkingDays: number): boolean {
	return promisedWorkingDays === INSTANT_PROMISE;
}

/** At most this many prerequisites per item, each at most PREREQUISITE_MAX characters. */
export const PREREQUISITES_MAX_COUNT = 100;
export const PREREQUISITE_MAX = 500;

/**
 * The prerequisites of one cell: separated by `;`, `；` or line breaks, each trimmed, empty ones
 * (a trailing separator, a blank line) dropped, in the cell's order.
 */
export function splitPrerequisites(cell: string): string[] {
	return cell
		.split(/[;；\r\n]+/)
		.map((p) => p.trim())
		.filter((p) => p !== '');
}

/** One figure of the reform statistics in two editions. */
export interface ReformChange {
	from: number;
	to: number;
	/** to − from. */
	change: number;
	/** The change as a percentage of `from`, to 1 decimal half away from zero; null when from = 0. */
	percent: number | null;
}

/** The change between two editions' figures: 640 → 510 is −130, −20.3%. */
export function reformChange(from: number, to: number): ReformChange {
	return {
		from,
		to,
		change: to - from,
		percent: from === 0 ? null : roundHalfAwayFromZero(((to - from) * 100) / from, 1)
	};
}

const MINUS = '\u2212';

/** A signed whole number as the handbook prints it: `+112`, `−130`, `0`. */
export function formatSigned(n: number): string {
	if (n > 0) return `+${n}`;
	if (n < 0) return `${MINUS}${-n}`;
	return '0';
}

/** A percentage change as the reform report prints it: `−20.3%`, `+487.0%`, `0.0%`; `—` when none. */
export function formatPercent(percent: number | null): string {
	if (percent === null) return '—';
	const text = Math.abs(percent).toFixed(1);
	if (percent > 0) return `+${text}%`;
	if (percent < 0) return `${MINUS}${text}%`;
	return `${text}%`;
}
