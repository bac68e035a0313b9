// Questionnaires (product.md, surveys): the kinds of question a questionnaire asks. Rating
// answers are levels 1–5 or 0 for "don't know", stored in a rating slot; choice answers are
// options of the question; text answers are free text, short or long.

export const QUESTION_KINDS = ['rating', 'single', 'multiple', 'text', 'long_text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Kinds answered by picking options of the question. */
export const isChoice = (kind: QuestionKind) => kind === 'single' || kind === 'multiple';
/** Kinds answered in free text. */
export const isText = (kind: QuestionKind) => kind === 'text' || kind === 'long_text';

/** The dimension a rating counts towards (scoring.md §2.4). */
export const RATING_DIMENSIONS = ['appraisal', 'convenience'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

/** A response stores its ratings in twelve typed slots (`survey_rating.r1` … `r12`). */
export const MAX_RATING_QUESTIONS = 12;
/** A choice question offers at least two options. */
export const MIN_OPTIONS = 2;

/** The built-in questionnaire of spec/exchange.md: its version 1 is never edited in place. */
export const BUILT_IN_QUESTIONNAIRE = 'standard-appraisal';

/** An option of a choice question, as the builder edits it. */
export interface DraftOption {
	code: string;
	textZh: string;
	textEn: string;
}

/** A question as the builder edits it (before the checks of schemas/questionnaires). */
export interface DraftQuestion {
	code: string;
	kind: QuestionKind;
	textZh: string;
	textEn: string;
	required: boolean;
	/** Ratings only; '' until chosen. */
	dimension: RatingDimension | '';
	/** Choice kinds only. */
	options: DraftOption[];
}

/** A questionnaire version as the builder edits it. */
export interface Draft {
	titleZh: string;
	titleEn: string;
	questions: DraftQuestion[];
}

/**
 * A step of the builder that changes the draft without saving it (the page works without
 * JavaScript: each button posts the whole draft and one of these).
 */
export type DraftEdit =
	| { op: 'add' | 'refresh' }
	| { op: 'remove' | 'up' | 'down' | 'add_option'; question: number }
	| { op: 'remove_option'; question: number; option: number };

export const blankQuestion = (): DraftQuestion => ({
	code: '',
	kind: 'rating',
	textZh: '',
	textEn: '',
	required: true,
	dimension: 'appraisal',
	options: []
});

const blankOption = (): DraftOption => ({ code: '', textZh: '', textEn: '' });

/** The draft after one builder step; steps naming no question leave it as it is. */
export function applyEdit(draft: Draft, edit: DraftEdit): Draft {
	const questions = draft.questions.map((q) => ({ ...q, options: [...q.options] }));
	if (edit.op === 'refresh') return draft;
	if (edit.op === 'add') return { ...draft, questions: [...questions, blankQuestion()] };
	const i = 'question' in edit ? edit.question : -1;
	const q = questions[i];
	if (!q) return draft;
	switch (edit.op) {
		case 'remove':
			questions.splice(i, 1);
			break;
		case 'up':
		case 'down': {
			const j = edit.op === 'up' ? i - 1 : i + 1;
			if (j < 0 || j >= questions.length) return draft;
			[questions[i], questions[j]] = [questions[j]!, q];
			break;
		}
		case 'add_option':
			q.options.push(blankOption());
			break;
		case 'remove_option':
			q.options.splice(edit.option, 1);
			break;
	}
	return { ...draft, questions };
}

/**
 * The rating slot of each question, in questionnaire order: ratings take slots 1, 2, … as they
 * come; other kinds have none.
 */
export function ratingSlots(questions: readonly { kind: QuestionKind }[]): (number | null)[] {
	let next = 0;
	return questions.map((q) => (q.kind === 'rating' ? ++next : null));
}
