// What to tell a person (page, API client or CLI) when a campaign or a response is refused, in
// their language. A response's problems are worded here and only here, whichever path found
// them (the API in TypeScript, the import in SQL): one entry per code.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { ProblemParams, ResponseProblem, ResponseProblemCode } from '$lib/schemas/responses';
import type { CampaignError } from './campaigns';

type Options = { locale?: Locale };

export function campaignErrorMessage(e: CampaignError, options?: Options): string {
	switch (e.code) {
		case 'code_taken':
			return m.campaigns_error_code_taken({}, options);
		case 'questionnaire_not_found':
			return m.campaigns_error_questionnaire({ code: e.value ?? '' }, options);
	}
}

/** A value from the input shown in a message: a long one cut short. */
function shown(value: string | number | undefined): string {
	const s = String(value ?? '');
	return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

const str = (p: ProblemParams, k: string) => String(p[k] ?? '');
const num = (p: ProblemParams, k: string) => Number(p[k] ?? 0);

const RESPONSE_MESSAGES: Record<ResponseProblemCode, (p: ProblemParams, o: Options) => string> = {
	required: (_, o) => m.responses_error_required({}, o),
	too_long: (p, o) => m.responses_error_too_long({ max: num(p, 'max') }, o),
	type: (p, o) => {
		const expected =
			p.expected === 'text'
				? m.responses_type_text({}, o)
				: p.expected === 'list'
					? m.responses_type_list({}, o)
					: m.responses_type_object({}, o);
		return m.responses_error_type({ expected }, o);
	},
	unknown_field: (_, o) => m.responses_error_unknown_field({}, o),
	nul: (_, o) => m.responses_error_nul({}, o),
	response_key_characters: (_, o) => m.responses_error_key_characters({}, o),
	response_key_conflict: (p, o) => m.responses_error_key_conflict({ key: shown(p.key) }, o),
	response_key_busy: (_, o) => m.responses_error_key_busy({}, o),
	response_channel: (p, o) => m.responses_error_channel({ value: shown(p.value) }, o),
	response_submitted_at: (p, o) => m.responses_error_submitted_at({ value: shown(p.value) }, o),
	response_outside_year: (p, o) => m.responses_error_outside_year({ year: num(p, 'year') }, o),
	response_outside_campaign: (p, o) =>
		m.responses_error_outside_campaign({ first: str(p, 'first'), last: str(p, 'last') }, o),
	response_year_published: (p, o) => m.responses_error_year_published({ year: num(p, 'year') }, o),
	response_no_answers: (_, o) => m.responses_error_no_answers({}, o),
	response_too_many_answers: (p, o) =>
		m.responses_error_too_many_answers({ max: num(p, 'max') }, o),
	response_campaign_not_found: (p, o) => m.responses_error_campaign({ code: shown(p.code) }, o),
	response_department_not_found: (p, o) => m.responses_error_department({ code: shown(p.code) }, o),
	response_question_not_found: (p, o) =>
		m.responses_error_question(
			{ code: shown(p.code), questionnaire: str(p, 'questionnaire'), codes: str(p, 'codes') },
			o
		),
	response_rating: (p, o) => m.responses_error_rating({ value: shown(p.value) }, o),
	response_text: (p, o) => m.responses_error_text({ max: num(p, 'max') }, o),
	response_answer_repeated: (p, o) =>
		m.responses_error_duplicate_answer(
			{ department: shown(p.department), question: shown(p.question), first: where(p, o) },
			o
		),
	response_inconsistent: (p, o) =>
		m.responses_import_inconsistent({ key: shown(p.key), first: where(p, o) }, o)
};

/** Where an earlier answer is: a path into the API body, or a line of the file. */
function where(p: ProblemParams, o: Options): string {
	return p.line !== undefined ? m.responses_at_line({ line: num(p, 'line') }, o) : str(p, 'path');
}

/** A response's problem in the given language (the request's, when none is given). */
export function responseMessage(p: ResponseProblem, locale?: Locale): string {
	return RESPONSE_MESSAGES[p.code](p.params ?? {}, locale ? { locale } : {});
}
