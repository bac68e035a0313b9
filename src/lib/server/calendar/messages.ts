// What to tell a person (page or CLI) when a calendar verb refuses, in their language.
import { m } from '$lib/paraglide/messages';
import type { CalendarError } from './index';

export function calendarErrorMessage(
	e: CalendarError,
	options?: { locale?: 'zh-CN' | 'en' }
): string {
	switch (e.code) {
		case 'exists':
			return m.calendar_error_exists({}, options);
		case 'listed_as_other':
			return m.calendar_error_listed_as_other({}, options);
		case 'not_found':
			return m.calendar_error_not_found({}, options);
	}
}
