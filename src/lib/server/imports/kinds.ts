// Every kind of file the product imports, in one table: its columns, who may import it, its page,
// the largest upload its page takes and the example row of its downloadable template. The import
// pages, the template download, the command line's help and the test that docs/formats.md names
// every column all read it, so that a column added to an importer shows up everywhere (or fails
// that test until the docs say what it is).
import { stringify } from 'csv-stringify/sync';
import { ROLES } from '$lib/domain/roles';
import type { AccountRole } from '$lib/domain/roles';
import { CASE_COLUMNS } from '$lib/schemas/cases';
import { COMPLAINT_COLUMNS } from '$lib/schemas/complaints';
import { RESPONSE_COLUMNS } from '$lib/schemas/responses';
import { HOLIDAY_COLUMNS } from '$lib/server/calendar/import';
import { DEPARTMENT_COLUMNS } from '$lib/server/departments/import';
import { ENTERPRISE_COLUMNS } from '$lib/server/enterprises/import';
import { FINDING_COLUMNS } from '$lib/server/findings/import';

export const IMPORT_KINDS = [
	'departments',
	'enterprises',
	'holidays',
	'findings',
	'cases',
	'complaints',
	'responses'
] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

const MB = 1024 * 1024;

/**
 * The largest record file (every kind but responses) an import page takes. These importers read
 * the whole file into memory and check every row before writing, so a file must fit in memory a
 * few times over; 32 MB is about 300,000 service cases.
 */
export const RECORD_FILE_MAX_BYTES = 32 * MB;

/**
 * The largest responses file the page takes. It is never held in memory: the upload is written to
 * a temporary file as it arrives and the import streams that (a province's year is about 400 MB).
 */
export const RESPONSES_FILE_MAX_BYTES = 2048 * MB;

export interface ImportKind {
	kind: ImportKindName;
	/** The file's columns, in the order of the template. */
	columns: readonly string[];
	/** Who may import it, and download its template. */
	roles: readonly AccountRole[];
	/** Its import page. */
	page: string;
	/** The largest file its page accepts. */
	maxBytes: number;
	/** Read as a stream from a temporary file, with progress (responses); else held in memory. */
	streamed: boolean;
	/** The template's example row: valid on a fresh installation (its example departments). */
	example: Record<string, string>;
}

function kind(
	k: Omit<ImportKind, 'maxBytes' | 'streamed'> & Partial<Pick<ImportKind, 'streamed'>>
): ImportKind {
	const streamed = k.streamed ?? false;
	return { ...k, streamed, maxBytes: streamed ? RESPONSES_FILE_MAX_BYTES : RECORD_FILE_MAX_BYTES };
}

export const KINDS: Readonly<Record<ImportKindName, ImportKind>> = {
	departments: kind({
		kind: 'departments',
		columns: DEPARTMENT_COLUMNS,
		roles: ROLES.manageDepartments,
		page: '/departments/import',
		example: {
			code: 'tjj',
			name_zh: '市统计局',
			name_en: 'Statistics Bureau',
			category: 'municipal',
			superior_authority: '',
			exempt_years: ''
		}
	}),
	enterprises: kind({
		kind: 'enterprises',
		columns: ENTERPRISE_COLUMNS,
		roles: ROLES.manageEnterprises,
		page: '/enterprises/import',
		example: {
			uscc: '91350481MA2333330K',
			name: '永安市示例机械有限公司',
			address: '燕西街道工业路 8 号',
			township: '燕西街道',
			contact_name: '张三',
			contact_phone: '0598-3600000'
		}
	}),
	holidays: kind({
		kind: 'holidays',
		columns: HOLIDAY_COLUMNS,
		roles: ROLES.manageCalendar,
		page: '/calendar/import',
		example: { date: '2026-10-01', kind: 'holiday' }
	}),
	findings: kind({
		kind: 'findings',
		columns: FINDING_COLUMNS,
		roles: ROLES.manageFindings,
		page: '/findings/import',
		example: {
			finding_no: 'DC-2026-001',
			department_code: 'fgj',
			date: '2026-03-16',
			source: 'undercover_visit',
			points: '-2',
			status: 'confirmed',
			description: '窗口工作人员上班时间玩手机'
		}
	}),
	cases: kind({
		kind: 'cases',
		columns: CASE_COLUMNS,
		roles: ROLES.manageCases,
		page: '/cases/import',
		example: {
			case_no: 'SP-2026-000001',
			department_code: 'fgj',
			item_code: 'XK-001',
			item_name: '企业投资项目备案',
			accepted_at: '2026-03-02 09:15',
			completed_at: '2026-03-04 16:30',
			promised_working_days: '3'
		}
	}),
	complaints: kind({
		kind: 'complaints',
		columns: COMPLAINT_COLUMNS,
		roles: ROLES.manageComplaints,
		page: '/complaints/import',
		example: {
			complaint_no: 'TS-2026-0001',
			department_code: 'fgj',
			received_at: '2026-04-01 10:00',
			channel: '12345 热线',
			category: '办事效率',
			verdict: 'substantiated',
			concluded_at: '2026-04-15 17:00',
			response_late: 'false',
			summary: '办理备案超过承诺时限'
		}
	}),
	responses: kind({
		kind: 'responses',
		columns: RESPONSE_COLUMNS,
		roles: ROLES.recordResponses,
		page: '/responses/import',
		streamed: true,
		example: {
			response_key: 'R-2026-000001',
			campaign_code: 'qy-2026',
			channel: 'field',
			submitted_at: '2026-05-12 10:30',
			department_code: 'fgj',
			question_code: 'service',
			answer: '5'
		}
	})
};

export function isImportKind(name: string): name is ImportKindName {
	return (IMPORT_KINDS as readonly string[]).includes(name);
}

/** The template of a kind: UTF-8 with BOM (Excel opens it right), the header and the example. */
export function templateCsv(kind: ImportKindName): string {
	const { columns, example } = KINDS[kind];
	return (
		'\uFEFF' +
		stringify([[...columns], columns.map((c) => example[c] ?? '')], { record_delimiter: '\r\n' })
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
	/** The largest file, as people read it. */
	maxSize: string;
	/** A streamed kind's upload endpoint, which reports the progress; null for the others. */
	upload: string | null;
}

/** A size as people read it: `32 MB`, `2 GB`. */
export function formatBytes(n: number): string {
	const mb = n / MB;
	return mb >= 1024 ? `${Math.round(mb / 1024)} GB` : `${Math.round(mb)} MB`;
}

export function panelOf(k: ImportKind): ImportPanelData {
	return {
		kind: k.kind,
		columns: k.columns,
		maxSize: formatBytes(k.maxBytes),
		upload: k.streamed ? `${k.page}/upload` : null
	};
}
