// What the demo's generators share while they write one city: the transaction, the CLI actor,
// the seeded randomness and the rows written so far that later records refer to.
import type { Category } from '$lib/domain/scoring';
import type { Actor } from '$lib/server/audit';
import * as audit from '$lib/server/audit';
import type { Tx } from '$lib/server/db';
import type { Random } from './prng';

export interface DemoDepartmentRow {
	id: number;
	code: string;
	nameZh: string;
	category: Category;
	/** 0 (worst) … 1 (best): how well it serves, from its `trouble` and a little chance. */
	quality: number;
}

export interface DemoEnterpriseRow {
	id: number;
	uscc: string;
	name: string;
}

export interface DemoContext {
	tx: Tx;
	actor: Actor;
	random: Random;
	departments: DemoDepartmentRow[];
	byCode: Map<string, DemoDepartmentRow>;
	enterprises: DemoEnterpriseRow[];
	/** The demo's supervisor and leader accounts, named on the records they handled. */
	supervisorId: number;
	leaderId: number;
}

/** One audit entry for records the demo wrote in bulk (the entry names the kind and count). */
export async function audited(
	ctx: Pick<DemoContext, 'tx' | 'actor'>,
	entity: string,
	changes: Record<string, unknown>
): Promise<void> {
	await audit.record(ctx.tx, ctx.actor, { action: 'demo.load', entity, changes });
}
