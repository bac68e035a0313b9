import { z } from 'zod';
import { hasRole, ROLES } from '$lib/domain/roles';
import { currentYear } from '$lib/domain/years';
import { getLocale } from '$lib/paraglide/runtime';
import { handbookImportFormSchema } from '$lib/schemas/handbook';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as handbook from '$lib/server/handbook';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import {
	importAction,
	recordCounts,
	recordSummarySchema,
	summaryOf
} from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.handbook;

const summarySchema = recordSummarySchema.extend({
	year: z.coerce.number().int(),
	removed: z.coerce.number().int().min(0).catch(0)
});

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewHandbook);
	const canImport = hasRole(p.role, KIND.roles);
	return {
		editions: await handbook.editions(db()),
		panel: canImport ? panelOf(KIND) : null,
		currentYear: currentYear(),
		summary: canImport ? summaryOf(event.url, summarySchema) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		const actor = actorOf(event, p);
		return importAction(event, KIND, {
			schema: handbookImportFormSchema,
			run: async (bytes, { year }) => {
				const result = await handbook.importFile(db(), bytes, { year, locale: getLocale() }, actor);
				if (!result.ok) return result;
				return {
					ok: true,
					summary: { ...recordCounts(result), year, removed: result.removed ?? 0 }
				};
			}
		});
	}
};
