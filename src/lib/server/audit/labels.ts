// The audit log in words: what an entry's action, entity and coded values (a finding's source, an
// account's role …) are called in the reader's language. The entries keep their codes (the chain
// hashes them, the filters match them); only the page shows these. A code without a label here
// is shown as itself, so an old entry never disappears from view.
import { roleLabel } from '$lib/components/ui/labels';
import { problemCategoryLabel, problemScopeLabel } from '$lib/components/ui/problem-labels';
import { PROBLEM_SCOPES, type ProblemScope } from '$lib/domain/visit-problems';
import { ACCOUNT_ROLES, type Role } from '$lib/domain/roles';
import {
	CALENDAR_KIND,
	CAMPAIGN_KIND,
	CAMPAIGN_STATE,
	CAMPAIGN_TARGET,
	DEPARTMENT_CATEGORY,
	FINDING_SOURCE,
	FINDING_STATUS
} from '$lib/enumerations';
import { formatDateTime } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

type Label = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/** Every action the code records (tests/unit/audit-labels.test.ts checks that none is missing). */
export const ACTION_LABELS: Record<string, Label> = {
	'session.sign_in': m.audit_action_session_sign_in,
	'session.sign_out': m.audit_action_session_sign_out,
	'session.sudo': m.audit_action_session_sudo,
	'two_factor.enrol': m.audit_action_two_factor_enrol,
	'two_factor.remove': m.audit_action_two_factor_remove,
	'two_factor.reset': m.audit_action_two_factor_reset,
	'two_factor.recovery_code_used': m.audit_action_two_factor_recovery_code_used,
	'two_factor.recovery_codes_regenerated': m.audit_action_two_factor_recovery_codes_regenerated,
	'user.create': m.audit_action_user_create,
	'user.update': m.audit_action_user_update,
	'user.password': m.audit_action_user_password,
	'user.disable': m.audit_action_user_disable,
	'user.enable': m.audit_action_user_enable,
	'api_token.issue': m.audit_action_api_token_issue,
	'api_token.revoke': m.audit_action_api_token_revoke,
	'settings.update': m.audit_action_settings_update,
	'department.create': m.audit_action_department_create,
	'department.update': m.audit_action_department_update,
	'department.remove': m.audit_action_department_remove,
	'department.category': m.audit_action_department_category,
	'department.exemption.add': m.audit_action_department_exemption_add,
	'department.exemption.remove': m.audit_action_department_exemption_remove,
	'departments.import': m.audit_action_departments_import,
	'enterprise.create': m.audit_action_enterprise_create,
	'enterprise.update': m.audit_action_enterprise_update,
	'enterprises.import': m.audit_action_enterprises_import,
	'finding.create': m.audit_action_finding_create,
	'finding.update': m.audit_action_finding_update,
	'finding.confirm': m.audit_action_finding_confirm,
	'finding.withdraw': m.audit_action_finding_withdraw,
	'finding.dispute': m.audit_action_finding_dispute,
	'findings.import': m.audit_action_findings_import,
	'calendar.add': m.audit_action_calendar_add,
	'calendar.update': m.audit_action_calendar_update,
	'calendar.remove': m.audit_action_calendar_remove,
	'holidays.import': m.audit_action_holidays_import,
	'cases.import': m.audit_action_cases_import,
	'handbook.import': m.audit_action_handbook_import,
	'complaints.import': m.audit_action_complaints_import,
	'complaint.file': m.audit_action_complaint_file,
	'visit.record': m.audit_action_visit_record,
	'complaint.accept': m.audit_action_complaint_accept,
	'complaint.reject': m.audit_action_complaint_reject,
	'complaint.assign': m.audit_action_complaint_assign,
	'complaint.request_response': m.audit_action_complaint_request_response,
	'complaint.respond': m.audit_action_complaint_respond,
	'complaint.conclude': m.audit_action_complaint_conclude,
	'complaint.sanction': m.audit_action_complaint_sanction,
	'complaint.extend': m.audit_action_complaint_extend,
	'complaint.give_feedback': m.audit_action_complaint_give_feedback,
	'complaint.close': m.audit_action_complaint_close,
	'problem.raise': m.audit_action_problem_raise,
	'problem.settle_by_brigade': m.audit_action_problem_settle_by_brigade,
	'problem.escalate': m.audit_action_problem_escalate,
	'problem.instruct': m.audit_action_problem_instruct,
	'problem.report': m.audit_action_problem_report,
	'problem.settle': m.audit_action_problem_settle,
	'problem.return_visit': m.audit_action_problem_return_visit,
	'problem.to_complaint': m.audit_action_problem_to_complaint,
	'problem.to_finding': m.audit_action_problem_to_finding,
	'complaints.examples': m.audit_action_complaints_examples,
	'complaints.examples_removed': m.audit_action_complaints_examples_removed,
	'questionnaire.create': m.audit_action_questionnaire_create,
	'questionnaire.update': m.audit_action_questionnaire_update,
	'questionnaire.version': m.audit_action_questionnaire_version,
	'campaign.create': m.audit_action_campaign_create,
	'campaign.update': m.audit_action_campaign_update,
	'campaign.quotas': m.audit_action_campaign_quotas,
	'campaign.open': m.audit_action_campaign_open,
	'campaign.close': m.audit_action_campaign_close,
	'invitations.create': m.audit_action_invitations_create,
	'responses.import': m.audit_action_responses_import,
	'sample.draw': m.audit_action_sample_draw,
	'sample.import_call_list': m.audit_action_sample_import_call_list,
	'sample.call_list_file': m.audit_action_sample_call_list_file,
	'sample.assign': m.audit_action_sample_assign,
	'sample.unassign': m.audit_action_sample_unassign,
	'open_link.create': m.audit_action_open_link_create,
	'open_link.replace': m.audit_action_open_link_replace,
	'phone.attempt': m.audit_action_phone_attempt,
	'response.void': m.audit_action_response_void,
	'response.export': m.audit_action_response_export,
	'sample.reveal_phone': m.audit_action_sample_reveal_phone,
	'evaluation_year.create': m.audit_action_evaluation_year_create,
	'evaluation_year.settings': m.audit_action_evaluation_year_settings,
	'evaluation.compute': m.audit_action_evaluation_compute,
	'evaluation.publish': m.audit_action_evaluation_publish,
	'rectification.assign_leader': m.audit_action_rectification_assign_leader,
	'rectification.plan': m.audit_action_rectification_plan,
	'rectification.report': m.audit_action_rectification_report,
	'rectification.close': m.audit_action_rectification_close,
	'demo.load': m.audit_action_demo_load,
	'audit.export': m.audit_action_audit_export
};

/** Every kind of record an entry is about. */
export const ENTITY_LABELS: Record<string, Label> = {
	user: m.audit_entity_user,
	api_token: m.audit_entity_api_token,
	setting: m.audit_entity_setting,
	department: m.audit_entity_department,
	enterprise: m.audit_entity_enterprise,
	finding: m.audit_entity_finding,
	calendar_day: m.audit_entity_calendar_day,
	service_case: m.audit_entity_service_case,
	complaint: m.audit_entity_complaint,
	campaign: m.audit_entity_campaign,
	questionnaire: m.audit_entity_questionnaire,
	survey_response: m.audit_entity_survey_response,
	sample_unit: m.audit_entity_sample_unit,
	evaluation_year: m.audit_entity_evaluation_year,
	evaluation_snapshot: m.audit_entity_evaluation_snapshot,
	rectification: m.audit_entity_rectification,
	problem: m.audit_entity_problem,
	visit: m.audit_entity_visit,
	handbook_edition: m.audit_entity_handbook_edition,
	audit_entry: m.audit_entity_audit_entry
};

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
	typeof v === 'string' && (list as readonly string[]).includes(v);

const role = (v: unknown) => (isOneOf<Role>(ACCOUNT_ROLES, v) ? roleLabel(v) : null);
const category = (v: unknown) =>
	v === 'municipal' || v === 'vertical' ? DEPARTMENT_CATEGORY.label(v) : null;

/** Coded values of a field, by `entity.field`: in words, or null when the value is no such code. */
const VALUE_LABELS: Record<string, (v: unknown) => string | null> = {
	'finding.source': (v) => (FINDING_SOURCE.has(v) ? FINDING_SOURCE.label(v) : null),
	'finding.status': (v) => (FINDING_STATUS.has(v) ? FINDING_STATUS.label(v) : null),
	'user.role': role,
	'api_token.role': role,
	'campaign.kind': (v) => (CAMPAIGN_KIND.has(v) ? CAMPAIGN_KIND.label(v) : null),
	'campaign.state': (v) => (CAMPAIGN_STATE.has(v) ? CAMPAIGN_STATE.label(v) : null),
	'campaign.targets': (v) => (CAMPAIGN_TARGET.has(v) ? CAMPAIGN_TARGET.label(v) : null),
	'problem.category': (v) => (typeof v === 'string' ? problemCategoryLabel(v) : null),
	'problem.scope': (v) => (isOneOf<ProblemScope>(PROBLEM_SCOPES, v) ? problemScopeLabel(v) : null),
	'calendar_day.kind': (v) => (CALENDAR_KIND.has(v) ? CALENDAR_KIND.label(v) : null),
	// A department's category history: `[{fromYear, category}, …]`.
	'department.categories': (v) =>
		Array.isArray(v)
			? v
					.map((c: { fromYear?: unknown; category?: unknown }) =>
						m.audit_category_from({
							year: String(c.fromYear),
							category: category(c.category) ?? String(c.category)
						})
					)
					.join('; ')
			: null
};

// How `Date.toISOString()` writes an instant: stored so, shown as Beijing time.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function actionLabel(action: string, locale?: Locale): string {
	return ACTION_LABELS[action]?.({}, { locale }) ?? action;
}

export function entityLabel(entity: string, locale?: Locale): string {
	return ENTITY_LABELS[entity]?.({}, { locale }) ?? entity;
}

/**
 * A stored value as the reader sees it: a code in words, an instant in Beijing time, yes or no;
 * other values as they are (objects as JSON). Null is shown as an empty cell.
 */
export function valueLabel(entity: string, field: string, v: unknown): string | null {
	if (v === null || v === undefined) return null;
	const coded = VALUE_LABELS[`${entity}.${field}`]?.(v);
	if (coded) return coded;
	if (typeof v === 'boolean') return v ? m.common_yes() : m.common_no();
	if (typeof v === 'string') return ISO_INSTANT.test(v) ? formatDateTime(new Date(v)) : v;
	return JSON.stringify(v);
}
