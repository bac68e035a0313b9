// Every problem the product reports, by code, and the one place that words a code in a language.
// A problem is either bad input (a form field, a file's cell, an API body's value) or a domain
// verb's refusal (`DomainError`). Schemas, verbs, pages, the API, imports and the CLI all report
// codes; `messageOf` turns a code and its params into a sentence, in the request's language or
// the one given (the CLI's --lang, an import's locale). A code means the same thing everywhere.
import { z } from 'zod';
import { ATTACHMENT_TYPE_LABELS } from '$lib/domain/attachments';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

/** Values a message is filled with (`{max}`, `{value}`, `{year}` …). */
export type Params = Record<string, string | number>;

type Options = { locale?: Locale };
type Wording = (p: Params, o: Options) => string;

// A message function's inputs are typed by Paraglide; params arrive as a loose record, so each
// entry names what it fills in. `s` reads a param as text ('' when it is missing).
const s = (p: Params, key: string): string => String(p[key] ?? '');

/** What refers to a department (`department_referenced`'s params), by kind, as its counts. */
const REFERRER_WORDINGS = {
	users: m.departments_refs_users,
	tokens: m.departments_refs_tokens,
	findings: m.departments_refs_findings,
	cases: m.departments_refs_cases,
	complaints: m.departments_refs_complaints,
	responses: m.departments_refs_responses,
	rectifications: m.departments_refs_rectifications,
	results: m.departments_refs_results
} as const;

/** The kinds of record that can refer to a department (departments.references counts them). */
export type DepartmentReferrer = keyof typeof REFERRER_WORDINGS;

function referrers(p: Params, o: Options): string {
	return Object.entries(REFERRER_WORDINGS)
		.filter(([kind]) => Number(p[kind] ?? 0) > 0)
		.map(([kind, word]) => word({ count: s(p, kind) }, o))
		.join(m.departments_refs_separator({}, o));
}

/** A value from the input named in a message: a long one cut short. */
const shown = (p: Params, key: string): string => {
	const v = s(p, key);
	return v.length > 40 ? `${v.slice(0, 40)}…` : v;
};

/** Where an earlier answer of a response is: a path into the API body, or a line of the file. */
const where = (p: Params, o: Options): string =>
	p.line !== undefined ? m.responses_at_line({ line: s(p, 'line') }, o) : s(p, 'path');

/** What an API field should have been (`response_type`). */
const typeWord = (p: Params, o: Options): string =>
	p.expected === 'text'
		? m.responses_type_text({}, o)
		: p.expected === 'list'
			? m.responses_type_list({}, o)
			: m.responses_type_object({}, o);

/** A response channel (`channel`) in words. */
const channelWord = (p: Params, o: Options): string => {
	const word = {
		field: m.responses_channel_field,
		phone: m.responses_channel_phone,
		online: m.responses_channel_online,
		paper: m.responses_channel_paper
	}[s(p, 'channel')];
	return word ? word({}, o) : s(p, 'channel');
};

const WORDINGS = {
	// --- Any input: form fields, file cells, API values --------------------------------------
	required: (_, o) => m.common_required({}, o),
	invalid: (_, o) => m.form_invalid({}, o),
	too_long: (p, o) => m.form_too_long({ max: s(p, 'max') }, o),
	too_short: (p, o) => m.form_too_short({ min: s(p, 'min') }, o),
	whole_number: (_, o) => m.form_whole_number({}, o),
	number_min: (p, o) => m.form_number_min({ min: s(p, 'min') }, o),
	number_max: (p, o) => m.form_number_max({ max: s(p, 'max') }, o),
	not_a_number: (_, o) => m.evaluation_settings_not_number({}, o),
	whole_number_range: (p, o) =>
		m.records_whole_number({ value: s(p, 'value'), min: s(p, 'min'), max: s(p, 'max') }, o),
	choice: (p, o) =>
		p.value === undefined
			? m.form_choice({ choices: s(p, 'choices') }, o)
			: m.records_choice({ value: s(p, 'value'), choices: s(p, 'choices') }, o),
	date: (_, o) => m.form_invalid_date({}, o),
	date_time: (p, o) => m.records_date_time({ value: s(p, 'value') }, o),
	boolean: (p, o) => m.records_boolean({ value: s(p, 'value') }, o),
	year: (_, o) => m.departments_error_year({ min: MIN_YEAR, max: MAX_YEAR }, o),
	key_format: (p, o) => m.records_key_format({ value: s(p, 'value') }, o),
	not_before: (p, o) => m.records_not_before({ other: s(p, 'other') }, o),
	required_with: (p, o) => m.records_required_with({ other: s(p, 'other') }, o),
	forbidden_without: (p, o) => m.records_forbidden_without({ other: s(p, 'other') }, o),
	not_an_object: (_, o) => m.records_not_an_object({}, o),
	unknown_field: (_, o) => m.responses_error_unknown_field({}, o),
	confirm_required: (_, o) => m.form_confirm_required({}, o),
	duplicate_key_line: (p, o) =>
		m.records_duplicate_key_line({ value: s(p, 'value'), line: s(p, 'line') }, o),
	duplicate_key_row: (p, o) =>
		m.records_duplicate_key_row({ value: s(p, 'value'), line: s(p, 'line') }, o),
	/** A department code that names no department: forms, files, the API, tokens. */
	department_unknown: (p, o) => m.records_unknown_department({ value: s(p, 'code') }, o),

	// --- Imports: the file, its header and its cells (`$lib/server/imports`) ------------------
	/** An image, a PDF, a zip, an old .xls: nothing an import reads. */
	file_not_a_table: (_, o) => m.imports_not_a_table({}, o),
	/** `size`, `max` in MB. */
	file_too_large: (p, o) => m.imports_too_large({ size: s(p, 'size'), max: s(p, 'max') }, o),
	/** An XLSX file whose first sheet's text is beyond the cap (a small zip may hold much). */
	sheet_too_large: (p, o) => m.imports_sheet_too_large({ max: s(p, 'max') }, o),
	file_empty: (_, o) => m.imports_empty_file({}, o),
	header_too_many_columns: (p, o) =>
		m.imports_too_many_columns({ count: s(p, 'count'), max: s(p, 'max') }, o),
	header_empty_column: (p, o) => m.imports_empty_column({ position: s(p, 'position') }, o),
	header_duplicate_column: (p, o) => m.imports_duplicate_column({ column: s(p, 'column') }, o),
	header_unknown_column: (p, o) =>
		m.imports_unknown_column({ column: s(p, 'column'), expected: s(p, 'expected') }, o),
	header_missing_column: (p, o) => m.imports_missing_column({ column: s(p, 'column') }, o),
	row_too_many_cells: (p, o) =>
		m.imports_too_many_cells({ count: s(p, 'count'), expected: s(p, 'expected') }, o),
	csv_quote_not_closed: (_, o) => m.imports_quote_not_closed({}, o),
	csv_bad_quote: (_, o) => m.imports_bad_quote({}, o),
	/** U+FFFD: bytes that were neither UTF-8 nor GBK (or the character itself, as good as lost). */
	text_unreadable: (p, o) => m.imports_text_unreadable({ position: s(p, 'position') }, o),
	/** A control character or a lone surrogate (`char` as U+XXXX) in a cell or a JSON string. */
	text_character: (p, o) =>
		m.imports_text_character({ position: s(p, 'position'), char: s(p, 'char') }, o),
	date_value: (p, o) => m.records_date({ value: s(p, 'value') }, o),
	year_value: (p, o) =>
		m.departments_import_bad_year({ value: s(p, 'value'), min: MIN_YEAR, max: MAX_YEAR }, o),
	phone_format: (p, o) => m.enterprises_import_bad_phone({ value: s(p, 'value') }, o),
	uscc_length: (p, o) =>
		m.enterprises_import_uscc_length({ value: s(p, 'value'), length: s(p, 'length') }, o),
	uscc_charset: (p, o) => m.enterprises_import_uscc_charset({ value: s(p, 'value') }, o),
	uscc_division: (p, o) => m.enterprises_import_uscc_division({ value: s(p, 'value') }, o),
	uscc_checksum: (p, o) =>
		m.enterprises_import_uscc_checksum({ value: s(p, 'value'), expected: s(p, 'expected') }, o),

	// --- Departments -------------------------------------------------------------------------
	department_code_format: (_, o) => m.departments_error_code_format({}, o),
	department_category: (_, o) => m.departments_error_category({}, o),
	department_code_taken: (_, o) => m.departments_error_code_taken({}, o),
	department_not_found: (_, o) => m.departments_error_not_found({}, o),
	superior_authority_required: (_, o) => m.departments_error_superior_required({}, o),
	superior_authority_forbidden: (_, o) => m.departments_error_superior_forbidden({}, o),
	category_unchanged: (_, o) => m.departments_error_category_unchanged({}, o),
	exemption_exists: (_, o) => m.departments_error_exemption_exists({}, o),
	exemption_not_found: (_, o) => m.departments_error_exemption_not_found({}, o),
	/** params: `code`, and a count per kind of record that refers to it (`cases`, `users`, …) */
	department_referenced: (p, o) =>
		m.departments_error_referenced({ code: s(p, 'code'), refs: referrers(p, o) }, o),

	// --- Import uploads (the pages' file field) ------------------------------------------------
	upload_missing: (_, o) => m.imports_error_no_file({}, o),
	upload_malformed: (_, o) => m.imports_error_upload_broken({}, o),

	// --- Accounts ----------------------------------------------------------------------------
	username_format: (_, o) => m.users_error_username_format({}, o),
	username_taken: (_, o) => m.users_error_username_taken({}, o),
	user_department_required: (_, o) => m.users_error_department_required({}, o),
	user_not_found: (_, o) => m.users_not_found({}, o),
	user_enterprise_unknown: (p, o) =>
		m.users_error_enterprise_unknown({ uscc: shown(p, 'uscc') }, o),
	user_enterprise_role: (_, o) => m.users_error_enterprise_role({}, o),
	user_enterprise_taken: (p, o) =>
		m.users_error_enterprise_taken({ username: shown(p, 'username') }, o),
	last_admin: (_, o) => m.users_error_last_admin({}, o),
	password_mismatch: (_, o) => m.account_password_mismatch({}, o),
	password_wrong: (_, o) => m.account_wrong_password({}, o),
	two_factor_required: (_, o) => m.two_factor_error_required({}, o),
	two_factor_code_format: (_, o) => m.two_factor_error_code_format({}, o),
	two_factor_recovery_format: (_, o) => m.two_factor_error_recovery_format({}, o),
	two_factor_already_enrolled: (_, o) => m.two_factor_error_already_enrolled({}, o),
	two_factor_not_enrolled: (_, o) => m.two_factor_error_not_enrolled({}, o),
	two_factor_not_for_role: (_, o) => m.two_factor_error_not_for_role({}, o),

	// --- API tokens --------------------------------------------------------------------------
	token_department_required: (_, o) => m.tokens_error_department_required({}, o),
	token_department_forbidden: (_, o) => m.tokens_error_department_forbidden({}, o),
	token_not_found: (_, o) => m.tokens_error_not_found({}, o),
	token_already_revoked: (_, o) => m.tokens_error_already_revoked({}, o),

	// --- Working-day calendar ----------------------------------------------------------------
	calendar_kind: (_, o) => m.calendar_error_kind({}, o),
	calendar_day_exists: (_, o) => m.calendar_error_exists({}, o),
	calendar_day_listed_as_other: (_, o) => m.calendar_error_listed_as_other({}, o),
	calendar_day_not_found: (_, o) => m.calendar_error_not_found({}, o),

	// --- Inspection findings -----------------------------------------------------------------
	finding_no_format: (_, o) => m.findings_error_no_format({}, o),
	finding_source: (_, o) => m.findings_error_source({}, o),
	finding_points_number: (_, o) => m.findings_error_points_number({}, o),
	finding_points_range: (_, o) => m.findings_error_points_range({}, o),
	finding_points_zero: (_, o) => m.findings_error_points_zero({}, o),
	finding_not_found: (_, o) => m.findings_error_not_found({}, o),
	finding_no_taken: (_, o) => m.findings_error_no_taken({}, o),
	finding_already_confirmed: (_, o) => m.findings_error_already_confirmed({}, o),
	finding_already_withdrawn: (_, o) => m.findings_error_already_withdrawn({}, o),
	finding_already_disputed: (_, o) => m.findings_error_already_disputed({}, o),
	finding_dispute_used: (_, o) => m.findings_error_dispute_used({}, o),
	finding_not_disputable: (_, o) => m.findings_error_not_disputable({}, o),

	// --- Complaints (the workflow) ------------------------------------------------------------
	complaint_contact: (_, o) => m.complaints_error_contact({}, o),
	complaint_name_required: (_, o) => m.complaints_error_name_required({}, o),
	complaint_tracking_invalid: (_, o) => m.complaints_error_tracking_invalid({}, o),
	complaint_action_not_allowed: (_, o) => m.complaints_error_action_not_allowed({}, o),
	complaint_already_extended: (_, o) => m.complaints_error_already_extended({}, o),
	complaint_not_sanctionable: (_, o) => m.complaints_error_not_sanctionable({}, o),
	complaint_response_pending: (_, o) => m.complaints_error_response_pending({}, o),
	complaint_not_found: (_, o) => m.complaints_error_not_found({}, o),
	complaint_throttled: (p, o) => m.complaints_error_throttled({ seconds: s(p, 'seconds') }, o),
	complaint_assignee: (_, o) => m.complaints_error_assignee({}, o),
	complaint_department: (_, o) => m.complaints_error_department({}, o),
	complaint_extension_shorter: (_, o) => m.complaints_error_extension_shorter({}, o),
	complaint_forbidden: (_, o) => m.complaints_error_forbidden({}, o),
	complaint_import_handled_here: (p, o) =>
		m.complaints_error_import_handled_here({ no: s(p, 'no') }, o),

	// --- Campaigns ---------------------------------------------------------------------------
	campaign_code_format: (_, o) => m.campaigns_error_code_format({}, o),
	campaign_kind: (_, o) => m.campaigns_error_kind({}, o),
	campaign_weight: (p, o) => m.campaigns_error_weight({ max: s(p, 'max') }, o),
	campaign_code_taken: (_, o) => m.campaigns_error_code_taken({}, o),
	questionnaire_not_found: (p, o) => m.campaigns_error_questionnaire({ code: s(p, 'code') }, o),
	questionnaire_code_taken: (_, o) => m.questionnaires_error_code_taken({}, o),
	questionnaire_code_format: (_, o) => m.questionnaires_error_code_format({}, o),
	questionnaire_code_repeated: (p, o) =>
		m.questionnaires_error_code_repeated({ code: shown(p, 'code') }, o),
	questionnaire_no_questions: (_, o) => m.questionnaires_error_no_questions({}, o),
	questionnaire_too_many_questions: (p, o) =>
		m.questionnaires_error_too_many_questions({ max: s(p, 'max') }, o),
	questionnaire_too_many_ratings: (p, o) =>
		m.questionnaires_error_too_many_ratings({ max: s(p, 'max') }, o),
	campaign_not_found: (p, o) => m.campaigns_error_not_found({ code: shown(p, 'code') }, o),
	campaign_not_draft: (_, o) => m.campaigns_error_not_draft({}, o),
	campaign_not_active: (_, o) => m.campaigns_error_not_active({}, o),
	campaign_closed: (_, o) => m.campaigns_error_closed({}, o),
	campaign_no_targets: (_, o) => m.campaigns_error_no_targets({}, o),
	campaign_targets: (p, o) => m.campaigns_error_targets({ value: shown(p, 'value') }, o),
	campaign_target_unknown: (p, o) =>
		m.campaigns_error_target_unknown({ code: shown(p, 'code') }, o),
	campaign_channels: (_, o) => m.campaigns_error_channels({}, o),
	campaign_dates: (_, o) => m.campaigns_error_dates({}, o),
	campaign_dates_year: (p, o) => m.campaigns_error_dates_year({ year: s(p, 'year') }, o),
	campaign_quota: (p, o) => m.campaigns_error_quota({ max: s(p, 'max') }, o),

	// --- Invitations and the contact card ------------------------------------------------------
	invitation_campaign_closed: (p, o) =>
		m.invitations_error_campaign_closed({ code: shown(p, 'code') }, o),
	invitation_no_sample: (p, o) => m.invitations_error_no_sample({ code: shown(p, 'code') }, o),
	open_link_unavailable: (p, o) => m.open_link_error_unavailable({ code: shown(p, 'code') }, o),
	contact_card_hotline: (_, o) => m.settings_error_hotline({}, o),
	contact_card_prefix: (_, o) => m.settings_error_card_prefix({}, o),

	// --- Samples and assignments -------------------------------------------------------------
	sample_size: (p, o) => m.samples_error_size({ min: s(p, 'min'), max: s(p, 'max') }, o),
	sample_seed: (p, o) => m.samples_error_seed({ max: s(p, 'max') }, o),
	sample_stratify: (_, o) => m.samples_error_stratify({}, o),
	/** A campaign code that names none (or one the reader may not learn of: the same words). */
	sample_campaign_not_found: (_, o) => m.samples_error_campaign_not_found({}, o),
	sample_campaign_closed: (_, o) => m.samples_error_campaign_closed({}, o),
	/** A sample that invitations were made for is kept: they point at its units. */
	sample_has_invitations: (_, o) => m.samples_error_has_invitations({}, o),
	sample_unit_not_found: (_, o) => m.samples_error_unit_not_found({}, o),
	sample_not_a_supervisor: (_, o) => m.samples_error_not_a_supervisor({}, o),
	sample_nothing_to_assign: (_, o) => m.samples_error_nothing_to_assign({}, o),
	sample_pick_units: (_, o) => m.samples_error_pick_units({}, o),
	/** A phone number revealed only to an admin and the supervisor the unit is assigned to. */
	sample_reveal_forbidden: (_, o) => m.auth_forbidden({}, o),

	// --- Enterprise visits ----------------------------------------------------------------------
	visit_not_found: (_, o) => m.visits_error_not_found({}, o),
	visit_forbidden: (_, o) => m.auth_forbidden({}, o),
	visit_campaign_kind: (_, o) => m.visits_error_campaign_kind({}, o),
	visit_campaign_not_active: (_, o) => m.visits_error_campaign_not_active({}, o),
	visit_card_unknown: (p, o) => m.visits_error_card_unknown({ no: shown(p, 'no') }, o),
	visit_card_other_enterprise: (p, o) =>
		m.visits_error_card_other_enterprise({ no: shown(p, 'no') }, o),
	visit_date_future: (_, o) => m.visits_error_date_future({}, o),
	visit_team_required: (_, o) => m.visits_error_team_required({}, o),
	visit_breach_without_card: (_, o) => m.visits_error_breach_without_card({}, o),

	// --- The supervisors' consoles (phone, field, paper) ---------------------------------------
	console_not_active: (_, o) => m.consoles_error_not_active({}, o),
	console_channel: (p, o) => m.consoles_error_channel({ channel: channelWord(p, o) }, o),
	console_enterprise_unknown: (p, o) =>
		m.consoles_error_enterprise_unknown({ uscc: shown(p, 'uscc') }, o),
	/** The unit is not assigned to the caller (or does not exist: the same words). */
	phone_not_assigned: (_, o) => m.phone_error_not_assigned({}, o),
	phone_callback_past: (_, o) => m.phone_error_callback_past({}, o),
	phone_unit_done: (_, o) => m.phone_error_unit_done({}, o),
	// --- Reviewing responses: the list, voiding, the export ---------------------------------
	/** Individual responses: admins and supervisors only (roles.md). */
	review_forbidden: (_, o) => m.auth_forbidden({}, o),
	/** Who answered (`--with-identity`): admins only. */
	review_identity_forbidden: (_, o) => m.review_error_identity_forbidden({}, o),
	review_response_not_found: (p, o) => m.review_error_not_found({ key: shown(p, 'key') }, o),
	review_already_voided: (p, o) => m.review_error_already_voided({ key: shown(p, 'key') }, o),

	// --- Survey responses: the API (POST /api/v1/responses) and the responses file ------------
	/** The API body's problems, each in `details`. */
	response_invalid: (_, o) => m.api_invalid_content({}, o),
	response_type: (p, o) => m.responses_error_type({ expected: typeWord(p, o) }, o),
	response_nul: (_, o) => m.responses_error_nul({}, o),
	response_key_characters: (_, o) => m.responses_error_key_characters({}, o),
	response_key_conflict: (p, o) => m.responses_error_key_conflict({ key: shown(p, 'key') }, o),
	response_key_busy: (_, o) => m.responses_error_key_busy({}, o),
	response_channel: (p, o) => m.responses_error_channel({ value: shown(p, 'value') }, o),
	/** A channel the response's campaign does not take responses by (its `channels`). */
	response_channel_not_allowed: (p, o) =>
		m.responses_error_channel_not_allowed(
			{ campaign: shown(p, 'campaign'), value: shown(p, 'value'), channels: s(p, 'channels') },
			o
		),
	response_submitted_at: (p, o) => m.responses_error_submitted_at({ value: shown(p, 'value') }, o),
	response_outside_year: (p, o) => m.responses_error_outside_year({ year: s(p, 'year') }, o),
	response_outside_campaign: (p, o) =>
		m.responses_error_outside_campaign({ first: s(p, 'first'), last: s(p, 'last') }, o),
	response_year_published: (p, o) => m.responses_error_year_published({ year: s(p, 'year') }, o),
	response_no_answers: (_, o) => m.responses_error_no_answers({}, o),
	response_too_many_answers: (p, o) => m.responses_error_too_many_answers({ max: s(p, 'max') }, o),
	response_campaign_unknown: (p, o) => m.responses_error_campaign({ code: shown(p, 'code') }, o),
	response_question_unknown: (p, o) =>
		m.responses_error_question(
			{ code: shown(p, 'code'), questionnaire: s(p, 'questionnaire'), codes: s(p, 'codes') },
			o
		),
	response_rating: (p, o) => m.responses_error_rating({ value: shown(p, 'value') }, o),
	response_text: (p, o) => m.responses_error_text({ max: s(p, 'max') }, o),
	/** Not an option code (single), or not a list of distinct option codes (multiple). */
	response_choice: (p, o) => m.responses_error_choice({ choices: s(p, 'choices') }, o),
	/** The responses file does not carry choice answers (the API does). */
	response_choice_import: (p, o) =>
		m.responses_error_choice_import({ question: shown(p, 'question') }, o),
	response_answer_repeated: (p, o) =>
		m.responses_error_duplicate_answer(
			{ department: shown(p, 'department'), question: shown(p, 'question'), first: where(p, o) },
			o
		),
	response_inconsistent: (p, o) =>
		m.responses_import_inconsistent({ key: shown(p, 'key'), first: where(p, o) }, o),

	// --- Evaluation years, computation, publication ------------------------------------------
	settings_negative: (_, o) => m.evaluation_settings_negative({}, o),
	settings_not_integer: (_, o) => m.evaluation_settings_not_integer({}, o),
	settings_not_share: (_, o) => m.evaluation_settings_not_share({}, o),
	settings_weights_sum: (p, o) => m.evaluation_settings_weights_sum({ sum: s(p, 'sum') }, o),
	year_invalid: (_, o) => m.evaluation_error_year_invalid({}, o),
	year_exists: (p, o) => m.evaluation_error_year_exists({ year: s(p, 'year') }, o),
	year_not_found: (_, o) => m.evaluation_error_year_not_found({}, o),
	settings_invalid: (_, o) => m.evaluation_error_settings_invalid({}, o),
	settings_frozen: (_, o) => m.evaluation_error_settings_frozen({}, o),
	no_draft: (_, o) => m.evaluation_error_no_draft({}, o),
	draft_has_errors: (p, o) => m.evaluation_error_draft_has_errors({ count: s(p, 'count') }, o),
	draft_stale: (_, o) => m.evaluation_error_draft_stale({}, o),
	draft_already_published: (_, o) => m.evaluation_error_draft_already_published({}, o),
	/** Publication of a draft whose content no longer matches its digest. */
	draft_digest_mismatch: (_, o) => m.evaluation_error_digest_mismatch({}, o),
	reason_required: (_, o) => m.evaluation_error_reason_required({}, o),
	snapshot_not_found: (_, o) => m.evaluation_error_snapshot_not_found({}, o),
	computation_running: (p, o) => m.evaluation_compute_running({ year: s(p, 'year') }, o),

	// --- Results (what readers see of the snapshots) ------------------------------------------
	/** A stored snapshot whose content fails its integrity check, on any read of it. */
	digest_mismatch: (_, o) => m.results_error_digest_mismatch({}, o),
	not_published: (p, o) => m.api_results_not_published({ year: s(p, 'year') }, o),
	draft_not_found: (p, o) => m.rankings_no_draft({ year: s(p, 'year') }, o),
	/** A draft, or a department's "why this score", that the reader may not see. */
	results_forbidden: (_, o) => m.auth_forbidden({}, o),

	// --- Complaint statistics ----------------------------------------------------------------
	/** Statistics are admin's, supervisor's and leader's (roles.md), never a liaison's. */
	complaint_stats_forbidden: (_, o) => m.auth_forbidden({}, o),

	// --- Visit campaign summary --------------------------------------------------------------
	/** The summary is admin's, supervisor's and leader's (ROLES.visitSummary). */
	visit_summary_forbidden: (_, o) => m.auth_forbidden({}, o),
	/** A campaign that is not of the thousand-enterprise visits has no summary. */
	visit_campaign_not_found: (p, o) =>
		m.summary_error_not_visit_campaign({ code: shown(p, 'code') }, o),
	// --- The handbook of approval items (`$lib/schemas/handbook`, `$lib/server/handbook`) -----
	handbook_prerequisites_count: (p, o) =>
		m.handbook_error_prerequisites_count({ count: s(p, 'count'), max: s(p, 'max') }, o),
	handbook_prerequisite_long: (p, o) =>
		m.handbook_error_prerequisite_long({ position: s(p, 'position'), max: s(p, 'max') }, o),
	handbook_promise_over_statutory: (p, o) =>
		m.handbook_error_promise_over_statutory({ statutory: s(p, 'statutory') }, o),
	/** A file without a single item: importing it would empty the year's edition. */
	handbook_no_items: (_, o) => m.handbook_error_no_items({}, o),

	// --- Rectification -----------------------------------------------------------------------
	rectification_not_found: (_, o) => m.rectification_error_not_found({}, o),
	rectification_closed: (_, o) => m.rectification_error_closed({}, o),
	rectification_cancelled: (_, o) => m.rectification_error_cancelled({}, o),
	rectification_not_a_leader: (_, o) => m.rectification_error_not_a_leader({}, o),
	rectification_leader_unchanged: (_, o) => m.rectification_error_leader_unchanged({}, o),
	rectification_plan_missing: (_, o) => m.rectification_error_plan_missing({}, o),

	// --- Complaint attachments (src/lib/server/complaints/attachments.ts) -----------------------
	/** Some attachments of a form are refused (each in `details`, by `attachments.<index>`). */
	attachments_refused: (_, o) => m.complaints_attachments_refused({}, o),
	/** `name`: sniffed from the bytes, the type is none of $lib/domain/attachments' types. */
	attachment_type: (p, o) =>
		m.complaints_attachment_type({ name: shown(p, 'name'), types: ATTACHMENT_TYPE_LABELS }, o),
	/** `name`, `actual` (the sniffed type's label, '' when unrecognised): a lying extension. */
	attachment_extension: (p, o) =>
		m.complaints_attachment_extension(
			{
				name: shown(p, 'name'),
				actual: s(p, 'actual') || m.complaints_attachment_unknown_format({}, o)
			},
			o
		),
	attachment_empty: (p, o) => m.complaints_attachment_empty({ name: shown(p, 'name') }, o),
	/** `name`, `size` and `max` in MB. */
	attachment_too_large: (p, o) =>
		m.complaints_attachment_too_large(
			{ name: shown(p, 'name'), size: s(p, 'size'), max: s(p, 'max') },
			o
		),
	attachments_too_many: (p, o) =>
		m.complaints_attachments_too_many({ count: s(p, 'count'), max: s(p, 'max') }, o),
	/** `size` and `max` in MB. */
	attachments_total_too_large: (p, o) =>
		m.complaints_attachments_total_too_large({ size: s(p, 'size'), max: s(p, 'max') }, o),
	/** No stored file by that digest (or not a digest at all: the same words). */
	attachment_not_found: (_, o) => m.complaints_attachment_not_found({}, o),

	// --- Problems raised on enterprise visits (src/lib/server/visits/problems.ts) ------------------
	problem_action_not_allowed: (_, o) => m.problem_error_action_not_allowed({}, o),
	problem_already_complaint: (_, o) => m.problem_error_already_complaint({}, o),
	problem_already_finding: (_, o) => m.problem_error_already_finding({}, o),
	problem_already_reported: (_, o) => m.problem_error_already_reported({}, o),
	problem_not_found: (_, o) => m.problem_error_not_found({}, o),
	problem_forbidden: (_, o) => m.problem_error_forbidden({}, o),
	problem_assignee: (_, o) => m.problem_error_assignee({}, o),
	problem_leader: (_, o) => m.problem_error_leader({}, o),
	problem_department: (_, o) => m.problem_error_department({}, o),
	problem_departments_required: (_, o) => m.problem_error_departments_required({}, o),
	problem_due_past: (_, o) => m.problem_error_due_past({}, o),
	problem_return_future: (_, o) => m.problem_error_return_future({}, o),

	// --- The respondent's page (an invitation) -----------------------------------------------
	respondent_key: (_, o) => m.respondent_error_key({}, o),
	respondent_no_departments: (_, o) => m.respondent_error_no_departments({}, o),
	respondent_rating_required: (_, o) => m.respondent_error_rating_required({}, o),
	respondent_answer_required: (_, o) => m.respondent_error_answer_required({}, o),
	respondent_text_long: (p, o) => m.respondent_error_text_long({ max: s(p, 'max') }, o),
	/** An unknown token, or one whose campaign is not running: the same words either way. */
	invitation_invalid: (_, o) => m.respondent_error_invalid({}, o),
	invitation_throttled: (p, o) => m.respondent_error_throttled({ seconds: s(p, 'seconds') }, o),
	/** The invitation answered about this department already (with another response). */
	invitation_answered: (p, o) => m.respondent_error_answered({ code: shown(p, 'code') }, o),
	invitation_department: (p, o) => m.respondent_error_department({ code: shown(p, 'code') }, o),

	// --- The audit trail's anchor (the operator's configuration and files) --------------------
	audit_key_missing: (p, o) => m.audit_error_key_missing({ file: s(p, 'file') }, o),
	audit_key_unreadable: (p, o) =>
		m.audit_error_key_unreadable({ file: s(p, 'file'), reason: s(p, 'reason') }, o),
	audit_key_invalid: (p, o) =>
		m.audit_error_key_invalid({ source: s(p, 'source'), min: s(p, 'min') }, o),
	audit_anchor_unreadable: (p, o) =>
		m.audit_error_anchor_unreadable({ file: s(p, 'file'), reason: s(p, 'reason') }, o),
	audit_anchor_write_failed: (p, o) =>
		m.audit_error_anchor_write_failed(
			{ file: s(p, 'file'), seq: s(p, 'seq'), reason: s(p, 'reason') },
			o
		)
} satisfies Record<string, Wording>;

export type ProblemCode = keyof typeof WORDINGS;

/** Every code there is (tests check each is worded in both languages). */
export const PROBLEM_CODES = Object.keys(WORDINGS) as ProblemCode[];

export function isProblemCode(code: unknown): code is ProblemCode {
	return typeof code === 'string' && Object.hasOwn(WORDINGS, code);
}

/** The sentence for a problem, in `locale` (default: the request's language). */
export function messageOf(code: ProblemCode, params: Params = {}, locale?: Locale): string {
	return WORDINGS[code](params, locale ? { locale } : {});
}

/** One problem among several: which field, what is wrong. */
export interface ProblemDetail {
	field?: string;
	code: ProblemCode;
	params?: Params;
}

/** A detail as the API and the CLI's JSON give it: its field as `path`, its code and sentence. */
export function describeDetail(
	d: ProblemDetail,
	locale?: Locale
): { path?: string; code: ProblemCode; message: string } {
	const message = messageOf(d.code, d.params, locale);
	return d.field === undefined
		? { code: d.code, message }
		: { path: d.field, code: d.code, message };
}

/**
 * An expected refusal of a domain verb: the input was valid in itself but the data says no
 * (a taken code, a closed rectification, a year already published). Pages show it next to
 * `field` (or atop the form), the API answers it as its error document, the CLI prints it; all
 * three word it with `messageOf`. Anything else thrown is a bug and reaches `handleError`.
 */
export class DomainError extends Error {
	readonly params: Params;
	/** The form field or file column the refusal is about, when there is one. */
	readonly field: string | undefined;
	/** Each of several problems behind the refusal (e.g. every bad setting), for the API and CLI. */
	readonly details: readonly ProblemDetail[];

	constructor(
		readonly code: ProblemCode,
		opts: { params?: Params; field?: string; details?: readonly ProblemDetail[] } = {}
	) {
		super(code);
		this.name = 'DomainError';
		this.params = opts.params ?? {};
		this.field = opts.field;
		this.details = opts.details ?? [];
	}
}

// Refusals that say the data changed or is in a state that forbids the change (HTTP 409), as
// opposed to input the data does not accept (422).
const CONFLICTS: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
	'two_factor_already_enrolled',
	'two_factor_not_enrolled',
	'department_code_taken',
	'username_taken',
	'finding_no_taken',
	'campaign_code_taken',
	'questionnaire_code_taken',
	'campaign_not_draft',
	'campaign_not_active',
	'campaign_closed',
	'year_exists',
	'calendar_day_exists',
	'calendar_day_listed_as_other',
	'exemption_exists',
	'category_unchanged',
	'department_referenced',
	'token_already_revoked',
	'finding_already_confirmed',
	'finding_already_withdrawn',
	'finding_already_disputed',
	'finding_dispute_used',
	'finding_not_disputable',
	'settings_frozen',
	'draft_stale',
	'draft_already_published',
	'computation_running',
	'rectification_closed',
	'rectification_cancelled',
	'rectification_leader_unchanged',
	'last_admin',
	'response_key_conflict',
	'invitation_answered',
	'response_key_busy',
	'response_year_published',
	'sample_campaign_closed',
	'sample_has_invitations',
	'sample_nothing_to_assign',
	'invitation_campaign_closed',
	'invitation_no_sample',
	'console_not_active',
	'console_channel',
	'phone_unit_done',
	'review_already_voided',
	'user_enterprise_taken',
	'open_link_unavailable',
	'complaint_action_not_allowed',
	'complaint_already_extended',
	'complaint_not_sanctionable',
	'complaint_response_pending',
	'complaint_import_handled_here',
	'problem_action_not_allowed',
	'problem_already_complaint',
	'problem_already_finding',
	'problem_already_reported'
]);

// Refusals with a status of their own: something the reader may not see (403), results not
// there (404), and stored data that fails its integrity check — the server's fault, not the
// request's (500).
const OWN_STATUS: Partial<Record<ProblemCode, 403 | 404 | 429 | 500>> = {
	results_forbidden: 403,
	complaint_stats_forbidden: 403,
	visit_summary_forbidden: 403,
	sample_reveal_forbidden: 403,
	phone_not_assigned: 403,
	review_forbidden: 403,
	review_identity_forbidden: 403,
	invitation_invalid: 404,
	invitation_throttled: 429,
	complaint_throttled: 429,
	complaint_forbidden: 403,
	visit_forbidden: 403,
	problem_forbidden: 403,
	complaint_tracking_invalid: 404,
	not_published: 404,
	digest_mismatch: 500
};

/**
 * The HTTP status of a refusal: 404 when what it is about does not exist, 409 when the data's
 * state forbids it, 403 or 500 for the few that say so, 422 otherwise. The API answers with it;
 * pages and forms use it for their error or failure.
 */
export function httpStatusOf(code: ProblemCode): 403 | 404 | 409 | 422 | 429 | 500 {
	const own = OWN_STATUS[code];
	if (own) return own;
	if (code.endsWith('_not_found')) return 404;
	return CONFLICTS.has(code) ? 409 : 422;
}

/** Whether `e` is a refusal with one of `codes` (any refusal when none are given). */
export function isDomainError(e: unknown, ...codes: ProblemCode[]): e is DomainError {
	return e instanceof DomainError && (codes.length === 0 || codes.includes(e.code));
}

// --- zod -------------------------------------------------------------------------------------

type Ctx = z.core.$RefinementCtx<unknown>;

/**
 * Reports a problem from inside a zod `transform`/`superRefine`: a custom issue whose message is
 * the code and whose params fill the message. Returns `z.NEVER`'s value for `return problem(…)`.
 */
export function problem(
	ctx: Ctx,
	code: ProblemCode,
	params: Params = {},
	path?: (string | number)[]
): never {
	ctx.addIssue({ code: 'custom', message: code, params, ...(path ? { path } : {}) });
	return undefined as never;
}

/** Values of a zod issue as message params: its bounds, the offending value, the choices. */
function issueParams(issue: z.core.$ZodIssue): Params {
	const p: Params = {};
	const i = issue as {
		minimum?: unknown;
		maximum?: unknown;
		input?: unknown;
		values?: unknown[];
		params?: Params;
	};
	if (typeof i.minimum === 'number' || typeof i.minimum === 'bigint') p.min = Number(i.minimum);
	if (typeof i.maximum === 'number' || typeof i.maximum === 'bigint') p.max = Number(i.maximum);
	if (typeof i.input === 'string' || typeof i.input === 'number') p.value = i.input;
	if (Array.isArray(i.values)) p.choices = i.values.map(String).join(', ');
	return { ...p, ...(i.params ?? {}) };
}

const blank = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The code of one of zod's own issues, decided where the offending input is still at hand (zod
 * drops it from the issues it reports): a missing value is `required`, text where a number
 * belongs `not_a_number`, and so on. Installed below as zod's error map, so every schema of the
 * product reports codes, whichever module runs it.
 */
function builtInCode(issue: z.core.$ZodRawIssue): ProblemCode {
	const input = issue.input;
	switch (issue.code) {
		case 'invalid_type':
			if (blank(input)) return 'required';
			if (issue.expected === 'int') return 'whole_number';
			return issue.expected === 'number' ? 'not_a_number' : 'invalid';
		case 'too_small':
			if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'required' : 'too_short';
			if (issue.origin === 'array' || issue.origin === 'set') return 'required';
			return 'number_min';
		case 'too_big':
			return issue.origin === 'string' ? 'too_long' : 'number_max';
		case 'invalid_value':
			return blank(input) ? 'required' : 'choice';
		case 'unrecognized_keys':
			return 'unknown_field';
		default:
			return 'invalid';
	}
}

z.config({ customError: (issue) => builtInCode(issue) });

/** The code of a zod issue: the one the schema named, else `invalid`. */
export function issueCode(issue: z.core.$ZodIssue): ProblemCode {
	return isProblemCode(issue.message) ? issue.message : 'invalid';
}

/** One zod issue as a sentence in `locale` (default: the request's language). */
export function issueMessage(issue: z.core.$ZodIssue, locale?: Locale): string {
	return messageOf(issueCode(issue), issueParams(issue), locale);
}

/** A form's problems: the first of each field, keyed by its dotted path (`_form`: the whole). */
export type FieldErrors = Record<string, string>;

/** The first problem of each field, worded, keyed by the field's path (`a.b` for nested ones). */
export function fieldErrors(error: z.ZodError, locale?: Locale): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.map(String).join('.') || '_form';
		out[key] ??= issueMessage(issue, locale);
	}
	return out;
}
