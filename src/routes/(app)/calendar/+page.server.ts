import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { hasRole, ROLES } from '$lib/domain/roles';
import { calendarOf, listingHasEffect, workingDaysOfYear } from '$lib/domain/working-days';
import { currentYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { m } from '$lib/paraglide/messages';
import { addDaySchema, removeDaySchema } from '$lib/schemas/calendar';
import { fieldErrors } from '$lib/schemas/field-errors';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import * as calendar from '$lib/server/calendar';
import { calendarErrorMessage } from '$lib/server/calendar/messages';
import { db } from '$lib/server/db/app-db';
import type { Actions, PageServerLoad } from './$types';

const yearQuery = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR);

function refused(form: string, values: Record<string, string>, errors: Record<string, string>) {
	return fail(400, { form, values, errors });
}

async function formOf(event: RequestEvent, fields: string[]) {
	const form = Object.fromEntries(await event.request.formData());
	const values = Object.fromEntries(fields.map((f) => [f, String(form[f] ?? '')]));
	return { form, values };
}

function refusal(e: unknown): Record<string, string> {
	if (e instanceof calendar.CalendarError) return { [e.field ?? '_form']: calendarErrorMessage(e) };
	throw e;
}

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewCalendar);
	const thisYear = currentYear();
	const asked = event.url.searchParams.get('year');
	// A year out of range or not a number shows this year.
	const parsed = yearQuery.safeParse(asked ?? thisYear);
	const year = parsed.success ? parsed.data : thisYear;
	const [days, listedYears] = await Promise.all([
		calendar.listYear(db(), year),
		calendar.years(db())
	]);
	const years = [
		...new Set([thisYear + 1, thisYear, year, ...listedYears.map((y) => y.year)])
	].sort((a, b) => b - a);
	const saved = event.url.searchParams.get('saved');
	return {
		year,
		days: days.map((d) => ({ ...d, noEffect: !listingHasEffect(d) })),
		workingDays: workingDaysOfYear(year, calendarOf(days)),
		years,
		canManage: hasRole(p.role, ROLES.manageCalendar),
		saved: saved === 'added' || saved === 'removed' ? saved : null
	};
};

export const actions: Actions = {
	add: async (event) => {
		const p = requireRole(event, ROLES.manageCalendar);
		const { form, values } = await formOf(event, ['date', 'kind']);
		const parsed = addDaySchema.safeParse(form);
		if (!parsed.success) return refused('add', values, fieldErrors(parsed.error));
		try {
			await db().transaction((tx) => calendar.add(tx, parsed.data, actorOf(event, p)));
		} catch (e) {
			return refused('add', values, refusal(e));
		}
		redirect(303, `/calendar?year=${parsed.data.date.slice(0, 4)}&saved=added`);
	},

	remove: async (event) => {
		const p = requireRole(event, ROLES.manageCalendar);
		const { form, values } = await formOf(event, ['date']);
		const parsed = removeDaySchema.safeParse(form);
		if (!parsed.success) return refused('remove', values, fieldErrors(parsed.error));
		// A removal changes how late cases and responses are: the box must be ticked.
		if (form.confirm !== 'yes')
			return refused('remove', values, { confirm: m.form_confirm_required() });
		try {
			await db().transaction((tx) => calendar.remove(tx, parsed.data.date, actorOf(event, p)));
		} catch (e) {
			return refused('remove', values, refusal(e));
		}
		redirect(303, `/calendar?year=${parsed.data.date.slice(0, 4)}&saved=removed`);
	}
};
