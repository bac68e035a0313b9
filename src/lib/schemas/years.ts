// The evaluation-year forms: a year and its settings (scoring.md §1) as flat form fields named
// by the settings' dotted paths (`weights.work`), the publication form, and their messages in
// the user's language. `settingsProblems` of the domain adds the rules across fields.
import { z } from 'zod';
import {
	DIMENSIONS,
	settingsProblems,
	type EvaluationSettings,
	type SettingsProblem
} from '$lib/domain/scoring';
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';

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
		.number({
			error: (issue) =>
				issue.input === undefined ? m.common_required() : m.evaluation_settings_not_number()
		})
		.min(0, { error: () => m.evaluation_settings_negative() })
		.max(max, { error: () => m.form_number_max({ max }) });
	if (integer) n = n.int({ error: () => m.evaluation_settings_not_integer() });
	return z.preprocess(blankToUndefined, n);
}

const share = z.preprocess(
	blankToUndefined,
	z
		.number({
			error: (issue) =>
				issue.input === undefined ? m.common_required() : m.evaluation_settings_not_number()
		})
		.min(0, { error: () => m.evaluation_settings_not_share() })
		.max(1, { error: () => m.evaluation_settings_not_share() })
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

export const settingsFormSchema = z.object(settingsShape);

export const yearFormSchema = z.object({
	year: z.preprocess(
		blankToUndefined,
		z
			.number({
				error: (issue) =>
					issue.input === undefined ? m.common_required() : m.evaluation_error_year_invalid()
			})
			.int({ error: () => m.evaluation_error_year_invalid() })
			.min(MIN_YEAR, { error: () => m.evaluation_error_year_invalid() })
			.max(MAX_YEAR, { error: () => m.evaluation_error_year_invalid() })
	),
	...settingsShape
});

type SettingsForm = z.infer<typeof settingsFormSchema>;

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

/** A settings problem of the domain in words; `weights` (their sum) goes to the weights group. */
export function settingsProblemMessage(p: SettingsProblem, s: EvaluationSettings): string {
	switch (p.problem) {
		case 'weights_sum':
			return m.evaluation_settings_weights_sum({
				sum: String(DIMENSIONS.reduce((acc, d) => acc + s.weights[d], 0))
			});
		case 'negative':
			return m.evaluation_settings_negative();
		case 'not_integer':
			return m.evaluation_settings_not_integer();
		case 'not_share':
			return m.evaluation_settings_not_share();
	}
}

export type FormErrors = Record<string, string>;

/**
 * Reads a settings form (with `year` when `withYear`): the values as typed, and either the
 * year and settings or the errors by field, every message in the user's language.
 */
export function readSettingsForm(
	form: Record<string, unknown>,
	withYear: boolean
):
	| { ok: true; year: number | null; settings: EvaluationSettings; values: Record<string, string> }
	| { ok: false; values: Record<string, string>; errors: FormErrors } {
	const names = withYear ? ['year', ...SETTINGS_FIELDS] : [...SETTINGS_FIELDS];
	const values = Object.fromEntries(names.map((n) => [n, String(form[n] ?? '')]));
	const parsed = (withYear ? yearFormSchema : settingsFormSchema).safeParse(form);
	if (!parsed.success) {
		const errors: FormErrors = {};
		for (const issue of parsed.error.issues) {
			const key = issue.path.map(String).join('.') || '_form';
			errors[key] ??= issue.message;
		}
		return { ok: false, values, errors };
	}
	const settings = settingsOfForm(parsed.data);
	const problems = settingsProblems(settings);
	if (problems.length > 0) {
		const errors: FormErrors = {};
		for (const p of problems) errors[p.field] ??= settingsProblemMessage(p, settings);
		return { ok: false, values, errors };
	}
	const year = 'year' in parsed.data ? Number(parsed.data.year) : null;
	return { ok: true, year, settings, values };
}

export const NOTE_MAX = 2000;

const optionalText = z.preprocess(
	(v) => (typeof v === 'string' ? v : ''),
	z
		.string()
		.trim()
		.max(NOTE_MAX, { error: () => m.form_too_long({ max: NOTE_MAX }) })
);

export const publishFormSchema = z.object({
	note: optionalText,
	reason: optionalText,
	confirm: z.literal('yes', { error: () => m.form_confirm_required() }),
	/** The draft the reader reviewed: publishing refuses if a newer one replaced it. */
	draftId: z.coerce.number().int().positive()
});
