// Display names for the codes of findings (source, status) and calendar days, in the interface
// language, and the same as <option> lists.
import type { FindingSource, FindingStatus } from '$lib/domain/findings';
import { FINDING_SOURCES, FINDING_STATUSES } from '$lib/domain/findings';
import { FINDING_SOURCE, FINDING_STATUS } from '$lib/enumerations';
import type { Option } from './labels';

export const sourceLabel = (s: FindingSource) => FINDING_SOURCE.label(s);
export const statusLabel = (s: FindingStatus) => FINDING_STATUS.label(s);

export const sourceOptions = (): Option[] =>
	FINDING_SOURCES.map((value) => ({ value, label: sourceLabel(value) }));
export const statusOptions = (): Option[] =>
	FINDING_STATUSES.map((value) => ({ value, label: statusLabel(value) }));

/** Signed points as people read them: `+5.00`, `-2.00`. */
export function formatPoints(points: string | number): string {
	const n = Number(points);
	return (n > 0 ? '+' : '') + n.toFixed(2);
}
