// The home page of one's own work (issue 10 §1): one function per role of `ROLES.home`, each
// gathering its blocks from the modules that own them (which decide what the reader sees).
// Every list is bounded (the first few by deadline) with its total, for a "see all" link.
//   import * as home from '$lib/server/home'
import type { Principal } from '$lib/server/auth/guard';
import type { Executor } from '$lib/server/db';
import { enterpriseHome } from './enterprise';
import { liaisonHome } from './liaison';
import { supervisorHome } from './supervisor';

export { enterpriseHome, liaisonHome, supervisorHome };
export { HOME_CAMPAIGNS, HOME_HEAD } from './limits';

export type SupervisorHome = Awaited<ReturnType<typeof supervisorHome>>;
export type LiaisonHome = NonNullable<Awaited<ReturnType<typeof liaisonHome>>>;
export type EnterpriseHome = Awaited<ReturnType<typeof enterpriseHome>>;
export type Home = SupervisorHome | LiaisonHome | EnterpriseHome;

/** The home of whoever reads: null for a role without one (or a liaison without a department). */
export async function homeOf(
	db: Executor,
	p: Principal,
	opts: { origin: string; now?: Date }
): Promise<Home | null> {
	switch (p.role) {
		case 'supervisor':
			return supervisorHome(db, p, opts.now);
		case 'liaison':
			return liaisonHome(db, p, opts.now);
		case 'enterprise':
			return enterpriseHome(db, p, opts);
		default:
			return null;
	}
}
