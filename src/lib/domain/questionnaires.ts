// Questionnaires (product.md, surveys): the kinds of question a questionnaire asks. Rating
// answers are levels 1–5 or 0 for "don't know", stored in a rating slot; choice answers are
// options of the question; text answers are free text, short or long.

export const QUESTION_KINDS = ['rating', 'single', 'multiple', 'text', 'long_text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Kinds answered by picking options of the question. */
export const isChoice = (kind: QuestionKind) => kind === 'single' || kind === 'multiple';
/** Kinds answered in free text. */
export const isText = (kind: QuestionKind) => kind === 'text' || kind === 'long_text';
