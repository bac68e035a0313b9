// What to tell a person (page or CLI) when a department verb refuses, in their language.
import { m } from '$lib/paraglide/messages';
import type { DepartmentError } from './index';

export function departmentErrorMessage(
	e: DepartmentError,
	options?: { locale?: 'zh-CN' | 'en' }
): string {
	switch (e.code) {
		case 'code_invalid':
			return m.departments_error_code_format({}, options);
		case 'code_taken':
			return m.departments_error_code_taken({}, options);
		case 'not_found':
			return m.departments_error_not_found({}, options);
		case 'superior_authority_required':
			return m.departments_error_superior_required({}, options);
		case 'superior_authority_forbidden':
			return m.departments_error_superior_forbidden({}, options);
		case 'category_unchanged':
			return m.departments_error_category_unchanged({}, options);
		case 'exemption_exists':
			return m.departments_error_exemption_exists({}, options);
		case 'exemption_not_found':
			return m.departments_error_exemption_not_found({}, options);
	}
}
