// An enterprise account's home: its invitations (open, answered), the complaints it filed while
// signed in and the problems raised on visits to it — each only its own, as the surveys,
// complaints and visits modules decide.
import type { Principal } from '$lib/server/auth/guard';
import * as complaints from '$lib/server/complaints';
import type { Executor } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import * as visits from '$lib/server/visits';

export async function enterpriseHome(
	db: Executor,
	p: Principal,
	opts: { origin: string; now?: Date }
) {
	const [invitations, filed, problems] = await Promise.all([
		surveys.enterpriseSurveys(db, p, { origin: opts.origin }),
		complaints.ownComplaints(db, p),
		visits.ownProblems(db, p, opts.now)
	]);
	return { role: 'enterprise' as const, surveys: invitations, complaints: filed, problems };
}
