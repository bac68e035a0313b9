// The server side of the citizen's complaint pages: the form (`/complaint`, the address the
// contact card prints) and the tracking page (`/complaint/track`). The routes only guard and
// call these.
//
// The tracking code is shown once, in the answer to the filing POST itself: no redirect, which
// would have to carry it in the address, a cookie or a kept record. Neither page's POST answer
// is stored by the browser (no-store), and the same form sent again — a refresh of the result
// page, which resubmits it, or a double click without JavaScript — files nothing more: the number
// is shown again, never the code, of which only the hash is kept. The code never travels in an
// address either: the tracking page is a POST form.
import { fail, type RequestEvent } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { formatTrackingCode } from '$lib/domain/complaints';
import { isDomainError, messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import {
	complaintFormSchema,
	trackingSchema,
	type ComplaintFormInput
} from '$lib/schemas/complaint-workflow';
import type { Principal } from '$lib/server/auth/guard';
import { rows, type Executor } from '$lib/server/db';
import { readForm, refusalMessages, refuse, type Refusal } from '$lib/server/forms';
import { checkAttachments, filesOf, storeAttachments, type StoredAttachment } from './attachments';
import { fileComplaint, trackComplaint, type TrackedComplaint } from './workflow';

// --- Filing --------------------------------------------------------------------------------------

/** How long the same complaint from the same address counts as sent again rather than anew. */
const RESENT_WITHIN_MS = 60 * 60_000;

/** Serialises one address's filings, so that two copies sent at once are seen as one. */
const FILING_LOCK = 'complaint-public-form:';

export type PublicFiling =
	| { kind: 'filed'; complaintNo: string; trackingCode: string }
	| { kind: 'resent'; complaintNo: string };

/** Whom a filing is recorded for: an enterprise account's own, or nobody's (the public). */
export function filerOf(p: Principal | null): { id: number; label: string } | null {
	return p && p.kind === 'user' && p.role === 'enterprise' && p.id !== null
		? { id: p.id, label: p.label }
		: null;
}

/**
 * Files the form's complaint (`fileComplaint`, throttled per address), unless the same address
 * filed the very same complaint within the hour: then nothing is filed or counted, and its
 * number is returned (the address is read from the filing's audit entry; the complaint row keeps
 * none).
 */
export async function filePublicComplaint(
	db: Executor,
	form: ComplaintFormInput,
	opts: {
		address: string;
		filedBy: { id: number; label: string } | null;
		now?: Date;
		attachments?: readonly StoredAttachment[];
	}
): Promise<PublicFiling> {
	const now = opts.now ?? new Date();
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${FILING_LOCK + opts.address}))`);
		const since = new Date(now.getTime() - RESENT_WITHIN_MS).toISOString();
		const [same] = await rows<{ complaint_no: string }>(
			tx,
			sql`select c.complaint_no from complaint c
				join department d on d.id = c.department_id
				where c.received_at >= ${since}::timestamptz
					and c.channel = 'online' and c.state is not null
					and d.code = ${form.department_code}
					and c.category = ${form.category}
					and c.summary = ${form.summary}
					and c.anonymous = ${form.anonymous}
					and c.complainant_name is not distinct from ${form.name ?? null}::text
					and c.complainant_contact is not distinct from ${form.contact ?? null}::text
					and c.filed_by is not distinct from ${opts.filedBy?.id ?? null}::int
					and exists (select 1 from audit_entry a
						where a.entity = 'complaint' and a.entity_id = c.complaint_no
							and a.action = 'complaint.file' and a.client_address = ${opts.address})
				order by c.received_at desc
				limit 1`
		);
		if (same) return { kind: 'resent', complaintNo: same.complaint_no };
		const filed = await fileComplaint(tx, form, { ...opts, now });
		return { kind: 'filed', ...filed };
	});
}

/** A refusal of a complaint verb as the form's failure: throttled is 429 with Retry-After. */
function refusalOf(
	event: Pick<RequestEvent, 'setHeaders'>,
	input: { values?: Record<string, string> },
	e: unknown
): Refusal {
	if (!isDomainError(e)) throw e;
	if (e.code === 'complaint_throttled') {
		event.setHeaders({ 'retry-after': String(e.params.seconds ?? 60) });
		return refuse(input, { _form: messageOf(e.code, e.params) }, {}, 429);
	}
	return refuse(input, refusalMessages(e));
}

/** The form's action: the complaint filed (its number and code, shown once), or the refusal. */
export async function fileAction(event: RequestEvent, db: Executor, p: Principal | null) {
	event.setHeaders({ 'cache-control': 'no-store' });
	const input = await readForm(event, complaintFormSchema);
	if (!input.ok) return input.failure;
	let f: PublicFiling;
	try {
		// The files are checked (type from their bytes, sizes) and stored before the complaint is
		// written: a failure may leave a file nobody names, never a complaint without its file.
		const attachments = await storeAttachments(
			await checkAttachments(await filesOf(input.formData, 'attachments'))
		);
		f = await filePublicComplaint(db, input.data, {
			address: event.getClientAddress(),
			filedBy: filerOf(p),
			attachments
		});
	} catch (e) {
		return refusalOf(event, input, e);
	}
	return f.kind === 'filed'
		? { filed: { complaintNo: f.complaintNo, trackingCode: formatTrackingCode(f.trackingCode) } }
		: { resent: { complaintNo: f.complaintNo } };
}

// --- Tracking ------------------------------------------------------------------------------------

/**
 * The tracking form as read: any code that is not empty is looked up, so that a short or mistyped
 * one is a wrong try like any other (the same words, the same count against the address) rather
 * than a refusal that would tell a malformed code from a wrong one.
 */
const trackingFormSchema = trackingSchema.extend({
	code: z.string({ error: 'required' }).trim().min(1, 'required')
});

/** The tracking page's action: the complaint of the number and code, or the refusal. */
export async function trackAction(
	event: RequestEvent,
	db: Executor
): Promise<{ tracked: TrackedComplaint } | Refusal> {
	event.setHeaders({ 'cache-control': 'no-store' });
	const input = await readForm(event, trackingFormSchema);
	// The code is never sent back: the number alone fills the form again.
	const values = { no: (input.ok ? input.values.no : input.failure.data.values.no) ?? '' };
	if (!input.ok) return fail(400, { ...input.failure.data, values });
	try {
		return { tracked: await trackComplaint(db, input.data, { address: event.getClientAddress() }) };
	} catch (e) {
		if (isDomainError(e, 'complaint_tracking_invalid'))
			return refuse({ values }, { _form: messageOf(e.code) }, {}, 404);
		if (isDomainError(e, 'complaint_throttled')) {
			const seconds = Number(e.params.seconds ?? 60);
			event.setHeaders({ 'retry-after': String(seconds) });
			return refuse({ values }, { _form: m.complaints_track_throttled({ seconds }) }, {}, 429);
		}
		throw e;
	}
}

/** A number to fill the tracking form with (`?no=`, from the result page's link). */
export function numberFrom(url: URL): string {
	const no = url.searchParams.get('no')?.trim() ?? '';
	return /^[A-Za-z0-9-]{1,40}$/.test(no) ? no : '';
}
