// The audit log in words: every action and entity the code records has a label in both
// languages, and coded values read as words, instants as Beijing time.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	ACTION_LABELS,
	ENTITY_LABELS,
	actionLabel,
	entityLabel,
	valueLabel
} from '$lib/server/audit/labels';

import { COMPLAINT_ACTIONS } from '$lib/domain/complaints';
import { PROBLEM_ACTIONS } from '$lib/domain/visit-problems';

const SERVER = resolve(import.meta.dirname, '../../src/lib/server');

/**
 * Actions built from a prefix at run time, with the suffixes their callers pass: rectification's
 * `audited(…, 'assign_leader' | 'plan' | 'report' | 'close')`, findings' `resolve(…,
 * 'confirm' | 'withdraw')` and campaigns' `changeState(…, 'open' | 'close')`. A new prefix fails the test below until it is listed here.
 */
const DYNAMIC: Record<string, string[]> = {
	'rectification.': ['assign_leader', 'plan', 'report', 'close'],
	'finding.': ['confirm', 'withdraw'],
	'campaign.': ['open', 'close'],
	// the complaint workflow's `complaint.${action}`, one per action of $lib/domain/complaints
	'complaint.': [...COMPLAINT_ACTIONS],
	// the visit problems' `problem.${action}`, one per action of $lib/domain/visit-problems
	'problem.': [...PROBLEM_ACTIONS]
};

function sources(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts'))
		.map((f) => readFileSync(join(dir, f), 'utf8'));
}

/**
 * What the code writes as `key: <expression>` (up to the next comma or brace): the quoted codes in
 * it (both sides of a ternary) and the prefixes of template literals. An action is `noun.verb`:
 * a quoted word without a dot next to `action:` is a type (`action: 'confirm' | 'withdraw'`).
 */
function written(key: 'action' | 'entity') {
	const codes = new Set<string>();
	const prefixes = new Set<string>();
	const expression = new RegExp(`\\b${key}:\\s*([^,}\\n]+)`, 'g');
	// Not a call's argument: `action: text('action')` is a column.
	const code = key === 'action' ? /(?<!\()'([a-z_]+(?:\.[a-z_]+)+)'/g : /(?<!\()'([a-z_]+)'/g;
	for (const text of sources(SERVER))
		for (const [, expr] of text.matchAll(expression)) {
			for (const [, c] of expr!.matchAll(code)) codes.add(c!);
			for (const [, prefix] of expr!.matchAll(/`([a-z_.]+)\$\{/g)) prefixes.add(prefix!);
		}
	return { codes: [...codes].sort(), prefixes: [...prefixes].sort() };
}

describe('audit labels', () => {
	const actions = written('action');
	const entities = written('entity');

	it('finds what the code records (the scan works)', () => {
		expect(actions.codes).toEqual(expect.arrayContaining(['session.sign_in', 'user.create']));
		expect(entities.codes).toEqual(expect.arrayContaining(['user', 'finding']));
	});

	it('knows the suffixes of every action built from a prefix', () => {
		expect(actions.prefixes).toEqual(Object.keys(DYNAMIC).sort());
	});

	const allActions = [
		...actions.codes,
		...Object.entries(DYNAMIC).flatMap(([prefix, suffixes]) => suffixes.map((s) => prefix + s))
	];

	it.each(allActions)('has a label for the action %s in both languages', (action) => {
		expect(Object.keys(ACTION_LABELS)).toContain(action);
		const zh = actionLabel(action, 'zh-CN');
		const en = actionLabel(action, 'en');
		expect(zh).not.toBe(action);
		expect(en).not.toBe(action);
		expect(zh).not.toBe(en);
		expect(zh).toMatch(/\p{Script=Han}/u);
	});

	it.each(entities.codes)('has a label for the entity %s in both languages', (entity) => {
		expect(Object.keys(ENTITY_LABELS)).toContain(entity);
		expect(entityLabel(entity, 'zh-CN')).toMatch(/\p{Script=Han}/u);
		expect(entityLabel(entity, 'en')).not.toBe(entity);
	});

	it('names the example codes of the issue in words', () => {
		expect(actionLabel('session.sign_in', 'zh-CN')).toBe('登录');
		expect(actionLabel('session.sign_in', 'en')).toBe('Sign-in');
		expect(actionLabel('department.create', 'en')).toBe('Department added');
	});

	it('shows a code it does not know as itself', () => {
		expect(actionLabel('something.new', 'en')).toBe('something.new');
		expect(entityLabel('thing', 'en')).toBe('thing');
	});
});

describe('audit values', () => {
	it.each([
		['finding', 'source', 'undercover_visit', '明察暗访'],
		['user', 'role', 'liaison', '部门联络员'],
		['api_token', 'role', 'liaison', '部门联络员'],
		['calendar_day', 'kind', 'workday', '调休上班'],
		['department', 'active', true, '是'],
		[
			'department',
			'categories',
			[
				{ fromYear: 2025, category: 'municipal' },
				{ fromYear: 2026, category: 'vertical' }
			],
			'2025 年起：市直部门; 2026 年起：垂管部门'
		],
		// An instant as the code stores it, shown in Beijing time.
		['rectification', 'closedAt', '2026-03-01T16:30:00.000Z', '2026-03-02 00:30:00'],
		// Not a code of that field, or a field without codes: as it is.
		['finding', 'source', 'other', 'other'],
		['user', 'username', 'liaison', 'liaison'],
		['finding', 'points', '-2.00', '-2.00'],
		['department', 'exemptYears', [2025], '[2025]']
	])('%s.%s %j reads %j', (entity, field, value, text) => {
		expect(valueLabel(entity, field, value)).toBe(text);
	});

	it('shows nothing for null', () => {
		expect(valueLabel('user', 'departmentId', null)).toBeNull();
	});
});
