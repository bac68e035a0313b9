// The evaluation-year forms: a year and its settings (scoring.md §1) as flat form fields named
// by the settings' dotted paths (`weights.work`), and the publication form. Problems are codes of
// `$lib/errors`; `settingsProblems` of the domain adds the rules across fields.
import { z } from 'zod';
import { DIMENSIONS, settingsProblems, type EvaluationSettings } from '$lib/domain/scoring';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { problem } from '$lib/errors';

export const SETTINGS_FIELDS = [
	'weights.work',
	'weights.convenience',
	'weights.complaints',
	'weights.appraisal',
	'commended.municipal',
	'commended.vertical',
	'rectificationBottom',
	'workBonusCap',
	'complaintDeductions.substantiated',
	'complaintDeductions.partial',
	'complaintDeductions.unfounded',
	'complaintDeductions.lateResponse',
	'complaintResponseWorkingDays',
	'convenienceCaseShare',
	'minimumResponses',
	'rectificationDays'
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

const blankToUndefined = (v: unknown) =>
	typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v;

/** A non-negative number from a form field; whole when `integer`. */
function amount(max: number, integer = false) {
	let n = z
		.number({ error: (issue) => (issue.input === undefined ? 'required' : 'not_a_number') })
		.min(0, 'settings_negative')
		.max(max);
	if (integer) n = n.int('settings_not_integer');
	return z.preprocess(blankToUndefined, n);
}

const share = z.preprocess(
	blankToUndefined,
	z
		.number({ error: (issue) => (issue.input === undefined ? 'required' : 'not_a_number') })
		.min(0, 'settings_not_share')
		.max(1, 'settings_not_share')
);

const settingsShape = {
	'weights.work': amount(100),
	'weights.convenience': amount(100),
	'weights.complaints': amount(100),
	'weights.appraisal': amount(100),
	'commended.municipal': amount(1000, true),
	'commended.vertical': amount(1000, true),
	rectificationBottom: amount(1000, true),
	workBonusCap: amount(100),
	'complaintDeductions.substantiated': amount(100),
	'complaintDeductions.partial': amount(100),
	'complaintDeductions.unfounded': amount(100),
	'complaintDeductions.lateResponse': amount(100),
	complaintResponseWorkingDays: amount(365, true),
	convenienceCaseShare: share,
	minimumResponses: amount(1_000_000, true),
	rectificationDays: amount(3650, true)
} satisfies Record<SettingsField, z.ZodType>;

const yearField = z.preprocess(
	blankToUndefined,
	z
		.number({ error: (issue) => (issue.input === undefined ? 'required' : 'year_invalid') })
		.int('year_invalid')
		.min(MIN_YEAR, 'year_invalid')
		.max(MAX_YEAR, 'year_invalid')
);

const settingsObject = z.object(settingsShape);
type SettingsForm = z.infer<typeof settingsObject>;

export function settingsOfForm(f: SettingsForm): EvaluationSettings {
	return {
		weights: {
			work: f['weights.work'],
			convenience: f['weights.convenience'],
			complaints: f['weights.complaints'],
			appraisal: f['weights.appraisal']
		},
		commended: { municipal: f['commended.municipal'], vertical: f['commended.vertical'] },
		rectificationBottom: f.rectificationBottom,
		workBonusCap: f.workBonusCap,
		complaintDeductions: {
			substantiated: f['complaintDeductions.substantiated'],
			partial: f['complaintDeductions.partial'],
			unfounded: f['complaintDeductions.unfounded'],
			lateResponse: f['complaintDeductions.lateResponse']
		},
		complaintResponseWorkingDays: f.complaintResponseWorkingDays,
		convenienceCaseShare: f.convenienceCaseShare,
		minimumResponses: f.minimumResponses,
		rectificationDays: f.rectificationDays
	};
}

/** The settings as the form's field values. */
export function formOfSettings(s: EvaluationSettings): Record<SettingsField, string> {
	return {
		'weights.work': String(s.weights.work),
		'weights.convenience': String(s.weights.convenience),
		'weights.complaints': String(s.weights.complaints),
		'weights.appraisal': String(s.weights.appraisal),
		'commended.municipal': String(s.commended.municipal),
		'commended.vertical': String(s.commended.vertical),
		rectificationBottom: String(s.rectificationBottom),
		workBonusCap: String(s.workBonusCap),
		'complaintDeductions.substantiated': String(s.complaintDeductions.substantiated),
		'complaintDeductions.partial': String(s.complaintDeductions.partial),
		'complaintDeductions.unfounded': String(s.complaintDeductions.unfounded),
		'complaintDeductions.lateResponse': String(s.complaintDeductions.lateResponse),
		complaintResponseWorkingDays: String(s.complaintResponseWorkingDays),
		convenienceCaseShare: String(s.convenienceCaseShare),
		minimumResponses: String(s.minimumResponses),
		rectificationDays: String(s.rectificationDays)
	};
}

/** The rules across fields (weights summing to 100 …), on the fields they are about. */
function settingsRules(settings: EvaluationSettings, ctx: z.RefinementCtx) {
	for (const p of settingsProblems(settings)) {
		const sum = DIMENSIONS.reduce((acc, d) => acc + settings.weights[d], 0);
		problem(ctx, `settings_${p.problem}`, { sum: String(sum) }, [p.field]);
	}
}

/** A year's settings form: the settings, checked field by field and across fields. */
export const settingsFormSchema = settingsObject
	.transform((f) => ({ settings: settingsOfForm(f) }))
	.superRefine((v, ctx) => settingsRules(v.settings, ctx));

/** A new year's form: the year and its settings. */
export const yearFormSchema = z
	.object({ year: yearField, ...settingsShape })
	.transform((f) => ({ year: f.year, settings: settingsOfForm(f) }))
	.superRefine((v, ctx) => settingsRules(v.settings, ctx));

export const NOTE_MAX = 2000;

const optionalText = z.preprocess(
	(v) => (typeof v === 'string' ? v : ''),
	z.string().trim().max(NOTE_MAX)
);

export const publishFormSchema = z.object({
	note: optionalText,
	reason: optionalText,
	confirm: z.literal('yes', { error: 'confirm_required' }),
	/**
	 * The draft the reader reviewed: publishing refuses if a newer one replaced it. A missing or
	 * tampered id matches no draft, so the verb refuses it the same way ("stale").
	 */
	draftId: z.coerce.number().int().positive().catch(0)
});
