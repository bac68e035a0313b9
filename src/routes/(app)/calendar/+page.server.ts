import { hasRole, ROLES } from '$lib/domain/roles';
import { calendarOf, listingHasEffect, workingDaysOfYear } from '$lib/domain/working-days';
import { currentYear } from '$lib/domain/years';
import { addDaySchema, removeDaySchema } from '$lib/schemas/calendar';
import { yearFilter } from '$lib/schemas/query';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import * as calendar from '$lib/server/calendar';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, ROLES.viewCalendar);
	const thisYear = currentYear();
	// A year out of range or not a number shows this year.
	const year = yearFilter.parse(event.url.searchParams.get('year') ?? undefined) ?? thisYear;
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
		const input = await readForm(event, addDaySchema, { form: 'add' });
		if (!input.ok) return input.failure;
		const { date } = input.data;
		return submit(
			input,
			() => calendar.add(db(), input.data, actorOf(event, p)),
			`/calendar?year=${date.slice(0, 4)}&saved=added`
		);
	},

	remove: async (event) => {
		const p = requireRole(event, ROLES.manageCalendar);
		const input = await readForm(event, removeDaySchema, { form: 'remove' });
		if (!input.ok) return input.failure;
		const { date } = input.data;
		return submit(
			input,
			() => calendar.remove(db(), date, actorOf(event, p)),
			`/calendar?year=${date.slice(0, 4)}&saved=removed`
		);
	}
};
