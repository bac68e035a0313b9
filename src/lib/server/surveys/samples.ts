// A campaign's sample (issue 8, §3): drawn from the enterprise register, stratified by township or
// industry and reproducible from its recorded seed, or imported as a call list; its units assigned
// to supervisors. Phone numbers are personal information (roles.md): this module alone decides
// who gets them unmasked (an admin, and the supervisor a unit is assigned to); a reveal is
// audited. A sample is replaced (redrawn, reimported) only while no invitation points at it and
// the campaign is not closed.
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { maskName, maskPhone } from '$lib/domain/mask';
import { drawSample as draw, type Unit } from '$lib/domain/sampling';
import { DomainError } from '$lib/errors';
import type { Locale } from '$lib/paraglide/runtime';
import {
	CALL_LIST_COLUMNS,
	CALL_LIST_EXAMPLE,
	CALL_LIST_HEADER_LABELS,
	CALL_LIST_OPTIONAL_COLUMNS,
	callListRowSchema,
	type CallListRow,
	type DrawSampleInput,
	type Stratification
} from '$lib/schemas/samples';
import * as audit from '$lib/server/audit';
import type { Principal } from '$lib/server/auth/guard';
import { rows as rawRows, type Executor, type Tx } from '$lib/server/db';
import {
	campaign,
	campaignSample,
	enterprise,
	invitation,
	sampleUnit,
	user,
	type Campaign,
	type CampaignSample
} from '$lib/server/db/schema';
import {
	chunked,
	REFERENCE_FILE_MAX_BYTES,
	recordsImporter,
	type ImportResult
} from '$lib/server/imports/records';

export { CALL_LIST_COLUMNS, CALL_LIST_EXAMPLE, CALL_LIST_HEADER_LABELS };
export const CALL_LIST_MAX_BYTES = REFERENCE_FILE_MAX_BYTES;

/** Who may learn of a campaign's sample at all (roles.md: campaigns are unannounced). */
const VIEWERS = new Set(['admin', 'supervisor', 'leader']);

/**
 * The campaign, locked for the change, that may have its sample replaced: it exists, is not
 * closed, and has no invitations (they point at the units).
 */
async function replaceableCampaign(tx: Tx, code: string): Promise<Campaign> {
	const [c] = await tx.select().from(campaign).where(eq(campaign.code, code)).for('update');
	if (!c) throw new DomainError('sample_campaign_not_found');
	if (c.state === 'closed') throw new DomainError('sample_campaign_closed');
	const [inv] = await tx
		.select({ id: invitation.id })
		.from(invitation)
		.where(eq(invitation.campaignId, c.id))
		.limit(1);
	if (inv) throw new DomainError('sample_has_invitations');
	return c;
}

/** What the audit trail records of a sample (no names or numbers: counts and the recipe). */
function sampleView(s: CampaignSample | undefined, units: number) {
	if (!s) return null;
	return { source: s.source, seed: s.seed, size: s.size, stratify: s.stratify, units };
}

async function unitCount(tx: Executor, campaignId: number): Promise<number> {
	const [r] = await tx
		.select({ n: count() })
		.from(sampleUnit)
		.where(eq(sampleUnit.campaignId, campaignId));
	return r?.n ?? 0;
}

type NewUnit = Omit<typeof sampleUnit.$inferInsert, 'campaignId' | 'position'>;

/**
 * Replaces the campaign's sample with `units` (in draw order) and its recipe; one audit entry
 * with the sample before and after.
 */
async function replaceSample(
	tx: Tx,
	c: Campaign,
	recipe: Pick<CampaignSample, 'source' | 'seed' | 'size' | 'stratify'>,
	units: readonly NewUnit[],
	actor: audit.Actor,
	userId: number | null,
	action: string
): Promise<void> {
	const [before] = await tx
		.select()
		.from(campaignSample)
		.where(eq(campaignSample.campaignId, c.id));
	const beforeUnits = before ? await unitCount(tx, c.id) : 0;
	await tx.delete(sampleUnit).where(eq(sampleUnit.campaignId, c.id));
	const [after] = await tx
		.insert(campaignSample)
		.values({ campaignId: c.id, ...recipe, drawnBy: userId, drawnAt: new Date() })
		.onConflictDoUpdate({
			target: campaignSample.campaignId,
			set: { ...recipe, drawnBy: userId, drawnAt: sql`now()` }
		})
		.returning();
	let position = 0;
	for (const part of chunked(units))
		await tx
			.insert(sampleUnit)
			.values(part.map((u) => ({ ...u, campaignId: c.id, position: ++position })));
	await audit.record(tx, actor, {
		action,
		entity: 'campaign',
		entityId: c.code,
		changes: audit.diff(before ? { sample: sampleView(before, beforeUnits) } : null, {
			sample: sampleView(after, units.length)
		})
	});
}

export interface DrawResult {
	campaignCode: string;
	seed: number;
	size: number;
	stratify: Stratification;
	/** Units drawn: `size`, or the whole register when it is smaller. */
	drawn: number;
	/** The register's units per stratum and each stratum's share of the sample, by name. */
	strata: { stratum: string; population: number; drawn: number }[];
}

/**
 * Draws the campaign's sample from the enterprise register (`$lib/domain/sampling`): the same
 * seed, size and stratification on the same register give the same enterprises in the same
 * order. Replaces an earlier sample (audited as a redraw) unless invitations exist or the
 * campaign is closed.
 */
export async function drawSample(
	db: Executor,
	input: DrawSampleInput & { campaignCode: string },
	actor: audit.Actor,
	userId: number | null = null
): Promise<DrawResult> {
	return db.transaction(async (tx) => {
		const c = await replaceableCampaign(tx, input.campaignCode);
		const stratumOf =
			input.stratify === 'township'
				? enterprise.township
				: input.stratify === 'industry'
					? enterprise.industry
					: sql<string>`''`;
		const population: Unit[] = await tx
			.select({ id: enterprise.id, stratum: sql<string>`${stratumOf}` })
			.from(enterprise);
		const drawn = draw(population, input.size, input.seed);

		const details = new Map<number, NewUnit>();
		for (const part of chunked(drawn.map((d) => d.id)))
			for (const e of await tx
				.select({
					id: enterprise.id,
					name: enterprise.name,
					phone: enterprise.contactPhone,
					township: enterprise.township,
					industry: enterprise.industry
				})
				.from(enterprise)
				.where(inArray(enterprise.id, part))) {
				const { id, ...rest } = e;
				details.set(id, { enterpriseId: id, ...rest });
			}
		const units = drawn.map((d) => ({ ...details.get(d.id)!, stratum: d.stratum }));
		await replaceSample(
			tx,
			c,
			{ source: 'drawn', seed: input.seed, size: input.size, stratify: input.stratify },
			units,
			actor,
			userId,
			'sample.draw'
		);

		const strata = new Map<string, { population: number; drawn: number }>();
		for (const u of population) {
			const s = strata.get(u.stratum) ?? { population: 0, drawn: 0 };
			s.population++;
			strata.set(u.stratum, s);
		}
		for (const d of drawn) strata.get(d.stratum)!.drawn++;
		return {
			campaignCode: c.code,
			seed: input.seed,
			size: input.size,
			stratify: input.stratify,
			drawn: drawn.length,
			strata: [...strata]
				.map(([stratum, s]) => ({ stratum, ...s }))
				.sort((a, b) => (a.stratum < b.stratum ? -1 : a.stratum > b.stratum ? 1 : 0))
		};
	});
}

// --- The call list ------------------------------------------------------------------------------

interface CallListOptions {
	locale: Locale;
	campaignCode: string;
	userId: number | null;
}

/** Whether the stored units are exactly these rows, in this order (a file imported again). */
async function sameUnits(tx: Tx, campaignId: number, rows: readonly CallListRow[]) {
	const [s] = await tx
		.select({ source: campaignSample.source })
		.from(campaignSample)
		.where(eq(campaignSample.campaignId, campaignId));
	if (s?.source !== 'call_list') return false;
	const stored = await tx
		.select({
			phone: sampleUnit.phone,
			name: sampleUnit.name,
			township: sampleUnit.township,
			industry: sampleUnit.industry
		})
		.from(sampleUnit)
		.where(eq(sampleUnit.campaignId, campaignId))
		.orderBy(asc(sampleUnit.position));
	return (
		stored.length === rows.length &&
		stored.every(
			(u, i) =>
				u.phone === rows[i]!.phone &&
				u.name === rows[i]!.name &&
				u.township === rows[i]!.township &&
				u.industry === rows[i]!.industry
		)
	);
}

export const callListImport = recordsImporter<CallListRow, CallListOptions>({
	columns: CALL_LIST_COLUMNS,
	optionalColumns: CALL_LIST_OPTIONAL_COLUMNS,
	headerLabels: CALL_LIST_HEADER_LABELS,
	example: CALL_LIST_EXAMPLE,
	schema: callListRowSchema,
	keyColumn: 'phone',
	key: (r) => r.phone,
	maxBytes: CALL_LIST_MAX_BYTES,
	write: async (tx, rows, { actor, opts }) => {
		const c = await replaceableCampaign(tx, opts.campaignCode);
		if (await sameUnits(tx, c.id, rows)) return { created: 0, updated: 0, entries: [] };
		await replaceSample(
			tx,
			c,
			{ source: 'call_list', seed: null, size: rows.length, stratify: 'none' },
			rows.map((r) => ({
				name: r.name,
				phone: r.phone,
				township: r.township,
				industry: r.industry
			})),
			actor,
			opts.userId,
			'sample.import_call_list'
		);
		return { created: rows.length, updated: 0, entries: [] };
	},
	audit: {
		action: 'sample.call_list_file',
		entity: 'campaign',
		facts: (opts) => ({ campaign: opts.campaignCode })
	}
});

/**
 * Imports a call list (docs/formats.md) as the campaign's sample, all or nothing: its rows in
 * file order become the units. Refused like a draw when the campaign is unknown or closed or has
 * invitations; the same file again changes nothing.
 */
export async function importCallList(
	db: Executor,
	campaignCode: string,
	file: Uint8Array,
	opts: { locale: Locale },
	actor: audit.Actor,
	userId: number | null = null
): Promise<ImportResult> {
	// Checked before the file is read too, so that a wrong code is not reported as bad rows.
	const [c] = await db
		.select({ id: campaign.id })
		.from(campaign)
		.where(eq(campaign.code, campaignCode));
	if (!c) throw new DomainError('sample_campaign_not_found');
	return callListImport.importFile(db, file, { ...opts, campaignCode, userId }, actor);
}

// --- Reading a sample ---------------------------------------------------------------------------

export interface SampleFacts {
	source: 'drawn' | 'call_list';
	seed: number | null;
	size: number;
	stratify: Stratification;
	drawnAt: Date;
	drawnBy: string | null;
	units: number;
	assigned: number;
}

/** The campaign's sample recipe and counts; null when it has none. */
export async function getSample(db: Executor, campaignId: number): Promise<SampleFacts | null> {
	const [s] = await db
		.select({
			source: campaignSample.source,
			seed: campaignSample.seed,
			size: campaignSample.size,
			stratify: campaignSample.stratify,
			drawnAt: campaignSample.drawnAt,
			drawnBy: user.displayName,
			units: sql<number>`(select count(*) from ${sampleUnit}
				where ${sampleUnit.campaignId} = ${campaignSample.campaignId})::int`,
			assigned: sql<number>`(select count(*) from ${sampleUnit}
				where ${sampleUnit.campaignId} = ${campaignSample.campaignId}
				and ${sampleUnit.assignedTo} is not null)::int`
		})
		.from(campaignSample)
		.leftJoin(user, eq(user.id, campaignSample.drawnBy))
		.where(eq(campaignSample.campaignId, campaignId));
	return s ?? null;
}

/** Whether `p` gets a unit's phone number unmasked: an admin, or the supervisor it is assigned to. */
function seesPhone(p: Principal, assignedTo: number | null): boolean {
	if (p.role === 'admin') return true;
	return p.role === 'supervisor' && p.kind === 'user' && p.id !== null && p.id === assignedTo;
}

export interface SampleUnitRow {
	id: number;
	position: number;
	name: string;
	/** Masked (138****5678) unless `phoneShown`. */
	phone: string;
	phoneShown: boolean;
	township: string;
	industry: string;
	stratum: string;
	assignedTo: number | null;
	assigneeName: string | null;
}

/**
 * One page of the campaign's units in draw order, optionally those assigned to one supervisor.
 * Phone numbers are masked except for an admin and the unit's supervisor; a leader, who may see
 * that a sample exists but not who is in it (roles.md: respondent identity), gets names masked
 * too. Null when the campaign does not exist or `p` may not learn of it (the same answer).
 */
export async function listSampleUnits(
	db: Executor,
	p: Principal,
	campaignCode: string,
	opts: {
		page: number;
		pageSize: number;
		assignedTo?: number;
		/** False: every number masked, whoever reads (the page shows them only when asked to). */
		revealPhones?: boolean;
	}
): Promise<{ rows: SampleUnitRow[]; total: number } | null> {
	if (!VIEWERS.has(p.role)) return null;
	const [c] = await db
		.select({ id: campaign.id })
		.from(campaign)
		.where(eq(campaign.code, campaignCode));
	if (!c) return null;
	const where = and(
		eq(sampleUnit.campaignId, c.id),
		opts.assignedTo === undefined ? undefined : eq(sampleUnit.assignedTo, opts.assignedTo)
	);
	const [page, [total]] = await Promise.all([
		db
			.select({
				id: sampleUnit.id,
				position: sampleUnit.position,
				name: sampleUnit.name,
				phone: sampleUnit.phone,
				township: sampleUnit.township,
				industry: sampleUnit.industry,
				stratum: sampleUnit.stratum,
				assignedTo: sampleUnit.assignedTo,
				assigneeName: user.displayName
			})
			.from(sampleUnit)
			.leftJoin(user, eq(user.id, sampleUnit.assignedTo))
			.where(where)
			.orderBy(asc(sampleUnit.position))
			.limit(opts.pageSize)
			.offset((opts.page - 1) * opts.pageSize),
		db.select({ n: count() }).from(sampleUnit).where(where)
	]);
	const rows = page.map((u) => {
		const shown = opts.revealPhones !== false && seesPhone(p, u.assignedTo);
		return {
			...u,
			name: p.role === 'leader' ? maskName(u.name) : u.name,
			phone: shown ? u.phone : maskPhone(u.phone),
			phoneShown: shown
		};
	});
	return { rows, total: total?.n ?? 0 };
}

/**
 * A unit's phone number, unmasked, for an admin or the supervisor the unit is assigned to;
 * audited. Anyone else is refused the same way whether the unit exists or not.
 */
export async function revealPhone(
	db: Executor,
	p: Principal,
	unitId: number,
	actor: audit.Actor
): Promise<{ phone: string }> {
	return db.transaction(async (tx) => {
		const [u] = await tx
			.select({
				phone: sampleUnit.phone,
				assignedTo: sampleUnit.assignedTo,
				campaignCode: campaign.code
			})
			.from(sampleUnit)
			.innerJoin(campaign, eq(campaign.id, sampleUnit.campaignId))
			.where(eq(sampleUnit.id, unitId));
		if (!u || !seesPhone(p, u.assignedTo)) {
			if (p.role === 'admin') throw new DomainError('sample_unit_not_found');
			throw new DomainError('sample_reveal_forbidden');
		}
		await audit.record(tx, actor, {
			action: 'sample.reveal_phone',
			entity: 'sample_unit',
			entityId: unitId,
			changes: { campaign: u.campaignCode }
		});
		return { phone: u.phone };
	});
}

// --- Assignments --------------------------------------------------------------------------------

/** Which units to assign: these ids, or the next `count` unassigned ones in draw order. */
export type UnitSelection = { unitIds: readonly number[] } | { count: number };

/**
 * Assigns units of the campaign's sample to a supervisor (an active account with that role);
 * audited with the supervisor and the units' positions. Returns how many were assigned.
 */
export async function assignUnits(
	db: Executor,
	campaignCode: string,
	selection: UnitSelection,
	/** The supervisor, or null to take the units back (hand-picked units only). */
	supervisorUserId: number | null,
	actor: audit.Actor
): Promise<{ assigned: number }> {
	return db.transaction(async (tx) => {
		const [c] = await tx
			.select({ id: campaign.id, state: campaign.state })
			.from(campaign)
			.where(eq(campaign.code, campaignCode))
			.for('update');
		if (!c) throw new DomainError('sample_campaign_not_found');
		if (c.state === 'closed') throw new DomainError('sample_campaign_closed');
		const [sup] =
			supervisorUserId === null
				? [{ username: null }]
				: await tx
						.select({ username: user.username })
						.from(user)
						.where(
							and(
								eq(user.id, supervisorUserId),
								eq(user.role, 'supervisor'),
								eq(user.disabled, false)
							)
						);
		if (!sup) throw new DomainError('sample_not_a_supervisor', { field: 'supervisor' });

		let ids: number[];
		if ('unitIds' in selection) {
			ids = [...new Set(selection.unitIds)];
			const found =
				ids.length === 0
					? []
					: await tx
							.select({ id: sampleUnit.id })
							.from(sampleUnit)
							.where(and(eq(sampleUnit.campaignId, c.id), inArray(sampleUnit.id, ids)));
			if (found.length !== ids.length || ids.length === 0)
				throw new DomainError('sample_unit_not_found');
		} else {
			if (supervisorUserId === null) throw new DomainError('sample_unit_not_found');
			const next = await tx
				.select({ id: sampleUnit.id })
				.from(sampleUnit)
				.where(and(eq(sampleUnit.campaignId, c.id), isNull(sampleUnit.assignedTo)))
				.orderBy(asc(sampleUnit.position))
				.limit(selection.count);
			ids = next.map((u) => u.id);
			if (ids.length === 0) throw new DomainError('sample_nothing_to_assign', { field: 'count' });
		}
		const positions: number[] = [];
		for (const part of chunked(ids))
			for (const u of await tx
				.update(sampleUnit)
				.set({ assignedTo: supervisorUserId })
				.where(inArray(sampleUnit.id, part))
				.returning({ position: sampleUnit.position }))
				positions.push(u.position);
		positions.sort((a, b) => a - b);
		await audit.record(tx, actor, {
			action: supervisorUserId === null ? 'sample.unassign' : 'sample.assign',
			entity: 'campaign',
			entityId: campaignCode,
			changes: {
				...(sup.username === null ? {} : { supervisor: { before: null, after: sup.username } }),
				units: { before: null, after: positions.length },
				positions: { before: null, after: ranges(positions) }
			}
		});
		return { assigned: positions.length };
	});
}

/** Sorted positions as ranges, `1-20;25;30-31`: short in the audit trail, whatever the count. */
function ranges(sorted: readonly number[]): string {
	const out: string[] = [];
	for (let i = 0; i < sorted.length;) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
		out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
		i = j + 1;
	}
	return out.join(';');
}

/** The supervisors units may be assigned to (active accounts), by name. */
export async function listSupervisors(
	db: Executor
): Promise<{ id: number; username: string; displayName: string }[]> {
	return db
		.select({ id: user.id, username: user.username, displayName: user.displayName })
		.from(user)
		.where(and(eq(user.role, 'supervisor'), eq(user.disabled, false)))
		.orderBy(asc(user.displayName), asc(user.username));
}

// --- Progress -----------------------------------------------------------------------------------

export interface SampleProgress {
	/** Per supervisor with units: assigned, and those with an answer through their invitation. */
	bySupervisor: { userId: number; name: string; assigned: number; responded: number }[];
	/** Per stratum ('' when unstratified): units, assigned, responded. */
	byStratum: { stratum: string; units: number; assigned: number; responded: number }[];
}

/** Assignment and response counts of the campaign's sample, counted in SQL. */
export async function sampleProgress(db: Executor, campaignCode: string): Promise<SampleProgress> {
	const unitFacts = sql`select u.id, u.stratum, u.assigned_to,
			exists (select 1 from invitation i join invitation_answer a on a.invitation_id = i.id
				where i.sample_unit_id = u.id) as responded
		from sample_unit u join campaign c on c.id = u.campaign_id
		where c.code = ${campaignCode}`;
	const [bySupervisor, byStratum] = await Promise.all([
		rawRows<{ userId: number; name: string; assigned: number; responded: number }>(
			db,
			sql`with f as (${unitFacts})
				select f.assigned_to as "userId", max(usr.display_name) as name,
					count(*)::int as assigned, (count(*) filter (where f.responded))::int as responded
				from f join "user" usr on usr.id = f.assigned_to
				group by f.assigned_to order by name, "userId"`
		),
		rawRows<{ stratum: string; units: number; assigned: number; responded: number }>(
			db,
			sql`with f as (${unitFacts})
				select f.stratum, count(*)::int as units,
					(count(*) filter (where f.assigned_to is not null))::int as assigned,
					(count(*) filter (where f.responded))::int as responded
				from f group by f.stratum order by f.stratum`
		)
	]);
	return { bySupervisor, byStratum };
}
