import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { applyEdit } from '$lib/domain/questionnaires';
import { hasRole, ROLES } from '$lib/domain/roles';
import { fieldErrors } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { draftOfForm, editOfIntent, fieldsOf, versionSchema } from '$lib/schemas/questionnaires';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import { readForm, refuse, submit } from '$lib/server/forms';
import * as surveys from '$lib/server/surveys';
import type { Actions, PageServerLoad } from './$types';

/** The version asked for, or the 404 page. */
function versionOf(params: { code: string; version: string }): number {
	const v = /^\d{1,4}$/.test(params.version) ? Number(params.version) : 0;
	if (v < 1) error(404, m.campaigns_error_questionnaire({ code: params.code }));
	return v;
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewCampaigns);
	const version = versionOf(event.params);
	const found = await surveys.getQuestionnaireVersion(db(), event.params.code, version);
	if (!found) error(404, m.campaigns_error_questionnaire({ code: event.params.code }));
	const saved = event.url.searchParams.get('saved');
	return {
		version: found,
		fields: fieldsOf(surveys.draftOf(found)),
		canManage: hasRole(p.role, ROLES.manageQuestionnaires),
		saved: saved === 'here' || saved === 'new' ? saved : null,
		from: Number(event.url.searchParams.get('from')) || null
	};
};

export const actions: Actions = {
	/**
	 * The builder's one form: a step (add, remove, move a question, add or remove an option)
	 * gives the draft back changed, unsaved; "save" checks and saves it.
	 */
	default: async (event) => {
		const p = requireRole(event, ROLES.manageQuestionnaires);
		const version = versionOf(event.params);
		const input = await readForm(event, z.record(z.string(), z.unknown()));
		if (!input.ok) return input.failure;
		const edit = editOfIntent(input.values.intent);
		if (edit) return { values: fieldsOf(applyEdit(draftOfForm(input.values), edit)), errors: {} };
		const checked = versionSchema.safeParse(input.values);
		if (!checked.success) return refuse(input, fieldErrors(checked.error));
		const code = event.params.code;
		return submit(
			input,
			() => surveys.saveQuestionnaireVersion(db(), code, version, checked.data, actorOf(event, p)),
			(s) =>
				`/questionnaires/${encodeURIComponent(s.code)}/${s.version}?saved=${s.created ? `new&from=${version}` : 'here'}`
		);
	}
};
