// Settings an admin can change at run time, stored as JSON under one key per group, with
// defaults in code so an empty database works.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import * as audit from '$lib/server/audit';
import type { Executor } from '$lib/server/db';
import { setting } from '$lib/server/db/schema';

export const sessionSettingsSchema = z.object({
	staffIdleMinutes: z.coerce
		.number()
		.int()
		.min(5)
		.max(24 * 60),
	staffAbsoluteHours: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 7),
	enterpriseIdleMinutes: z.coerce
		.number()
		.int()
		.min(5)
		.max(24 * 60),
	enterpriseAbsoluteHours: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 30)
});
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
	staffIdleMinutes: 30,
	staffAbsoluteHours: 12,
	enterpriseIdleMinutes: 60,
	enterpriseAbsoluteHours: 24
};

export const SESSION_SETTINGS_KEY = 'session';

/** Stored values over defaults; a malformed stored value falls back to the defaults. */
export function parseSessionSettings(stored: unknown): SessionSettings {
	const parsed = sessionSettingsSchema.safeParse({
		...DEFAULT_SESSION_SETTINGS,
		...(stored && typeof stored === 'object' ? stored : {})
	});
	return parsed.success ? parsed.data : DEFAULT_SESSION_SETTINGS;
}

export async function getSessionSettings(db: Executor): Promise<SessionSettings> {
	const [row] = await db.select().from(setting).where(eq(setting.key, SESSION_SETTINGS_KEY));
	return parseSessionSettings(row?.value);
}

export async function setSessionSettings(
	db: Executor,
	value: SessionSettings,
	actor: audit.Actor
): Promise<void> {
	return db.transaction(async (tx) => {
		const before = await getSessionSettings(tx);
		await tx
			.insert(setting)
			.values({ key: SESSION_SETTINGS_KEY, value })
			.onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date() } });
		await audit.record(tx, actor, {
			action: 'settings.update',
			entity: 'setting',
			entityId: SESSION_SETTINGS_KEY,
			changes: audit.diff(before, value)
		});
	});
}
