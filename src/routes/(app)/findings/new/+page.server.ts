import { fail, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/domain/roles';
import { formatDate } from '$lib/domain/time';
import { createFindingSchema } from '$lib/schemas/findings';
import { fieldErrors } from '$lib/schemas/field-errors';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import * as findings from '$lib/server/findings';
import { findingErrorMessage } from '$lib/server/findings/messages';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['findingNo', 'departmentCode', 'date', 'source', 'points', 'description'] as const;

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageFindings);
	const departments = (await listOptions(db())).filter((d) => d.active);
	return { departments, today: formatDate(new Date()) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, ROLES.manageFindings);
		const form = Object.fromEntries(await event.request.formData());
		const values = Object.fromEntries(FIELDS.map((f) => [f, String(form[f] ?? '')]));
		const parsed = createFindingSchema.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		let findingNo: string;
		try {
			const created = await db().transaction((tx) =>
				findings.record(tx, parsed.data, actorOf(event, p))
			);
			findingNo = created.findingNo;
		} catch (e) {
			if (!(e instanceof findings.FindingError)) throw e;
			return fail(400, {
				values,
				errors: { [e.field ?? '_form']: findingErrorMessage(e) } as Record<string, string>
			});
		}
		redirect(303, `/findings/${encodeURIComponent(findingNo)}?saved=created`);
	}
};
