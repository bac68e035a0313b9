// Display names for the codes of findings (source, status) and calendar days, in the interface
// language, and the same as <option> lists.
import type { FindingSource, FindingStatus } from '$lib/domain/findings';
import { FINDING_SOURCES, FINDING_STATUSES } from '$lib/domain/findings';
import { m } from '$lib/paraglide/messages';
import type { Option } from './labels';

const SOURCE_LABELS: Record<FindingSource, () => string> = {
	special_inspection: m.findings_source_special_inspection,
	undercover_visit: m.findings_source_undercover_visit,
	onsite_measurement: m.findings_source_onsite_measurement,
	task_supervision: m.findings_source_task_supervision
};

const STATUS_LABELS: Record<FindingStatus, () => string> = {
	recorded: m.findings_status_recorded,
	confirmed: m.findings_status_confirmed,
	disputed: m.findings_status_disputed,
	withdrawn: m.findings_status_withdrawn
};

export const sourceLabel = (s: FindingSource) => SOURCE_LABELS[s]();
export const statusLabel = (s: FindingStatus) => STATUS_LABELS[s]();

export const sourceOptions = (): Option[] =>
	FINDING_SOURCES.map((value) => ({ value, label: sourceLabel(value) }));
export const statusOptions = (): Option[] =>
	FINDING_STATUSES.map((value) => ({ value, label: statusLabel(value) }));

/** Signed points as people read them: `+5.00`, `-2.00`. */
export function formatPoints(points: string | number): string {
	const n = Number(points);
	return (n > 0 ? '+' : '') + n.toFixed(2);
}
