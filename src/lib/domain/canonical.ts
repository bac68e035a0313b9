// Canonical JSON: keys sorted at every level, so the same content always hashes the same,
// whatever order a database (jsonb) or a caller put the keys in.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
	return JSON.stringify(normalise(value));
}

function normalise(value: unknown): Json {
	if (value === null || value === undefined) return null;
	if (value instanceof Date) return value.toISOString();
	if (Array.isArray(value)) return value.map(normalise);
	if (typeof value === 'object') {
		const out: { [key: string]: Json } = {};
		for (const key of Object.keys(value as object).sort()) {
			const v = (value as Record<string, unknown>)[key];
			if (v !== undefined) out[key] = normalise(v);
		}
		return out;
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number' && !Number.isFinite(value)) return null;
	return value as Json;
}

export interface FieldChange {
	before: Json;
	after: Json;
}

/** The fields whose value differs between two versions of a record, as before/after pairs. */
export function changedFields(
	before: Record<string, unknown> | null,
	after: Record<string, unknown> | null
): Record<string, FieldChange> {
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
	const out: Record<string, FieldChange> = {};
	for (const key of [...keys].sort()) {
		const b = normalise(before?.[key]);
		const a = normalise(after?.[key]);
		if (JSON.stringify(b) !== JSON.stringify(a)) out[key] = { before: b, after: a };
	}
	return out;
}
