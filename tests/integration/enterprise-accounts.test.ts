// Enterprise accounts on both databases: an enterprise-role account is linked to its enterprise
// by USCC (checked: a known enterprise, the enterprise role only, one account per enterprise;
// audited); its surveys are its own invitations to running campaigns (with the card's address)
// and what it answered through them — never another enterprise's, nothing for other roles.
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { invitationUrl } from '$lib/domain/invitations';
import { auditEntry, enterprise, sampleUnit } from '$lib/server/db/schema';
import { createUserSchema } from '$lib/schemas/users';
import * as surveys from '$lib/server/surveys';
import * as users from '$lib/server/users';
import { makeDepartment, makeUser, testActor, unique } from '../factories';
import { makeCampaign, retireAllDepartments } from '../factories/records';
import { makeSample, makeUscc, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';
import { refusalCode } from '../helpers/refusal';

useEnv({ INVITATION_SECRET: 'test-invitation-secret-accounts-0123456789' });

const ORIGIN = 'https://pingyi.example';
const LEVELS = [5, 4, 3, 5, 4, 0];
const QUESTIONS = ['transparency', 'service', 'integrity', 'attitude', 'quality', 'efficiency'];
const answers = (...codes: string[]) =>
	codes.flatMap((d) =>
		QUESTIONS.map((q, i) => ({ department_code: d, question_code: q, answer: LEVELS[i] }))
	);

describeEachDatabase('enterprise accounts', (t) => {
	// Two enterprises invited to one running campaign, one of them also to a closed one.
	let usccA = '';
	let usccB = '';
	let tokens: { a: string; b: string; closedA: string };

	const account = async (uscc: string) =>
		t.db.transaction((tx) =>
			users.create(
				tx,
				{
					username: unique('ent'),
					displayName: 'Enterprise',
					role: 'enterprise',
					enterpriseUscc: uscc,
					password: 'correct horse battery'
				},
				testActor
			)
		);
	const principal = (u: { id: number }) => ({
		kind: 'user' as const,
		id: u.id,
		role: 'enterprise' as const
	});

	beforeAll(async () => {
		await retireAllDepartments(t.db);
		for (const code of ['EA', 'EB']) await makeDepartment(t.db, { code });
		const year = new Date().getFullYear();
		const c = await makeCampaign(t.db, { year, kind: 'enterprise_visit' });
		const units = await makeSample(t.db, c.id, { units: 2 });
		await setCampaignState(t.db, c.id, 'active');
		const issued = (await surveys.createInvitations(t.db, c.code, testActor)).created;
		const usccOf = async (unitId: number) =>
			(
				await t.db
					.select({ uscc: enterprise.uscc })
					.from(sampleUnit)
					.innerJoin(enterprise, eq(enterprise.id, sampleUnit.enterpriseId))
					.where(eq(sampleUnit.id, unitId))
			)[0]!.uscc;
		usccA = await usccOf(units[0]!.id);
		usccB = await usccOf(units[1]!.id);
		// The same enterprise A in a second campaign, since closed.
		const closed = await makeCampaign(t.db, { year, kind: 'enterprise_visit' });
		const [eA] = await t.db.select().from(enterprise).where(eq(enterprise.uscc, usccA));
		const [unit] = await makeSample(t.db, closed.id, { units: 1 });
		await t.db
			.update(sampleUnit)
			.set({ enterpriseId: eA!.id, name: eA!.name })
			.where(eq(sampleUnit.id, unit!.id));
		await setCampaignState(t.db, closed.id, 'active');
		const closedIssued = (await surveys.createInvitations(t.db, closed.code, testActor)).created;
		await setCampaignState(t.db, closed.id, 'closed');
		tokens = {
			a: issued.find((x) => x.sampleUnitId === units[0]!.id)!.token,
			b: issued.find((x) => x.sampleUnitId === units[1]!.id)!.token,
			closedA: closedIssued[0]!.token
		};
	});

	it('links an enterprise account to its enterprise by USCC, and audits it', async () => {
		// The form's schema takes it in any case, with spaces around, and checks its check digit.
		const typed = {
			username: 'ent-a',
			displayName: 'A',
			role: 'enterprise',
			password: 'x'.repeat(12)
		};
		expect(
			createUserSchema.parse({ ...typed, enterpriseUscc: ` ${usccA.toLowerCase()} ` })
		).toMatchObject({ enterpriseUscc: usccA });
		expect(createUserSchema.parse({ ...typed, enterpriseUscc: '' }).enterpriseUscc).toBeUndefined();
		const wrongCheck = usccA.slice(0, 17) + (usccA.endsWith('0') ? '1' : '0');
		expect(createUserSchema.safeParse({ ...typed, enterpriseUscc: wrongCheck }).success).toBe(
			false
		);
		const u = await account(usccA);
		expect(u.enterpriseId).not.toBeNull();
		const detail = await users.get(t.db, u.id);
		expect(detail!.enterpriseUscc).toBe(usccA);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(
				and(
					eq(auditEntry.entity, 'user'),
					eq(auditEntry.entityId, String(u.id)),
					eq(auditEntry.action, 'user.create')
				)
			);
		expect(entry!.changes).toMatchObject({ enterpriseId: { after: u.enterpriseId } });
		// Unlinking (an empty field) is a change too, audited, and ends the account's sessions.
		const r = await t.db.transaction((tx) =>
			users.update(tx, u.id, { displayName: 'E', role: 'enterprise' }, testActor)
		);
		expect(r.user.enterpriseId).toBeNull();
		expect(r.sessionsEnded).toBe(true);
	});

	it('refuses an unknown USCC, another role, and a second account for one enterprise', async () => {
		// Well formed, but in no register row.
		const other = makeUscc();
		expect(await refusalCode(account(other))).toBe('user_enterprise_unknown');
		expect(
			await refusalCode(
				t.db.transaction((tx) =>
					users.create(
						tx,
						{
							username: unique('sup'),
							displayName: 'S',
							role: 'supervisor',
							enterpriseUscc: usccB,
							password: 'correct horse battery'
						},
						testActor
					)
				)
			)
		).toBe('user_enterprise_role');
		await account(usccB);
		expect(await refusalCode(account(usccB))).toBe('user_enterprise_taken');
	});

	it('lists its own invitations to running campaigns and its own answers only', async () => {
		// The first test's account was unlinked: A may have another.
		const a = await account(usccA);
		const before = await surveys.enterpriseSurveys(t.db, principal(a), { origin: ORIGIN });
		expect(before.invitations).toHaveLength(1);
		expect(before.invitations[0]!.url).toBe(invitationUrl(ORIGIN, tokens.a));
		expect(before.answers).toEqual([]);
		// B answers about EA, A about EB: A sees only its own answer.
		await surveys.answerInvitation(
			t.db,
			tokens.b,
			{ response_key: unique('b-'), answers: answers('EA') },
			{
				address: '10.1.0.1'
			}
		);
		await surveys.answerInvitation(
			t.db,
			tokens.a,
			{ response_key: unique('a-'), answers: answers('EB') },
			{
				address: '10.1.0.1'
			}
		);
		const after = await surveys.enterpriseSurveys(t.db, principal(a), { origin: ORIGIN });
		expect(after.answers.map((x) => x.departmentCode)).toEqual(['EB']);
		expect(after.answerTotal).toBe(1);
		expect(after.invitations[0]!.answered).toBe(1);
		// Nothing of the closed campaign's invitation is offered, nor any token of B's.
		expect(JSON.stringify(after)).not.toContain(tokens.closedA);
		expect(JSON.stringify(after)).not.toContain(tokens.b);
		expect(after.invitations.every((i) => i.url.endsWith(tokens.a))).toBe(true);
	});

	it('gives nothing to an unlinked account or to another role', async () => {
		const unlinked = await makeUser(t.db, { role: 'enterprise' });
		expect(await surveys.enterpriseSurveys(t.db, principal(unlinked), { origin: ORIGIN })).toEqual({
			enterprise: null,
			invitations: [],
			answers: [],
			answerTotal: 0
		});
		// A supervisor naming an enterprise account's id still gets nothing: the role decides.
		const sup = await makeUser(t.db, { role: 'supervisor' });
		const got = await surveys.enterpriseSurveys(
			t.db,
			{ kind: 'user', id: sup.id, role: 'supervisor' },
			{ origin: ORIGIN }
		);
		expect(got.invitations).toEqual([]);
	});
});
