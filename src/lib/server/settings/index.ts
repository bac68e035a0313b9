// Settings an admin can change at run time, stored as JSON under one key per group, with
// defaults in code so an empty database works.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_COMPLAINT_DEADLINES } from '$lib/domain/complaints';
import { CARD_PREFIX_PATTERN, DEFAULT_CARD_PREFIX } from '$lib/domain/invitations';
import type { SecondFactorSettings } from '$lib/domain/two-factor';
import { checkbox } from '$lib/schemas/form-values';
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
function parseGroup<T>(schema: z.ZodType<T>, defaults: T, stored: unknown): T {
	const parsed = schema.safeParse({
		...defaults,
		...(stored && typeof stored === 'object' ? stored : {})
	});
	return parsed.success ? parsed.data : defaults;
}

export function parseSessionSettings(stored: unknown): SessionSettings {
	return parseGroup(sessionSettingsSchema, DEFAULT_SESSION_SETTINGS, stored);
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
	return saveGroup(db, SESSION_SETTINGS_KEY, getSessionSettings, value, actor);
}

/** Stores one group of settings and records the change, in one transaction. */
async function saveGroup<T extends Record<string, unknown>>(
	db: Executor,
	key: string,
	read: (tx: Executor) => Promise<T>,
	value: T,
	actor: audit.Actor
): Promise<void> {
	return db.transaction(async (tx) => {
		const before = await read(tx);
		await tx
			.insert(setting)
			.values({ key, value })
			.onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date() } });
		await audit.record(tx, actor, {
			action: 'settings.update',
			entity: 'setting',
			entityId: key,
			changes: audit.diff(before, value)
		});
	});
}

// --- The contact card (投诉联系卡) -----------------------------------------------------------

export const contactCardSettingsSchema = z.object({
	/** The complaint hotline printed on every card: digits, with spaces or hyphens. */
	hotline: z
		.string()
		.trim()
		.min(1)
		.max(20)
		.regex(/^[0-9][0-9 -]*$/, 'contact_card_hotline'),
	/** What card numbers start with (`YA` → `YA-2026-000123`). */
	cardPrefix: z
		.string()
		.trim()
		.min(1)
		.max(10)
		.transform((v) => v.toUpperCase())
		.refine((v) => CARD_PREFIX_PATTERN.test(v), 'contact_card_prefix')
});
export type ContactCardSettings = z.infer<typeof contactCardSettingsSchema>;

export const DEFAULT_CONTACT_CARD_SETTINGS: ContactCardSettings = {
	hotline: '12345',
	cardPrefix: DEFAULT_CARD_PREFIX
};

export const CONTACT_CARD_SETTINGS_KEY = 'contact_card';

export async function getContactCardSettings(db: Executor): Promise<ContactCardSettings> {
	const [row] = await db.select().from(setting).where(eq(setting.key, CONTACT_CARD_SETTINGS_KEY));
	return parseGroup(contactCardSettingsSchema, DEFAULT_CONTACT_CARD_SETTINGS, row?.value);
}

/** Changes the hotline or the card prefix; cards already issued keep their numbers. */
export async function setContactCardSettings(
	db: Executor,
	value: ContactCardSettings,
	actor: audit.Actor
): Promise<void> {
	return saveGroup(db, CONTACT_CARD_SETTINGS_KEY, getContactCardSettings, value, actor);
}

// --- Complaint deadlines (working days) ----------------------------------------------------------

const days = z.coerce.number().int().min(1).max(365);

/**
 * How long each step of a complaint may take, in working days. The department's response time
 * is the evaluation year's setting (`complaintResponseWorkingDays`, scoring.md §2.3), not this.
 */
export const complaintSettingsSchema = z
	.object({ acceptDays: days, concludeDays: days, extendedConcludeDays: days })
	.refine((v) => v.extendedConcludeDays >= v.concludeDays, {
		message: 'complaint_extension_shorter',
		path: ['extendedConcludeDays']
	});
export type ComplaintSettings = z.infer<typeof complaintSettingsSchema>;

export const DEFAULT_COMPLAINT_SETTINGS: ComplaintSettings = {
	acceptDays: DEFAULT_COMPLAINT_DEADLINES.acceptDays,
	concludeDays: DEFAULT_COMPLAINT_DEADLINES.concludeDays,
	extendedConcludeDays: DEFAULT_COMPLAINT_DEADLINES.extendedConcludeDays
};

export const COMPLAINT_SETTINGS_KEY = 'complaints';

export async function getComplaintSettings(db: Executor): Promise<ComplaintSettings> {
	const [row] = await db.select().from(setting).where(eq(setting.key, COMPLAINT_SETTINGS_KEY));
	return parseGroup(complaintSettingsSchema, DEFAULT_COMPLAINT_SETTINGS, row?.value);
}

/** Changes the deadlines; complaints already handled keep the response times they had. */
export async function setComplaintSettings(
	db: Executor,
	value: ComplaintSettings,
	actor: audit.Actor
): Promise<void> {
	return saveGroup(db, COMPLAINT_SETTINGS_KEY, getComplaintSettings, value, actor);
}

// --- The staff second factor ---------------------------------------------------------------------

/** Whether supervisors and liaisons must have a second factor (admins and leaders always do). */
export const secondFactorSettingsSchema = z.object({ supervisors: checkbox, liaisons: checkbox });

export const DEFAULT_SECOND_FACTOR_SETTINGS: SecondFactorSettings = {
	supervisors: false,
	liaisons: false
};

export const SECOND_FACTOR_SETTINGS_KEY = 'second_factor';

export function parseSecondFactorSettings(stored: unknown): SecondFactorSettings {
	return parseGroup(secondFactorSettingsSchema, DEFAULT_SECOND_FACTOR_SETTINGS, stored);
}

export async function getSecondFactorSettings(db: Executor): Promise<SecondFactorSettings> {
	const [row] = await db.select().from(setting).where(eq(setting.key, SECOND_FACTOR_SETTINGS_KEY));
	return parseSecondFactorSettings(row?.value);
}

/** Takes effect at once: a session of a role now required to have one is sent to enrol. */
export async function setSecondFactorSettings(
	db: Executor,
	value: SecondFactorSettings,
	actor: audit.Actor
): Promise<void> {
	return saveGroup(db, SECOND_FACTOR_SETTINGS_KEY, getSecondFactorSettings, value, actor);
}
