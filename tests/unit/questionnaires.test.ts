// The questionnaire builder's rules (its form, its steps, rating slots) and the respondent's form
// for every question kind, required or optional.
import { describe, expect, it } from 'vitest';
import {
	applyEdit,
	blankQuestion,
	MAX_RATING_QUESTIONS,
	ratingSlots,
	type Draft,
	type DraftQuestion
} from '$lib/domain/questionnaires';
import {
	createQuestionnaireSchema,
	draftOfForm,
	editOfIntent,
	fieldsOf,
	versionSchema
} from '$lib/schemas/questionnaires';
import { answerField, type FormQuestion } from '$lib/domain/respondent-form';
import { respondentSchema } from '$lib/schemas/respondent';
import { choiceAnswer } from '$lib/schemas/responses';

const q = (over: Partial<DraftQuestion>): DraftQuestion => ({
	...blankQuestion(),
	textZh: '题',
	textEn: 'Q',
	...over
});
const draft = (...questions: DraftQuestion[]): Draft => ({
	titleZh: '问卷',
	titleEn: 'Questionnaire',
	questions
});
const issues = (form: Record<string, unknown>) => {
	const r = versionSchema.safeParse(form);
	return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};
const choice = (code: string, kind: 'single' | 'multiple', codes = ['a', 'b']) =>
	q({
		code,
		kind,
		dimension: '',
		options: codes.map((c) => ({ code: c, textZh: c, textEn: c }))
	});

describe('the builder form', () => {
	it('reads back what it writes', () => {
		const d = draft(
			q({ code: 'r1', dimension: 'convenience' }),
			q({ code: 't', kind: 'long_text', dimension: '', required: false }),
			choice('c', 'multiple', ['x', 'y', 'z'])
		);
		expect(draftOfForm(fieldsOf(d))).toEqual(d);
		expect(versionSchema.parse(fieldsOf(d)).questions.map((x) => x.dimension)).toEqual([
			'convenience',
			null,
			null
		]);
	});

	it('accepts a valid version', () => {
		expect(issues(fieldsOf(draft(q({ code: 'a' }), choice('b', 'single'))))).toEqual([]);
	});

	it.each<[string, Draft, [string, string][]]>([
		['no questions', draft(), [['_form', 'questionnaire_no_questions']]],
		['a missing code', draft(q({ code: '' })), [['q.0.code', 'required']]],
		['a bad code', draft(q({ code: 'a b' })), [['q.0.code', 'questionnaire_code_format']]],
		[
			'a repeated code',
			draft(q({ code: 'a' }), q({ code: 'a' })),
			[['q.1.code', 'questionnaire_code_repeated']]
		],
		['a missing English text', draft(q({ code: 'a', textEn: ' ' })), [['q.0.textEn', 'required']]],
		[
			'a choice with one option (a blank second row is added)',
			draft(choice('c', 'single', ['a'])),
			[
				['q.0.o.1.code', 'required'],
				['q.0.o.1.textEn', 'required'],
				['q.0.o.1.textZh', 'required']
			]
		],
		[
			'a repeated option code',
			draft(choice('c', 'multiple', ['a', 'a'])),
			[['q.0.o.1.code', 'questionnaire_code_repeated']]
		],
		[
			'more ratings than slots',
			draft(...Array.from({ length: MAX_RATING_QUESTIONS + 1 }, (_, i) => q({ code: `r${i}` }))),
			[[`q.${MAX_RATING_QUESTIONS}.kind`, 'questionnaire_too_many_ratings']]
		]
	])('refuses %s', (_, d, expected) => {
		expect(issues(fieldsOf(d)).sort()).toEqual(expected.sort());
	});

	it('drops options of a question that is no longer a choice', () => {
		const form = fieldsOf(draft(choice('c', 'single')));
		form['q.0.kind'] = 'text';
		expect(draftOfForm(form).questions[0]!.options).toEqual([]);
	});

	it('checks a new questionnaire code', () => {
		expect(
			createQuestionnaireSchema.safeParse({ code: 'new', titleZh: 'a', titleEn: 'b' }).success
		).toBe(false);
		expect(createQuestionnaireSchema.parse({ code: ' v2 ', titleZh: 'a', titleEn: 'b' }).code).toBe(
			'v2'
		);
	});
});

describe('builder steps', () => {
	const d = draft(q({ code: 'a' }), q({ code: 'b' }), choice('c', 'single'));
	const codes = (x: Draft) => x.questions.map((y) => y.code);

	it.each<[string, string[]]>([
		['add', ['a', 'b', 'c', '']],
		['up:1', ['b', 'a', 'c']],
		['down:1', ['a', 'c', 'b']],
		['up:0', ['a', 'b', 'c']],
		['down:2', ['a', 'b', 'c']],
		['remove:0', ['b', 'c']],
		['remove:9', ['a', 'b', 'c']],
		['refresh', ['a', 'b', 'c']]
	])('%s', (intent, expected) => {
		expect(codes(applyEdit(d, editOfIntent(intent)!))).toEqual(expected);
	});

	it('adds and removes options', () => {
		const added = applyEdit(d, editOfIntent('add_option:2')!);
		expect(added.questions[2]!.options).toHaveLength(3);
		const removed = applyEdit(d, editOfIntent('remove_option:2:0')!);
		expect(removed.questions[2]!.options.map((o) => o.code)).toEqual(['b']);
		// The draft given is not changed.
		expect(d.questions[2]!.options).toHaveLength(2);
	});

	it('saves when no step is named', () => {
		expect(editOfIntent(undefined)).toBeNull();
		expect(editOfIntent('save')).toBeNull();
	});

	it('gives ratings slots 1, 2, … in order', () => {
		expect(
			ratingSlots([{ kind: 'text' }, { kind: 'rating' }, { kind: 'single' }, { kind: 'rating' }])
		).toEqual([null, 1, null, 2]);
	});
});

describe('choice answers (the API)', () => {
	it.each<[string, unknown, 'single' | 'multiple', string[] | null]>([
		['one option', 'a', 'single', ['a']],
		['trimmed', ' a ', 'single', ['a']],
		['not an option', 'x', 'single', null],
		['a list for single', ['a'], 'single', null],
		['a list', ['b', 'a'], 'multiple', ['b', 'a']],
		['a text for multiple', 'a', 'multiple', null],
		['an empty list', [], 'multiple', null],
		['a repeat', ['a', 'a'], 'multiple', null],
		['a number', [1], 'multiple', null]
	])('%s', (_, answer, kind, expected) => {
		expect(choiceAnswer(answer, kind, ['a', 'b'])).toEqual(expected);
	});
});

describe('the respondent form, every kind', () => {
	const questions: FormQuestion[] = [
		{ code: 'r', kind: 'rating', required: true },
		{ code: 'ro', kind: 'rating', required: false },
		{ code: 's', kind: 'single', required: true, options: [{ code: 'a' }, { code: 'b' }] },
		{ code: 'm', kind: 'multiple', required: false, options: [{ code: 'a' }, { code: 'b' }] },
		{ code: 't', kind: 'text', required: true },
		{ code: 'l', kind: 'long_text', required: false }
	];
	const schema = respondentSchema(questions, ['D1', 'D2']);
	const f = (kind: FormQuestion['kind'], code: string, d = 'D1') => answerField(kind, d, code);
	const problems = (form: Record<string, unknown>) => {
		const r = schema.safeParse({ response_key: 'k', d: 'D1', ...form });
		return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]).sort();
	};

	it('names fields by kind', () => {
		expect(
			['rating', 'single', 'multiple', 'text', 'long_text'].map((k) => f(k as never, 'x'))
		).toEqual(['r:D1:x', 'c:D1:x', 'c:D1:x', 't:D1:x', 't:D1:x']);
	});

	it('asks every required question, of any kind, and no optional one', () => {
		expect(problems({})).toEqual([
			['c:D1:s', 'respondent_answer_required'],
			['r:D1:r', 'respondent_rating_required'],
			['t:D1:t', 'respondent_answer_required']
		]);
	});

	it('gives the answers as the API takes them', () => {
		const r = schema.parse({
			response_key: 'k',
			d: 'D1',
			[f('rating', 'r')]: '5',
			[f('single', 's')]: 'b',
			[f('multiple', 'm')]: ['a', 'b'],
			[f('text', 't')]: ' 慢 ',
			[f('long_text', 'l')]: ''
		});
		expect(r.answers.map((x) => [x.question_code, x.answer])).toEqual([
			['r', 5],
			['s', 'b'],
			['m', ['a', 'b']],
			['t', '慢']
		]);
	});

	it.each<[string, Record<string, unknown>, string]>([
		['an unknown option', { s: 'z' }, 'c:D1:s'],
		['two options for a single choice', { s: ['a', 'b'] }, 'c:D1:s'],
		['an unknown option among several', { m: ['a', 'z'] }, 'c:D1:m']
	])('refuses %s', (_, raw, field) => {
		const form = Object.fromEntries(
			Object.entries(raw).map(([k, v]) => [f(k === 's' ? 'single' : 'multiple', k), v])
		);
		expect(
			problems({ [f('rating', 'r')]: '3', [f('text', 't')]: 'x', [f('single', 's')]: 'a', ...form })
		).toEqual([[field, 'response_choice']]);
	});

	it('keeps the old rule when a question does not say: ratings required, the rest optional', () => {
		const old = respondentSchema(
			[
				{ code: 'r', kind: 'rating' },
				{ code: 't', kind: 'text' }
			],
			['D1']
		).safeParse({ response_key: 'k', d: 'D1' });
		expect(old.error!.issues.map((i) => i.path.join('.'))).toEqual(['r:D1:r']);
	});
});
