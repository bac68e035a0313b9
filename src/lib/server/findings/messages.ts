// What to tell a person (page or CLI) when a findings verb refuses, in their language.
import { m } from '$lib/paraglide/messages';
import type { FindingError } from './index';

export function findingErrorMessage(
	e: FindingError,
	options?: { locale?: 'zh-CN' | 'en' }
): string {
	switch (e.code) {
		case 'not_found':
			return m.findings_error_not_found({}, options);
		case 'department_unknown':
			return m.findings_error_department_unknown({}, options);
		case 'no_taken':
			return m.findings_error_no_taken({}, options);
		case 'already_confirmed':
			return m.findings_error_already_confirmed({}, options);
		case 'already_withdrawn':
			return m.findings_error_already_withdrawn({}, options);
		case 'already_disputed':
			return m.findings_error_already_disputed({}, options);
		case 'dispute_used':
			return m.findings_error_dispute_used({}, options);
		case 'not_disputable':
			return m.findings_error_not_disputable({}, options);
	}
}
