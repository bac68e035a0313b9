import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { createTokenSchema, revokeTokenSchema, tokenFieldErrors } from '$lib/schemas/tokens';
import * as apiTokens from '$lib/server/auth/api-token';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

function refusal(e: unknown, departmentCode = ''): Record<string, string> {
	if (!(e instanceof apiTokens.ApiTokenError)) throw e;
	switch (e.code) {
		case 'department_not_found':
			return { departmentCode: m.tokens_error_department_not_found({ code: departmentCode }) };
		case 'already_revoked':
			return { _form: m.tokens_error_already_revoked() };
		default:
			return { _form: m.tokens_error_not_found() };
	}
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageTokens);
	const page = pageSchema.parse(event.url.searchParams.get('page') ?? undefined);
	const [{ rows, total }, departments] = await Promise.all([
		apiTokens.list(db(), page, PAGE_SIZE),
		listOptions(db())
	]);
	const revokedId = event.url.searchParams.get('revoked');
	const revoked = revokedId ? (rows.find((t) => t.id === revokedId && t.revokedAt) ?? null) : null;
	return {
		tokens: rows,
		total,
		page,
		pageSize: PAGE_SIZE,
		departments,
		revokedName: revoked?.name ?? null
	};
};

export const actions: Actions = {
	issue: async (event) => {
		const p = requireRole(event, ROLES.manageTokens);
		const form = Object.fromEntries(await event.request.formData());
		const values = {
			name: String(form.name ?? ''),
			role: String(form.role ?? ''),
			departmentCode: String(form.departmentCode ?? '')
		};
		const parsed = createTokenSchema.safeParse(values);
		if (!parsed.success)
			return fail(400, { issue: { values, errors: tokenFieldErrors(parsed.error) } });
		try {
			const issued = await db().transaction((tx) =>
				apiTokens.create(tx, parsed.data, actorOf(event, p))
			);
			// The one exception to redirect-after-POST: the token is shown this once, in the response
			// to the request that made it, and never travels in a URL or is stored in clear.
			return { issued: { id: issued.record.id, name: issued.record.name, token: issued.token } };
		} catch (e) {
			return fail(400, { issue: { values, errors: refusal(e, values.departmentCode) } });
		}
	},

	revoke: async (event) => {
		const p = requireRole(event, ROLES.manageTokens);
		const form = Object.fromEntries(await event.request.formData());
		const id = String(form.id ?? '');
		const parsed = revokeTokenSchema.safeParse(form);
		if (!parsed.success)
			return fail(400, { revoke: { id, errors: tokenFieldErrors(parsed.error) } });
		try {
			await db().transaction((tx) => apiTokens.revoke(tx, parsed.data.id, actorOf(event, p)));
		} catch (e) {
			return fail(400, { revoke: { id, errors: refusal(e) } });
		}
		redirect(303, `/tokens?revoked=${encodeURIComponent(parsed.data.id)}`);
	}
};
