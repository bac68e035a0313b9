// A campaign's sample written straight into its tables (campaign_sample, sample_unit), with the
// register enterprises it drew: for tests of what comes after the draw (invitations, consoles).
import { eq } from 'drizzle-orm';
import { usccCheckChar } from '$lib/domain/uscc';
import type { Database } from '$lib/server/db';
import { campaign, campaignSample, enterprise, sampleUnit } from '$lib/server/db/schema';

// Random start: test files share one register only within a file, but never collide there.
let serial = Math.floor(Math.random() * 5_000_000);

/** A USCC with a valid check character, different on every call. */
export function makeUscc(): string {
	const body = `91330100MA${String(serial++ % 10_000_000).padStart(7, '0')}`;
	return body + usccCheckChar(body)!;
}

/** Sets a campaign's state (draft, active, closed) as the lifecycle verbs would leave it. */
export async function setCampaignState(
	db: Database,
	campaignId: number,
	state: 'draft' | 'active' | 'closed'
) {
	await db.update(campaign).set({ state }).where(eq(campaign.id, campaignId));
}

/**
 * Adds `units` units to the campaign's sample (creating the sample when it has none), each an
 * enterprise of the register named `<prefix> n`; `callList` units have no register enterprise.
 */
export async function makeSample(
	db: Database,
	campaignId: number,
	opts: { units: number; prefix?: string; township?: string; callList?: number }
) {
	const prefix = opts.prefix ?? '企业';
	await db
		.insert(campaignSample)
		.values({ campaignId, source: 'drawn', seed: 1, size: opts.units })
		.onConflictDoNothing();
	const existing = await db
		.select({ position: sampleUnit.position })
		.from(sampleUnit)
		.where(eq(sampleUnit.campaignId, campaignId));
	let position = Math.max(0, ...existing.map((u) => u.position));
	const units = [];
	for (let i = 0; i < opts.units; i++) {
		const name = `${prefix} ${position + 1}`;
		const [e] = await db
			.insert(enterprise)
			.values({ uscc: makeUscc(), name, township: opts.township ?? '城关镇' })
			.returning();
		const [u] = await db
			.insert(sampleUnit)
			.values({
				campaignId,
				position: ++position,
				enterpriseId: e!.id,
				name,
				township: e!.township,
				phone: '13812345678'
			})
			.returning();
		units.push(u!);
	}
	for (let i = 0; i < (opts.callList ?? 0); i++) {
		const [u] = await db
			.insert(sampleUnit)
			.values({ campaignId, position: ++position, name: `${prefix} ${position}`, township: '' })
			.returning();
		units.push(u!);
	}
	return units;
}
