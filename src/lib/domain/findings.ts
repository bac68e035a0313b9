// What may happen to an inspection finding (督查发现), and when it counts (scoring.md §2.1). Pure:
// the findings module applies these rules inside its transactions.

export const FINDING_SOURCES = [
	'special_inspection',
	'undercover_visit',
	'onsite_measurement',
	'task_supervision'
] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

export const FINDING_STATUSES = ['recorded', 'confirmed', 'disputed', 'withdrawn'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** The statuses a findings file may carry (exchange.md): a file holds settled records. */
export const IMPORTED_FINDING_STATUSES = ['confirmed', 'disputed', 'withdrawn'] as const;

export type FindingAction = 'confirm' | 'withdraw' | 'dispute';

export type FindingRefusal =
	| 'finding_already_confirmed'
	| 'finding_already_withdrawn'
	| 'finding_already_disputed'
	| 'finding_dispute_used'
	| 'finding_not_disputable';

/** Only confirmed findings enter the work-delivery score. */
export function counts(status: FindingStatus): boolean {
	return status === 'confirmed';
}

/**
 * Why `action` is not allowed on a finding in `status` (with or without a dispute already on
 * record), or null when it is. A department disputes a recorded or confirmed finding, once; a
 * supervisor confirms a recorded or disputed one and may withdraw any that is not withdrawn.
 */
export function refusal(
	action: FindingAction,
	finding: { status: FindingStatus; disputed: boolean }
): FindingRefusal | null {
	const { status } = finding;
	if (status === 'withdrawn') return 'finding_already_withdrawn';
	switch (action) {
		case 'confirm':
			return status === 'confirmed' ? 'finding_already_confirmed' : null;
		case 'withdraw':
			return null;
		case 'dispute':
			if (finding.disputed)
				return status === 'disputed' ? 'finding_already_disputed' : 'finding_dispute_used';
			return status === 'recorded' || status === 'confirmed' ? null : 'finding_not_disputable';
	}
}

/** The status an allowed action leads to. */
export function nextStatus(action: FindingAction): FindingStatus {
	return action === 'confirm' ? 'confirmed' : action === 'withdraw' ? 'withdrawn' : 'disputed';
}

/** What the page offers: the actions allowed now. */
export function allowedActions(finding: {
	status: FindingStatus;
	disputed: boolean;
}): FindingAction[] {
	return (['confirm', 'withdraw', 'dispute'] as const).filter((a) => refusal(a, finding) === null);
}

/** Finding numbers the app gives: `F2026-000123` (year of the finding, then a running number). */
export const GENERATED_NO = /^F(\d{4})-(\d{6})$/;

export function formatFindingNo(year: number, n: number): string {
	return `F${year}-${String(n).padStart(6, '0')}`;
}

/** Letters, digits and `.`, `_`, `-`: numbers appear in URLs and files. */
export const FINDING_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const FINDING_NO_MAX = 40;
/** Numbers that would collide with the pages under /findings/. */
const RESERVED_NOS = ['new', 'import'];

export function isValidFindingNo(no: string): boolean {
	return (
		no.length <= FINDING_NO_MAX &&
		FINDING_NO_PATTERN.test(no) &&
		!RESERVED_NOS.includes(no.toLowerCase())
	);
}

export const POINTS_LIMIT = 1000;

/**
 * Points as written in a file or a form: a signed decimal with at most 2 decimals, not zero,
 * below 1000 in size. Returns the canonical text (`-2.00`) the numeric column holds, or the
 * problem.
 */
export function parsePoints(
	raw: string
): { ok: true; value: string } | { ok: false; problem: 'number' | 'zero' | 'range' } {
	const text = raw.trim().replace(/^\+/, '');
	if (!/^-?(\d+(\.\d{0,2})?|\.\d{1,2})$/.test(text)) return { ok: false, problem: 'number' };
	const n = Number(text);
	if (n === 0) return { ok: false, problem: 'zero' };
	if (Math.abs(n) >= POINTS_LIMIT) return { ok: false, problem: 'range' };
	return { ok: true, value: n.toFixed(2) };
}
