// Every kind of file the product imports, in one table: its columns and their Chinese headers,
// who may import it, its page, the largest file it takes and the example row of its downloadable
// template. The import pages, the template download, the command line (its help and its size
// check) and the test that docs/formats.md names every column all read it, so that a column added
// to an importer shows up everywhere (or fails that test until the docs say what it is). The
// columns, headers, examples and caps themselves are the importers' own (`$lib/schemas/*`, the
// modules' `*_MAX_BYTES`).
import { stringify } from 'csv-stringify/sync';
import { ROLES } from '$lib/domain/roles';
import type { AccountRole } from '$lib/domain/roles';
import { CASE_COLUMNS, CASE_EXAMPLE, CASE_HEADER_LABELS } from '$lib/schemas/cases';
import { HOLIDAY_COLUMNS, HOLIDAY_EXAMPLE, HOLIDAY_HEADER_LABELS } from '$lib/schemas/calendar';
import {
	COMPLAINT_COLUMNS,
	COMPLAINT_EXAMPLE,
	COMPLAINT_HEADER_LABELS
} from '$lib/schemas/complaints';
import {
	DEPARTMENT_COLUMNS,
	DEPARTMENT_EXAMPLE,
	DEPARTMENT_HEADER_LABELS
} from '$lib/schemas/departments';
import {
	ENTERPRISE_COLUMNS,
	ENTERPRISE_EXAMPLE,
	ENTERPRISE_HEADER_LABELS
} from '$lib/schemas/enterprises';
import { FINDING_COLUMNS, FINDING_EXAMPLE, FINDING_HEADER_LABELS } from '$lib/schemas/findings';
import { HANDBOOK_COLUMNS, HANDBOOK_EXAMPLE, HANDBOOK_HEADER_LABELS } from '$lib/schemas/handbook';
import { RESPONSE_COLUMNS } from '$lib/schemas/responses';
import {
	CALL_LIST_COLUMNS,
	CALL_LIST_EXAMPLE,
	CALL_LIST_HEADER_LABELS
} from '$lib/schemas/samples';
import { HOLIDAY_MAX_BYTES } from '$lib/server/calendar/import';
import { CASE_MAX_BYTES } from '$lib/server/cases';
import { COMPLAINT_MAX_BYTES } from '$lib/server/complaints';
import { DEPARTMENT_MAX_BYTES } from '$lib/server/departments/import';
import { ENTERPRISE_MAX_BYTES } from '$lib/server/enterprises/import';
import { FINDING_MAX_BYTES } from '$lib/server/findings/import';
import { HANDBOOK_MAX_BYTES } from '$lib/server/handbook';
import { CALL_LIST_MAX_BYTES } from '$lib/server/surveys/samples';
import { MB, megabytes } from './limits';

export const IMPORT_KINDS = [
	'departments',
	'enterprises',
	'holidays',
	'findings',
	'cases',
	'complaints',
	'responses',
	'call-list',
	'handbook'
] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

/**
 * The largest responses file the page takes. It is never held in memory: the upload is written to
 * a temporary file as it arrives and the import streams that (a province's year is about 400 MB).
 */
export const RESPONSES_FILE_MAX_BYTES = 2048 * MB;

export interface ImportKind {
	kind: ImportKindName;
	/** The file's columns, in the order of the template. */
	columns: readonly string[];
	/** The Chinese header a file may use for each column; null when it takes the codes only. */
	headerLabels: Readonly<Record<string, string>> | null;
	/** Who may import it, and download its template. */
	roles: readonly AccountRole[];
	/** Its import page. */
	page: string;
	/** The largest file it takes. */
	maxBytes: number;
	/** Read as a stream from a temporary file, with progress (responses); else held in memory. */
	streamed: boolean;
	/**
	 * The template's example row. It imports on a new installation once the departments template
	 * has (the other files name its department); the responses row needs its campaign too.
	 */
	example: Readonly<Record<string, string>>;
}

export const KINDS: Readonly<Record<ImportKindName, ImportKind>> = {
	departments: {
		kind: 'departments',
		columns: DEPARTMENT_COLUMNS,
		headerLabels: DEPARTMENT_HEADER_LABELS,
		roles: ROLES.manageDepartments,
		page: '/departments/import',
		maxBytes: DEPARTMENT_MAX_BYTES,
		streamed: false,
		example: DEPARTMENT_EXAMPLE
	},
	enterprises: {
		kind: 'enterprises',
		columns: ENTERPRISE_COLUMNS,
		headerLabels: ENTERPRISE_HEADER_LABELS,
		roles: ROLES.manageEnterprises,
		page: '/enterprises/import',
		maxBytes: ENTERPRISE_MAX_BYTES,
		streamed: false,
		example: ENTERPRISE_EXAMPLE
	},
	holidays: {
		kind: 'holidays',
		columns: HOLIDAY_COLUMNS,
		headerLabels: HOLIDAY_HEADER_LABELS,
		roles: ROLES.manageCalendar,
		page: '/calendar/import',
		maxBytes: HOLIDAY_MAX_BYTES,
		streamed: false,
		example: HOLIDAY_EXAMPLE
	},
	findings: {
		kind: 'findings',
		columns: FINDING_COLUMNS,
		headerLabels: FINDING_HEADER_LABELS,
		roles: ROLES.manageFindings,
		page: '/findings/import',
		maxBytes: FINDING_MAX_BYTES,
		streamed: false,
		example: FINDING_EXAMPLE
	},
	cases: {
		kind: 'cases',
		columns: CASE_COLUMNS,
		headerLabels: CASE_HEADER_LABELS,
		roles: ROLES.manageCases,
		page: '/cases/import',
		maxBytes: CASE_MAX_BYTES,
		streamed: false,
		example: CASE_EXAMPLE
	},
	complaints: {
		kind: 'complaints',
		columns: COMPLAINT_COLUMNS,
		headerLabels: COMPLAINT_HEADER_LABELS,
		roles: ROLES.manageComplaints,
		page: '/complaints/import',
		maxBytes: COMPLAINT_MAX_BYTES,
		streamed: false,
		example: COMPLAINT_EXAMPLE
	},
	responses: {
		kind: 'responses',
		columns: RESPONSE_COLUMNS,
		headerLabels: null,
		roles: ROLES.recordResponses,
		page: '/responses/import',
		maxBytes: RESPONSES_FILE_MAX_BYTES,
		streamed: true,
		example: {
			response_key: 'R2026-000001',
			campaign_code: 'qy-2026',
			channel: 'field',
			submitted_at: '2026-05-12 10:30',
			department_code: DEPARTMENT_EXAMPLE.code,
			question_code: 'service',
			answer: '5'
		}
	},
	'call-list': {
		kind: 'call-list',
		columns: CALL_LIST_COLUMNS,
		headerLabels: CALL_LIST_HEADER_LABELS,
		roles: ROLES.manageCampaigns,
		// A campaign's own page: the route, whose `[code]` the page fills in.
		page: '/campaigns/[code]/sample/call-list',
		maxBytes: CALL_LIST_MAX_BYTES,
		streamed: false,
		example: CALL_LIST_EXAMPLE
	},
	handbook: {
		kind: 'handbook',
		columns: HANDBOOK_COLUMNS,
		headerLabels: HANDBOOK_HEADER_LABELS,
		roles: ROLES.manageHandbook,
		// The editions' page, which holds the import form (with the edition's year).
		page: '/handbook',
		maxBytes: HANDBOOK_MAX_BYTES,
		streamed: false,
		example: HANDBOOK_EXAMPLE
	}
};

export function isImportKind(name: string): name is ImportKindName {
	return (IMPORT_KINDS as readonly string[]).includes(name);
}

/**
 * The template of a kind: UTF-8 with BOM (Excel opens it right), the header — in Chinese where
 * the file takes Chinese headers, as a clerk's own sheet would have it — and the example.
 */
export function templateCsv(kind: ImportKindName): string {
	const { columns, headerLabels, example } = KINDS[kind];
	const header = columns.map((c) => headerLabels?.[c] ?? c);
	return (
		'\uFEFF' +
		stringify([header, columns.map((c) => example[c] ?? '')], { record_delimiter: '\r\n' })
	);
}

/** The template's file name, e.g. `pingyi-cases-template.csv`. */
export function templateFileName(kind: ImportKindName): string {
	return `pingyi-${kind}-template.csv`;
}

/** What an import page shows of its kind (plain data, for the page). */
export interface ImportPanelData {
	kind: ImportKindName;
	columns: readonly string[];
	/** The Chinese headers the file may use instead, column by column; null when none. */
	headers: readonly string[] | null;
	/** The largest file, as people read it. */
	maxSize: string;
	/** A streamed kind's upload endpoint, which reports the progress; null for the others. */
	upload: string | null;
}

export function panelOf(k: ImportKind): ImportPanelData {
	return {
		kind: k.kind,
		columns: k.columns,
		headers: k.headerLabels && k.columns.map((c) => k.headerLabels![c] ?? c),
		maxSize: `${megabytes(k.maxBytes)} MB`,
		upload: k.streamed ? `${k.page}/upload` : null
	};
}
