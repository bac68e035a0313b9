// docs/formats.md and the code cannot drift apart: the docs list exactly the columns of every
// import file, the question codes of the standard questionnaire and the results export's
// columns; and every import's downloadable template imports cleanly on a new installation.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
	CALENDAR_KIND,
	DEPARTMENT_CATEGORY,
	FINDING_SOURCE,
	HANDBOOK_ITEM_KIND,
	IMPORTED_FINDING_STATUS,
	VERDICT,
	YES_NO,
	type Enumeration
} from '$lib/enumerations';
import { rows } from '$lib/server/db';
import { bootstrap } from '$lib/server/bootstrap';
import * as cases from '$lib/server/cases';
import { importHolidays } from '$lib/server/calendar/import';
import * as complaints from '$lib/server/complaints';
import * as departments from '$lib/server/departments';
import { importDepartments } from '$lib/server/departments/import';
import { importEnterprises } from '$lib/server/enterprises/import';
import { RESULT_COLUMNS } from '$lib/server/results/export';
import { importFindings } from '$lib/server/findings/import';
import * as handbook from '$lib/server/handbook';
import { IMPORT_KINDS, KINDS, templateCsv, type ImportKindName } from '$lib/server/imports/kinds';
import { megabytes } from '$lib/server/imports/limits';
import { importResponses } from '$lib/server/surveys/import';
import { importCallList } from '$lib/server/surveys/samples';
import type { Database } from '$lib/server/db';
import { COMMANDS } from '../../scripts/cli/commands';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';
import { makeCampaign } from '../factories/records';

const FORMATS = readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8');

/** The text of the section under `## title`, up to the next `## `. */
function section(title: string): string {
	const start = FORMATS.indexOf(`\n## ${title}\n`);
	expect(start, `docs/formats.md has a section "## ${title}"`).toBeGreaterThan(-1);
	const end = FORMATS.indexOf('\n## ', start + 1);
	return FORMATS.slice(start, end === -1 ? undefined : end);
}

/** The codes in the first column of the section's first table (`` `code` `` cells). */
function firstColumn(text: string): string[] {
	const table = text.split('\n').filter((l) => l.startsWith('|'));
	return table
		.slice(2)
		.map((l) => /^\|\s*`([^`]+)`/.exec(l)?.[1])
		.filter((c): c is string => c !== undefined);
}

/** The cells of the row of `column` in a section's first table. */
function rowOf(text: string, column: string): string[] {
	const line = firstTable(text)
		.split('\n')
		.find((l) => l.startsWith(`| \`${column}\``));
	expect(line, `a row for ${column}`).toBeDefined();
	return line!
		.split('|')
		.slice(1, -1)
		.map((c) => c.trim());
}

/** The enumerated columns of the files, with the values and Chinese labels a file may use. */
const ENUMERATED: [ImportKindName, string, Enumeration<string>][] = [
	['departments', 'category', DEPARTMENT_CATEGORY],
	['holidays', 'kind', CALENDAR_KIND],
	['findings', 'source', FINDING_SOURCE],
	['findings', 'status', IMPORTED_FINDING_STATUS],
	['complaints', 'verdict', VERDICT],
	['complaints', 'response_late', YES_NO],
	['handbook', 'kind', HANDBOOK_ITEM_KIND]
];

/** The first table only: rows until the first line that is no table row. */
function firstTable(text: string): string {
	const lines = text.split('\n');
	const start = lines.findIndex((l) => l.startsWith('|'));
	const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
	return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('docs/formats.md', () => {
	it.each(IMPORT_KINDS)('lists exactly the columns of the %s file', (kind) => {
		expect(firstColumn(firstTable(section(kind)))).toEqual([...KINDS[kind].columns]);
	});

	it.each(IMPORT_KINDS)('gives the Chinese headers and the size limit of the %s file', (kind) => {
		const { columns, headerLabels, maxBytes } = KINDS[kind];
		for (const c of columns) expect(rowOf(section(kind), c)[1]).toBe(headerLabels?.[c] ?? '—');
		expect(section(kind)).toContain(`Largest file: ${megabytes(maxBytes)} MB`);
	});

	it.each(ENUMERATED)('lists the values of %s.%s with their Chinese labels', (kind, column, e) => {
		const cell = rowOf(section(kind), column)[3];
		for (const v of e.values) {
			expect(cell).toContain(`\`${v}\``);
			expect(cell).toContain(e.label(v, 'zh-CN'));
		}
	});

	it('lists exactly the results export columns', () => {
		expect(firstColumn(firstTable(section('Results export')))).toEqual([...RESULT_COLUMNS]);
	});

	it.each(IMPORT_KINDS)('`import %s --help` lists the columns and points to the docs', (kind) => {
		const command = COMMANDS.find((c) => c.name.join(' ') === `import ${kind}`);
		for (const locale of ['en', 'zh-CN'] as const) {
			const help = command?.help?.(locale).join('\n') ?? '';
			expect(help).toContain(KINDS[kind].columns.join(','));
			expect(help).toContain('docs/formats.md');
		}
	});

	it('links the scoring rules, which are in the repository too', () => {
		expect(FORMATS).toContain('(scoring.md)');
		expect(readFileSync(new URL('../../docs/scoring.md', import.meta.url), 'utf8')).toMatch(
			/^# Year-end scoring and ranking/
		);
	});
});

type Run = (db: Database, bytes: Uint8Array) => Promise<{ ok: boolean }>;
const locale = 'en' as const;
const RUN: Record<ImportKindName, Run> = {
	departments: (db, b) => importDepartments(db, b, { year: 2026, locale }, testActor),
	enterprises: (db, b) => importEnterprises(db, b, { locale }, testActor),
	holidays: (db, b) => importHolidays(db, b, { locale }, testActor),
	findings: (db, b) => importFindings(db, b, { locale }, testActor),
	cases: (db, b) => cases.importFile(db, b, { locale }, testActor),
	complaints: (db, b) => complaints.importFile(db, b, { locale }, testActor),
	responses: (db, b) => importResponses(db, b, { locale }, testActor),
	'call-list': (db, b) =>
		importCallList(db, KINDS.responses.example.campaign_code!, b, { locale }, testActor),
	handbook: (db, b) => handbook.importFile(db, b, { year: 2026, locale }, testActor)
};

describeEachDatabase('import templates', (t) => {
	it('names the questions of the standard questionnaire exactly', async () => {
		const questions = await rows<{ code: string }>(
			t.db,
			sql`select q.code from question q join questionnaire n on n.id = q.questionnaire_id
				where n.code = 'standard-appraisal' and n.version = 1 order by q.position`
		);
		expect(firstColumn(firstTable(section('The standard questionnaire')))).toEqual(
			questions.map((q) => q.code)
		);
	});

	it.each(IMPORT_KINDS)(
		'the %s template is UTF-8 with BOM: the header, one example row',
		(kind) => {
			const lines = templateCsv(kind).split('\r\n');
			const { columns, headerLabels } = KINDS[kind];
			expect(lines[0]).toBe('\uFEFF' + columns.map((c) => headerLabels?.[c] ?? c).join(','));
			expect(lines).toHaveLength(3);
			expect(lines[2]).toBe('');
		}
	);

	it('starts as a new installation: the first admin, the example departments, a campaign', async () => {
		await bootstrap(t.db, { ADMIN_PASSWORD: 'a-long-password-1' }, () => {});
		await makeCampaign(t.db, {
			code: KINDS.responses.example.campaign_code!,
			year: 2026,
			kind: 'enterprise_visit'
		});
		expect(await departments.exampleCount(t.db)).toBeGreaterThan(0);
	});

	// In this order: the departments template adds the department the others name.
	it.each(IMPORT_KINDS)('the %s template imports cleanly there', async (kind) => {
		const result = await RUN[kind](t.db, new TextEncoder().encode(templateCsv(kind)));
		expect(result).toMatchObject({ ok: true, created: 1 });
	});
});
