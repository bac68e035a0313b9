// Display names for values stored as codes: roles, categories, and a department in the current
// language; and the same as <option> lists for the forms' selects.
import { ACCOUNT_ROLES, type Role } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { DEPARTMENT_CATEGORY } from '$lib/enumerations';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

/** One choice of a select: the submitted value and the text shown. */
export type Option = { value: string | number; label: string };

const ROLE_LABELS: Record<Role, (i?: Record<string, never>, o?: { locale?: Locale }) => string> = {
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	leader: m.role_leader,
	liaison: m.role_liaison,
	enterprise: m.role_enterprise,
	public: m.role_public
};

/** A role's name in the interface language, or in `locale` (a terminal's). */
export function roleLabel(role: Role, locale?: Locale): string {
	return ROLE_LABELS[role]({}, { locale });
}

/** A department's name in the interface language (or `locale`), falling back to the other one. */
export function departmentName(
	d: { nameZh: string | null; nameEn: string | null },
	locale: Locale = getLocale()
): string {
	return (locale === 'en' ? d.nameEn || d.nameZh : d.nameZh || d.nameEn) ?? '';
}

/** A question's (or an option's) text in the interface language, the Chinese when no English. */
export function questionText(
	q: { textZh: string; textEn: string },
	locale: Locale = getLocale()
): string {
	return locale === 'en' ? q.textEn || q.textZh : q.textZh;
}

/** The roles an account can have. */
export function roleOptions(): Option[] {
	return ACCOUNT_ROLES.map((role) => ({ value: role, label: roleLabel(role) }));
}

export function categoryOptions(): Option[] {
	return DEPARTMENT_CATEGORY.values.map((value) => ({
		value,
		label: DEPARTMENT_CATEGORY.label(value)
	}));
}

/** Years in the order given, each shown as itself. */
export function yearOptions(years: readonly number[]): Option[] {
	return years.map((y) => ({ value: y, label: String(y) }));
}

/** Departments by code, shown as "code · name". */
export function departmentOptions(
	departments: readonly { code: string; nameZh: string | null; nameEn: string | null }[]
): Option[] {
	return departments.map((d) => ({ value: d.code, label: `${d.code} · ${departmentName(d)}` }));
}
