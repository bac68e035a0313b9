// The user documentation of docs/, bundled into the server at build time (the app serves it; a
// user of the app has no copy of the repository) and shown as help pages.
import announcement from '../../../../docs/announcement.md?raw';
import anonymity from '../../../../docs/anonymity.md?raw';
import complaintAttachments from '../../../../docs/complaint-attachments.md?raw';
import complaintStatistics from '../../../../docs/complaint-statistics.md?raw';
import complaints from '../../../../docs/complaints.md?raw';
import complaintsPublic from '../../../../docs/complaints-public.md?raw';
import consoles from '../../../../docs/consoles.md?raw';
import dashboard from '../../../../docs/dashboard.md?raw';
import demo from '../../../../docs/demo.md?raw';
import enterpriseAccounts from '../../../../docs/enterprise-accounts.md?raw';
import formats from '../../../../docs/formats.md?raw';
import handbook from '../../../../docs/handbook.md?raw';
import home from '../../../../docs/home.md?raw';
import questionnaires from '../../../../docs/questionnaires.md?raw';
import reviewExport from '../../../../docs/review-export.md?raw';
import scoring from '../../../../docs/scoring.md?raw';
import secondFactor from '../../../../docs/second-factor.md?raw';
import visitProblems from '../../../../docs/visit-problems.md?raw';
import visits from '../../../../docs/visits.md?raw';
import visitSummary from '../../../../docs/visit-summary.md?raw';
import { renderMarkdown } from './markdown';

const SOURCES = {
	formats,
	scoring,
	announcement,
	questionnaires,
	consoles,
	'review-export': reviewExport,
	anonymity,
	'enterprise-accounts': enterpriseAccounts,
	complaints,
	'complaints-public': complaintsPublic,
	'complaint-statistics': complaintStatistics,
	'complaint-attachments': complaintAttachments,
	visits,
	'visit-problems': visitProblems,
	'visit-summary': visitSummary,
	handbook,
	dashboard,
	home,
	demo,
	'second-factor': secondFactor
} as const;
export type DocName = keyof typeof SOURCES;

export function isDocName(name: string): name is DocName {
	return Object.hasOwn(SOURCES, name);
}

/** Where the app shows a document. */
export const docPath = (name: string) => `/help/${name}`;

const rendered = new Map<DocName, { title: string; html: string }>();

/** A document as HTML, with its title (its first heading); rendered once per process. */
export function doc(name: DocName): { title: string; html: string } {
	let d = rendered.get(name);
	if (!d) {
		const source = SOURCES[name];
		const title = /^#\s+(.*)$/m.exec(source)?.[1] ?? name;
		d = { title, html: renderMarkdown(source, docPath) };
		rendered.set(name, d);
	}
	return d;
}
