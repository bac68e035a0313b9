import { z } from 'zod';
import { currentYear } from '$lib/domain/years';
import { getLocale } from '$lib/paraglide/runtime';
import { importFormSchema } from '$lib/schemas/departments';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db/app-db';
import * as departments from '$lib/server/departments';
import { importDepartments } from '$lib/server/departments/import';
import { KINDS, panelOf } from '$lib/server/imports/kinds';
import {
	importAction,
	recordCounts,
	recordSummarySchema,
	summaryOf
} from '$lib/server/imports/upload';
import type { Actions, PageServerLoad } from './$types';

const KIND = KINDS.departments;

const summarySchema = recordSummarySchema.extend({
	year: z.coerce.number().int(),
	removed: z.coerce.number().int().min(0).catch(0)
});

export const load: PageServerLoad = async (event) => {
	requireRole(event, KIND.roles);
	return {
		panel: panelOf(KIND),
		currentYear: currentYear(),
		summary: summaryOf(event.url, summarySchema),
		// The box to remove them is offered (and ticked) while there are examples.
		examples: await departments.exampleCount(db())
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireRole(event, KIND.roles);
		const actor = actorOf(event, p);
		return importAction(event, KIND, {
			schema: importFormSchema,
			run: async (bytes, { year, removeExamples }) => {
				const result = await importDepartments(db(), bytes, { year, locale: getLocale() }, actor);
				if (!result.ok) return result;
				// The examples the file named are real departments now; the unused others go.
				const removed = removeExamples ? await departments.removeUnusedExamples(db(), actor) : [];
				return { ok: true, summary: { ...recordCounts(result), year, removed: removed.length } };
			}
		});
	}
};
