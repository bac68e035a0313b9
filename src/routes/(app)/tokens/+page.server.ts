import { ROLES } from '$lib/domain/roles';
import { createTokenSchema, revokeTokenSchema } from '$lib/schemas/tokens';
import * as apiTokens from '$lib/server/auth/api-token';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { requireSudo } from '$lib/server/auth/sudo';
import { db } from '$lib/server/db/app-db';
import { listOptions } from '$lib/server/departments/options';
import { attempt, readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { pageNumber } from '$lib/schemas/query';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	requireRole(event, ROLES.manageTokens);
	const page = pageNumber.parse(event.url.searchParams.get('page') ?? undefined);
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
		requireSudo(event, 'issue_api_token');
		const input = await readForm(event, createTokenSchema, { form: 'issue' });
		if (!input.ok) return input.failure;
		const r = await attempt(input, () => apiTokens.create(db(), input.data, actorOf(event, p)));
		if (!r.ok) return r.failure;
		// The one exception to redirect-after-POST: the token is shown this once, in the response
		// to the request that made it, and never travels in a URL or is stored in clear.
		const { record, token } = r.result;
		return { issued: { id: record.id, name: record.name, token } };
	},

	revoke: async (event) => {
		const p = requireRole(event, ROLES.manageTokens);
		const input = await readForm(event, revokeTokenSchema, { form: 'revoke' });
		if (!input.ok) return input.failure;
		const { id } = input.data;
		return submit(
			input,
			() => apiTokens.revoke(db(), id, actorOf(event, p)),
			`/tokens?revoked=${encodeURIComponent(id)}`
		);
	}
};
