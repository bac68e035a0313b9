// The longest response key and text answer: the response rules' ($lib/schemas/responses), and
// the respondent's form's (which must not load zod to know them).

/** The longest `response_key`, after trimming. */
export const RESPONSE_KEY_MAX = 200;
/** The longest text answer, in characters, after trimming. */
export const TEXT_ANSWER_MAX = 4000;
