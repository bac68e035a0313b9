// English numbers with nouns read right ("1 entry", "2 entries"), and every message with
// variants has a fallback, so that no number prints a message's key (docs/messages.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';

const en = { locale: 'en' } as const;

describe('plurals in English', () => {
	it.each([
		[0, 'The chain is intact: 0 entries checked.'],
		[1, 'The chain is intact: 1 entry checked.'],
		[2, 'The chain is intact: 2 entries checked.']
	])('audit verification of %i entries', (count, text) => {
		expect(m.audit_verify_ok({ count }, en)).toBe(text);
		// Params often arrive as text (messageOf's, the CLI's): the form is the same.
		expect(m.audit_verify_ok({ count: String(count) }, en)).toBe(text);
	});

	it.each([
		[1, 'Too many attempts. Try again in 1 second.'],
		[30, 'Too many attempts. Try again in 30 seconds.']
	])('sign-in throttled for %i seconds', (seconds, text) => {
		expect(m.auth_throttled({ seconds }, en)).toBe(text);
	});

	it.each([
		[1, 1, '2026: 1 holiday, 1 adjusted workday, 249 working days in all.'],
		[1, 2, '2026: 1 holiday, 2 adjusted workdays, 249 working days in all.'],
		[11, 1, '2026: 11 holidays, 1 adjusted workday, 249 working days in all.'],
		[11, 0, '2026: 11 holidays, 0 adjusted workdays, 249 working days in all.']
	])('a calendar of %i holidays and %i workdays', (holidays, workdays, text) => {
		expect(m.calendar_summary({ year: 2026, holidays, workdays, working: 249 }, en)).toBe(text);
	});

	it.each([
		[m.cli_audit_ok({ checked: 1 }, en), 'The audit chain is intact: 1 entry checked.'],
		[
			m.cli_audit_broken({ seq: 2, reason: 'its hash does not match', good: 1 }, en),
			'The audit chain is broken at entry 2: its hash does not match. The 1 entry before it is intact.'
		],
		[
			m.cli_audit_broken({ seq: 9, reason: 'its hash does not match', good: 8 }, en),
			'The audit chain is broken at entry 9: its hash does not match. The 8 entries before it are intact.'
		],
		[
			m.cli_migrated({ location: 'pglite', applied: 1, total: 9 }, en),
			'The database pglite is up to date: 1 migration applied now, 9 in all.'
		],
		[
			m.findings_summary({ total: 1, points: '-2.00' }, en),
			'1 finding; confirmed points add up to -2.00.'
		],
		[m.evaluation_days({ count: 1 }, en), '1 day'],
		[m.evaluation_days({ count: 15 }, en), '15 days'],
		[m.evaluation_working_days({ count: 1 }, en), '1 working day'],
		[m.evaluation_working_days({ count: 5 }, en), '5 working days']
	])('%s', (actual, expected) => {
		expect(actual).toBe(expected);
	});

	it.each([
		[1, '1 counted response (minimum 3).'],
		[2, '2 counted responses (minimum 3).']
	])('the responses of a department: %i', (responses, text) => {
		expect(m.rankings_why_responses_sample({ responses, minimum: 3 }, en)).toBe(text);
	});

	it.each([
		[
			m.evaluation_problem_open_complaints({ department: 'X', count: 1 }, en),
			'X: 1 complaint is still open and not counted.'
		],
		[m.evaluation_publish_changes({ count: 1 }, en), '1 department changes.'],
		[m.evaluation_publish_changes({ count: 3 }, en), '3 departments change.'],
		[
			m.evaluation_error_draft_has_errors({ count: 1 }, en),
			'The draft has 1 error and cannot be published.'
		]
	])('%s', (actual, expected) => {
		expect(actual).toBe(expected);
	});

	it('leaves Chinese as it was', () => {
		expect(m.audit_verify_ok({ count: 1 }, { locale: 'zh-CN' })).toBe(
			'哈希链完整：已校验 1 条记录。'
		);
	});
});

type Variants = [{ declarations: string[]; selectors: string[]; match: Record<string, string> }];
const catalog = (locale: string): Record<string, string | Variants> =>
	JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8'));

describe('messages with variants', () => {
	const english = Object.entries(catalog('en')).filter((e): e is [string, Variants] =>
		Array.isArray(e[1])
	);
	const chinese = catalog('zh-CN');
	const paramsOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

	it('exist (the plural examples above are among them)', () => {
		expect(english.map(([key]) => key)).toContain('audit_verify_ok');
	});

	it.each(english)('%s ends with a catch-all and uses the parameters of its Chinese', (key, v) => {
		const keys = Object.keys(v[0].match);
		expect(
			keys
				.at(-1)!
				.split(',')
				.every((part) => part.trim().endsWith('=*'))
		).toBe(true);
		const inputs = v[0].declarations
			.filter((d) => d.startsWith('input '))
			.map((d) => d.slice(6))
			.sort();
		const zh = chinese[key];
		expect(typeof zh).toBe('string');
		expect([...new Set(paramsOf(zh as string))]).toEqual(inputs);
		for (const text of Object.values(v[0].match))
			for (const p of paramsOf(text)) expect(inputs).toContain(p);
	});
});
