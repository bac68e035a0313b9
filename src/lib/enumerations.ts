// The enumerated values of the record files and their labels, one table per enumeration, shared
// by the pages (what a select or a list shows) and the imports (a file may write 市直部门 where
// the spec writes `municipal`). The labels are the messages the pages show, the glossary's terms.
// No zod here: pages that only show a label need not load a schema.
import { CAMPAIGN_STATES, CAMPAIGN_TARGETS, RESPONSE_CHANNELS } from '$lib/domain/campaigns';
import type { DepartmentCategory } from '$lib/domain/departments';
import { FINDING_SOURCES, FINDING_STATUSES, IMPORTED_FINDING_STATUSES } from '$lib/domain/findings';
import { HANDBOOK_ITEM_KINDS } from '$lib/domain/handbook';
import { m } from '$lib/paraglide/messages';
import { baseLocale, type Locale } from '$lib/paraglide/runtime';

type Label = (inputs: Record<string, never>, options: { locale?: Locale }) => string;

/** An enumeration: its codes, and a label of each in each language. */
export interface Enumeration<T extends string> {
	readonly values: readonly T[];
	/** The value's label as the pages show it, in `locale` (default: the request's). */
	label(value: T, locale?: Locale): string;
	/** The value a cell names by its code (any case) or its Chinese label; else null. */
	read(cell: string): T | null;
	/** Whether a value (from a stored entry, a query string) is one of the codes. */
	has(value: unknown): value is T;
	/**
	 * The values for a message, in either language: each code with its Chinese label, the two
	 * ways a file names them (`municipal (市直部门), vertical (垂管部门)`).
	 */
	describe(): string;
}

/**
 * An enumeration of `values` labelled by `labels`. A file names a value by its code or by its
 * Chinese label; English files use the codes (the English labels are phrases, not values).
 */
export function enumeration<T extends string>(
	values: readonly T[],
	labels: Record<T, Label>
): Enumeration<T> {
	const label = (v: T, locale?: Locale) => labels[v]({}, locale ? { locale } : {});
	const byName = new Map<string, T>();
	for (const v of values) {
		byName.set(v.toLowerCase(), v);
		byName.set(label(v, baseLocale), v);
	}
	return {
		values,
		label,
		read: (cell) => byName.get(cell.trim()) ?? byName.get(cell.trim().toLowerCase()) ?? null,
		has: (value): value is T => (values as readonly unknown[]).includes(value),
		describe: () => values.map((v) => `${v} (${label(v, baseLocale)})`).join(', ')
	};
}

/** A subset of an enumeration, with the same labels. */
function subset<T extends string, S extends T>(e: Enumeration<T>, values: readonly S[]) {
	return enumeration(
		values,
		Object.fromEntries(
			values.map((v) => [v, (_: unknown, o: { locale?: Locale }) => e.label(v, o.locale)])
		) as Record<S, Label>
	);
}

export const DEPARTMENT_CATEGORY = enumeration(
	['municipal', 'vertical'] as const satisfies readonly DepartmentCategory[],
	{ municipal: m.departments_category_municipal, vertical: m.departments_category_vertical }
);

export const CALENDAR_KIND = enumeration(['holiday', 'workday'] as const, {
	holiday: m.calendar_kind_holiday,
	workday: m.calendar_kind_workday
});

export const FINDING_SOURCE = enumeration(FINDING_SOURCES, {
	special_inspection: m.findings_source_special_inspection,
	undercover_visit: m.findings_source_undercover_visit,
	onsite_measurement: m.findings_source_onsite_measurement,
	task_supervision: m.findings_source_task_supervision
});

export const FINDING_STATUS = enumeration(FINDING_STATUSES, {
	recorded: m.findings_status_recorded,
	confirmed: m.findings_status_confirmed,
	disputed: m.findings_status_disputed,
	withdrawn: m.findings_status_withdrawn
});

/** The statuses a findings file may carry (exchange.md): a file holds settled records. */
export const IMPORTED_FINDING_STATUS = subset(FINDING_STATUS, IMPORTED_FINDING_STATUSES);

export const VERDICT = enumeration(['substantiated', 'partial', 'unfounded'] as const, {
	substantiated: m.complaints_verdict_substantiated,
	partial: m.complaints_verdict_partial,
	unfounded: m.complaints_verdict_unfounded
});

export const CAMPAIGN_KIND = enumeration(
	['enterprise_visit', 'public_evaluation', 'online'] as const,
	{
		enterprise_visit: m.campaigns_kind_enterprise_visit,
		public_evaluation: m.campaigns_kind_public_evaluation,
		online: m.campaigns_kind_online
	}
);

export const CAMPAIGN_STATE = enumeration(CAMPAIGN_STATES, {
	draft: m.campaigns_state_draft,
	active: m.campaigns_state_active,
	closed: m.campaigns_state_closed
});

export const CAMPAIGN_TARGET = enumeration(CAMPAIGN_TARGETS, {
	all: m.campaigns_targets_all,
	municipal: m.campaigns_targets_municipal,
	vertical: m.campaigns_targets_vertical,
	selected: m.campaigns_targets_selected
});

export const RESPONSE_CHANNEL = enumeration(RESPONSE_CHANNELS, {
	field: m.responses_channel_field,
	phone: m.responses_channel_phone,
	online: m.responses_channel_online,
	paper: m.responses_channel_paper
});

/** `true`/`false` as files write them, or 是/否. */
export const YES_NO = enumeration(['true', 'false'] as const, {
	true: m.common_yes,
	false: m.common_no
});

/** A handbook item's kind: an approval (审批) or a service (服务) item. */
export const HANDBOOK_ITEM_KIND = enumeration(HANDBOOK_ITEM_KINDS, {
	approval: m.handbook_kind_approval,
	service: m.handbook_kind_service
});
