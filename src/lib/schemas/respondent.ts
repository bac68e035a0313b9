// The respondent's form (the invitation page, the consoles): which departments the respondent
// dealt with, and for each of them an answer to the questions — every question is asked about
// each department picked. A rating is a level 1–5 or 0 for "don't know", a single choice one
// option's code, a multiple choice one or more; a question marked required must be answered. One schema for the browser (checked before sending) and the
// server (checked again, as always); its output is the answers of a response as the API takes
// them, so the response itself is then checked by the one definition in ./responses.
import { z } from 'zod';
import { isChoice } from '$lib/domain/questionnaires';
import {
	answerField,
	isRequired,
	pickedOf,
	type FormQuestion,
	type RespondentAnswers
} from '$lib/domain/respondent-form';
import { problem } from '$lib/errors';
import { RESPONSE_KEY_MAX, TEXT_ANSWER_MAX } from '$lib/domain/response-limits';

/**
 * The form of a respondent about the campaign's target departments (`targets`): the
 * departments picked (`d`), every rating question answered for each of them (field errors name
 * the field), text answers optional and bounded, and the response key the page gave (the same
 * key on every retry, so that a response is stored once). Whether a department was answered
 * about already is the server's to say (a retry of the same response is not a second answer).
 */
export function respondentSchema(questions: readonly FormQuestion[], targets: readonly string[]) {
	return z.record(z.string(), z.unknown()).transform((form, ctx): RespondentAnswers => {
		const key = typeof form.response_key === 'string' ? form.response_key.trim() : '';
		if (key === '' || key.length > RESPONSE_KEY_MAX)
			problem(ctx, 'respondent_key', {}, ['response_key']);
		const departments = pickedOf(form.d);
		const outside = departments.find((d) => !targets.includes(d));
		if (outside !== undefined) problem(ctx, 'invitation_department', { code: outside }, ['_form']);
		if (departments.length === 0) problem(ctx, 'respondent_no_departments', {}, ['_form']);
		const answers: RespondentAnswers['answers'] = [];
		for (const d of departments)
			for (const q of questions) {
				const field = answerField(q.kind, d, q.code);
				const answer = { department_code: d, question_code: q.code };
				if (q.kind === 'rating') {
					const raw = typeof form[field] === 'string' ? (form[field] as string).trim() : '';
					if (raw === '' && !isRequired(q)) continue;
					if (!/^[0-5]$/.test(raw)) {
						problem(ctx, 'respondent_rating_required', {}, [field]);
						continue;
					}
					answers.push({ ...answer, answer: Number(raw) });
				} else if (isChoice(q.kind)) {
					const codes = (q.options ?? []).map((o) => o.code);
					const picked = pickedOf(form[field]).filter((v) => v !== '');
					if (picked.length === 0) {
						if (isRequired(q)) problem(ctx, 'respondent_answer_required', {}, [field]);
						continue;
					}
					if (
						picked.some((v) => !codes.includes(v)) ||
						(q.kind === 'single' && picked.length > 1)
					) {
						problem(ctx, 'response_choice', { choices: codes.join(', ') }, [field]);
						continue;
					}
					answers.push({ ...answer, answer: q.kind === 'single' ? picked[0]! : picked });
				} else {
					const raw = typeof form[field] === 'string' ? (form[field] as string).trim() : '';
					if (raw === '') {
						if (isRequired(q)) problem(ctx, 'respondent_answer_required', {}, [field]);
						continue;
					}
					if (raw.length > TEXT_ANSWER_MAX) {
						problem(ctx, 'respondent_text_long', { max: TEXT_ANSWER_MAX }, [field]);
						continue;
					}
					answers.push({ ...answer, answer: raw });
				}
			}
		return { response_key: key, departments, answers };
	});
}
