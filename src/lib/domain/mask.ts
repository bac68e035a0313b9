// Personal information as people without the right to see it get it (roles.md): a phone number
// keeps its first three and last four digits (138****5678), a name its first character.

/** `13812345678` → `138****5678`; shorter numbers keep only their last two characters. */
export function maskPhone(phone: string): string {
	const p = phone.trim();
	if (p === '') return '';
	if (p.length >= 8) return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);
	return '*'.repeat(Math.max(p.length - 2, 1)) + p.slice(-2);
}

/** `张三丰` → `张**`; `Li Lei` → `L*****`. */
export function maskName(name: string): string {
	const chars = [...name.trim()];
	if (chars.length === 0) return '';
	return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}
