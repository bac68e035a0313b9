// English plurals of counted things (inlang message format: a `plural` selector with `one` and
// `other` variants); Chinese has one form.
import { describe, expect, it } from 'vitest';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';

describe('plural messages', () => {
	it.each([
		[1, '1 counted response (minimum 3).'],
		[2, '2 counted responses (minimum 3).'],
		[0, '0 counted responses (minimum 3).']
	])('%i response(s) in English', (responses, text) => {
		expect(m.rankings_why_responses_sample({ responses, minimum: 3 }, { locale: 'en' })).toBe(text);
	});

	it('has one form in Chinese', () => {
		for (const responses of [1, 2])
			expect(m.rankings_why_responses_sample({ responses, minimum: 3 }, { locale: 'zh-CN' })).toBe(
				`有效答卷${responses}份（最低样本数3）。`
			);
	});

	it('words the counts of the computation and of publication', () => {
		const en = { locale: 'en' } as const;
		expect(m.evaluation_problem_open_complaints({ department: 'X', count: 1 }, en)).toBe(
			'X: 1 complaint is still open and not counted.'
		);
		expect(m.evaluation_publish_changes({ count: 1 }, en)).toBe('1 department changes.');
		expect(m.evaluation_publish_changes({ count: 3 }, en)).toBe('3 departments change.');
		expect(messageOf('draft_has_errors', { count: 1 }, 'en')).toBe(
			'The draft has 1 error and cannot be published.'
		);
	});
});
