// What to tell a person (page or CLI) when an account verb refuses, in their language.
import { m } from '$lib/paraglide/messages';
import type { UserError } from './index';

export function userErrorMessage(e: UserError, options?: { locale?: 'zh-CN' | 'en' }): string {
	switch (e.code) {
		case 'username_taken':
			return m.users_error_username_taken({}, options);
		case 'department_required':
			return m.users_error_department_required({}, options);
		case 'department_unknown':
			return m.users_error_department_unknown({}, options);
		case 'last_admin':
			return m.users_error_last_admin({}, options);
		case 'not_found':
			return m.users_not_found({}, options);
	}
}
