// Display names for values stored as codes: roles, and a department in the current language.
import type { Role } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const ROLE_LABELS: Record<Role, () => string> = {
	admin: m.role_admin,
	supervisor: m.role_supervisor,
	leader: m.role_leader,
	liaison: m.role_liaison,
	enterprise: m.role_enterprise,
	public: m.role_public
};

export function roleLabel(role: Role): string {
	return ROLE_LABELS[role]();
}

/** A department's name in the interface language, falling back to the other one. */
export function departmentName(d: { nameZh: string | null; nameEn: string | null }): string {
	return (getLocale() === 'en' ? d.nameEn || d.nameZh : d.nameZh || d.nameEn) ?? '';
}
