import { z } from 'zod';
import { hasRole, ROLES } from '$lib/domain/roles';
import { isWorkingDay, makeCalendar, workingDaysBetween } from '$lib/domain/working-days';
import { currentYear, MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { addDaySchema, removeDaySchema } from '$lib/schemas/calendar';
import { actorOf, requireRole } from '$lib/server/auth/guard';
import * as calendar from '$lib/server/calendar';
import { db } from '$lib/server/db/app-db';
import { readForm, submit } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const yearQuery = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR);

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
	const cal = makeCalendar({
		holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
		workdays: days.filter((d) => d.kind === 'workday').map((d) => d.date)
	});
	const years = [
		...new Set([thisYear + 1, thisYear, year, ...listedYears.map((y) => y.year)])
	].sort((a, b) => b - a);
	const saved = event.url.searchParams.get('saved');
	return {
		year,
		days: days.map((d) => ({
			...d,
			// A holiday on a weekend or a workday on a weekday changes nothing: say so.
			noEffect: d.kind === 'holiday' ? !isWeekday(d.date) : isWeekday(d.date)
		})),
		workingDays: workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`, cal),
		years,
		canManage: hasRole(p.role, ROLES.manageCalendar),
		saved: saved === 'added' || saved === 'removed' ? saved : null
	};
};

/** Monday–Friday, whatever is listed. */
function isWeekday(date: string): boolean {
	return isWorkingDay(date, makeCalendar({}));
}

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
