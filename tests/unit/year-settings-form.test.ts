// The evaluation-year settings form: every setting of scoring.md §1 read from its dotted field,
// bad values refused per field in the user's language, the weights' sum checked as a group.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '$lib/domain/scoring';
import { fieldErrors } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import {
	formOfSettings,
	settingsFormSchema,
	SETTINGS_FIELDS,
	yearFormSchema
} from '$lib/schemas/years';

/** The form as an action reads it: the year and settings, or the errors by field. */
function readSettingsForm(form: Record<string, string>, withYear: boolean) {
	const parsed = (withYear ? yearFormSchema : settingsFormSchema).safeParse(form);
	if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
	const year = 'year' in parsed.data ? parsed.data.year : null;
	return { ok: true as const, year, settings: parsed.data.settings };
}

const defaults = () => ({ year: '2025', ...formOfSettings(DEFAULT_SETTINGS) });

describe('year settings form', () => {
	it('round-trips the defaults through the form fields', () => {
		expect(Object.keys(formOfSettings(DEFAULT_SETTINGS)).sort()).toEqual(
			[...SETTINGS_FIELDS].sort()
		);
		const read = readSettingsForm(defaults(), true);
		expect(read).toMatchObject({ ok: true, year: 2025, settings: DEFAULT_SETTINGS });
		expect(readSettingsForm(formOfSettings(DEFAULT_SETTINGS), false)).toMatchObject({
			ok: true,
			year: null
		});
	});

	it('reads changed values, decimals where a setting allows them', () => {
		const read = readSettingsForm(
			{
				...defaults(),
				'weights.work': '33.3',
				'weights.convenience': '33.3',
				'weights.complaints': '0',
				'weights.appraisal': '33.4',
				convenienceCaseShare: '0.25',
				'commended.vertical': ' 2 '
			},
			true
		);
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.settings.weights).toEqual({
			work: 33.3,
			convenience: 33.3,
			complaints: 0,
			appraisal: 33.4
		});
		expect(read.settings.convenienceCaseShare).toBe(0.25);
		expect(read.settings.commended.vertical).toBe(2);
	});

	it.each([
		['weights.work', '', () => m.common_required()],
		['weights.work', 'abc', () => m.evaluation_settings_not_number()],
		['workBonusCap', '-1', () => m.evaluation_settings_negative()],
		['commended.municipal', '2.5', () => m.evaluation_settings_not_integer()],
		['convenienceCaseShare', '1.5', () => m.evaluation_settings_not_share()],
		['year', '1800', () => m.evaluation_error_year_invalid()]
	])('refuses %s = %j with a message on that field', (field, value, message) => {
		const read = readSettingsForm({ ...defaults(), [field]: value }, true);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors[field]).toBe(message());
	});

	it('refuses weights that do not sum to 100, on the weights group', () => {
		const read = readSettingsForm({ ...defaults(), 'weights.work': '40' }, true);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors).toEqual({ weights: m.evaluation_settings_weights_sum({ sum: '110' }) });
	});
});
