// Invitations (issue 8 §4) on both databases: one per sample unit, created again only for the
// units that lack one; tokens stored only as their hash (in no column, no audit entry); a token
// resolves to its active campaign; wrong tokens are throttled per address; a draft or closed
// campaign's token is refused exactly as an unknown one; the export's addresses resolve.
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { parseCardNo } from '$lib/domain/invitations';
import { rows } from '$lib/server/db';
import { invitationAnswer, surveyResponse } from '$lib/server/db/schema';
import { FREE_FAILURES } from '$lib/server/auth/rate-limit';
import { setContactCardSettings } from '$lib/server/settings';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { describeEachDatabase } from '../helpers/db';
import { useEnv } from '../helpers/env';
import { refusalCode } from '../helpers/refusal';

const SECRET = 'test-invitation-secret-0123456789abcdef';
const ORIGIN = 'https://pingyi.example.gov.cn';
useEnv({ INVITATION_SECRET: SECRET });

/** Every address's token, from the export's URLs. */
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describeEachDatabase('invitations', (t) => {
	let code: string;
	let campaignId: number;
	let tokens: string[];

	beforeAll(async () => {
		await setContactCardSettings(t.db, { hotline: '0571-12345', cardPrefix: 'YA' }, testActor);
		const c = await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' });
		code = c.code;
		campaignId = c.id;
		await setCampaignState(t.db, c.id, 'active');
		await makeSample(t.db, c.id, { units: 5, callList: 1 });
	});

	it('creates one invitation per sample unit, numbered per year, with tokens returned once', async () => {
		const r = await surveys.createInvitations(t.db, code, testActor);
		expect(r.created).toHaveLength(6);
		expect(r.total).toBe(6);
		expect(r.created.map((x) => x.cardNo)).toEqual([
			'YA-2026-000001',
			'YA-2026-000002',
			'YA-2026-000003',
			'YA-2026-000004',
			'YA-2026-000005',
			'YA-2026-000006'
		]);
		expect(r.created[0]!.uscc).toMatch(/^[0-9A-Z]{18}$/);
		expect(r.created[5]!.uscc).toBe(''); // the call-list unit
		tokens = r.created.map((x) => x.token);
		expect(new Set(tokens).size).toBe(6);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('adds only the missing invitations on a second run, continuing the numbers', async () => {
		const again = await surveys.createInvitations(t.db, code, testActor);
		expect(again.created).toHaveLength(0);
		await makeSample(t.db, campaignId, { units: 2 });
		const more = await surveys.createInvitations(t.db, code, testActor);
		expect(more.created.map((x) => x.cardNo)).toEqual(['YA-2026-000007', 'YA-2026-000008']);
		tokens.push(...more.created.map((x) => x.token));
		const [n] = await rows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from invitation where campaign_id = ${campaignId}`
		);
		expect(n!.n).toBe(8);
		// Another campaign of the year continues the year's sequence.
		const other = await makeCampaign(t.db, { year: 2026 });
		await makeSample(t.db, other.id, { units: 1 });
		const o = await surveys.createInvitations(t.db, other.code, testActor);
		expect(parseCardNo(o.created[0]!.cardNo)).toEqual({ prefix: 'YA', year: 2026, seq: 9 });
	});

	it('stores tokens only hashed: in no column, nor in the audit trail', async () => {
		const stored = await rows<{ row: string }>(
			t.db,
			sql`select row_to_json(i)::text as row from invitation i where campaign_id = ${campaignId}`
		);
		const audit = await rows<{ row: string }>(
			t.db,
			sql`select row_to_json(a)::text as row from audit_entry a
				where action = 'invitations.create' and entity_id = ${code}`
		);
		expect(audit).toHaveLength(3);
		expect(audit[0]!.row).toContain('"invitations"');
		const hashes = stored.map((s) => (JSON.parse(s.row) as { token_hash: string }).token_hash);
		for (const token of tokens) {
			for (const s of [...stored, ...audit]) expect(s.row).not.toContain(token);
			expect(hashes).toContain(surveys.hashToken(token));
		}
	});

	it('resolves a token to its active campaign and unit, with the departments answered', async () => {
		const r = await surveys.resolveInvitation(t.db, tokens[0]!, { address: '10.0.0.1' });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.campaign.code).toBe(code);
		expect(r.invitation.cardNo).toBe('YA-2026-000001');
		expect(r.unit.name).toMatch(/^企业 /);
		expect(r.answered).toEqual([]);

		const dept = await makeDepartment(t.db);
		const [resp] = await t.db
			.insert(surveyResponse)
			.values({
				responseKey: unique('rk'),
				campaignId,
				channel: 'online',
				submittedAt: new Date('2026-05-01T02:00:00Z')
			})
			.returning();
		await t.db
			.insert(invitationAnswer)
			.values({ invitationId: r.invitation.id, departmentId: dept.id, responseId: resp!.id });
		const again = await surveys.resolveInvitation(t.db, tokens[0]!, { address: '10.0.0.1' });
		expect(again.ok && again.answered).toEqual([{ id: dept.id, code: dept.code }]);
		const list = await surveys.listInvitations(t.db, { role: 'leader' }, code, {
			page: 1,
			pageSize: 5
		});
		expect(list.rows[0]!.answered).toBe(1);
		// Who answered is not the leader's to know: the enterprise is masked beside its answers.
		expect(list.rows[0]!.enterpriseName).toMatch(/^.\*+$/);
		expect(list.rows[0]!.uscc).toMatch(/^.\*+$/);
		const full = await surveys.listInvitations(t.db, { role: 'admin' }, code, {
			page: 1,
			pageSize: 5
		});
		expect(full.rows[0]!.enterpriseName).not.toContain('*');
		expect(list.rows).toHaveLength(5);
		expect(list).toMatchObject({ total: 8, units: 8, uninvited: 0 });
	});

	it('refuses a wrong token, and throttles the address after a few', async () => {
		const address = '10.0.0.2';
		const now = new Date();
		const wrong = 'a'.repeat(32);
		for (let i = 0; i < FREE_FAILURES; i++) {
			const r = await surveys.resolveInvitation(t.db, wrong, { address, now });
			expect(r).toEqual({ ok: false, retryAfterSeconds: 0 });
		}
		// Now even the right token is refused from this address, without being looked up.
		const blocked = await surveys.resolveInvitation(t.db, tokens[1]!, { address, now });
		expect(blocked.ok).toBe(false);
		expect(!blocked.ok && blocked.retryAfterSeconds).toBeGreaterThan(0);
		// Another address is not affected.
		expect((await surveys.resolveInvitation(t.db, tokens[1]!, { address: '10.0.0.3' })).ok).toBe(
			true
		);
		// After the wait, the right token works again.
		const later = new Date(now.getTime() + 60_000);
		expect((await surveys.resolveInvitation(t.db, tokens[1]!, { address, now: later })).ok).toBe(
			true
		);
	});

	it('refuses the token of a draft or closed campaign exactly as an unknown one', async () => {
		const unknown = await surveys.resolveInvitation(t.db, 'b'.repeat(32), { address: '10.1.0.1' });
		const malformed = await surveys.resolveInvitation(t.db, 'not a token', {
			address: '10.1.0.2'
		});
		await setCampaignState(t.db, campaignId, 'closed');
		const closed = await surveys.resolveInvitation(t.db, tokens[2]!, { address: '10.1.0.3' });
		await setCampaignState(t.db, campaignId, 'draft');
		const draft = await surveys.resolveInvitation(t.db, tokens[2]!, { address: '10.1.0.4' });
		await setCampaignState(t.db, campaignId, 'active');
		for (const r of [malformed, closed, draft]) expect(r).toEqual(unknown);
		expect(unknown).toEqual({ ok: false, retryAfterSeconds: 0 });
		// …and each counted as a wrong guess of its address.
		const [n] = await rows<{ failures: number }>(
			t.db,
			sql`select failures from sign_in_throttle where key = 'invitation:10.1.0.3'`
		);
		expect(n!.failures).toBe(1);
	});

	it('refuses to create for an unknown or closed campaign, or one without a sample', async () => {
		expect(await refusalCode(surveys.createInvitations(t.db, 'no-such', testActor))).toBe(
			'campaign_not_found'
		);
		const empty = await makeCampaign(t.db, { year: 2026 });
		expect(await refusalCode(surveys.createInvitations(t.db, empty.code, testActor))).toBe(
			'invitation_no_sample'
		);
		const closed = await makeCampaign(t.db, { year: 2026 });
		await makeSample(t.db, closed.id, { units: 1 });
		await setCampaignState(t.db, closed.id, 'closed');
		expect(await refusalCode(surveys.createInvitations(t.db, closed.code, testActor))).toBe(
			'invitation_campaign_closed'
		);
		// A liaison is told no more than about a campaign that does not exist.
		expect(
			await refusalCode(
				surveys.listInvitations(t.db, { role: 'liaison' }, code, { page: 1, pageSize: 5 })
			)
		).toBe('campaign_not_found');
	});

	it('exports uscc, enterprise_name, card_no, url; every url resolves', async () => {
		const { lines } = await surveys.invitationLines(t.db, code, ORIGIN);
		const csv = surveys.invitationsCsv(lines);
		expect(csv.startsWith('\uFEFFuscc,enterprise_name,card_no,url\r\n')).toBe(true);
		const records = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
		expect(records).toHaveLength(8);
		expect(records[0]).toMatchObject({ card_no: 'YA-2026-000001', enterprise_name: '企业 1' });
		expect(records.map((r) => tokenOf(r.url!))).toEqual(tokens);
		for (const r of records) {
			expect(r.url).toMatch(new RegExp(`^${ORIGIN}/i/[a-z2-7]{32}$`));
			const resolved = await surveys.resolveInvitation(t.db, tokenOf(r.url!), {
				address: '10.2.0.1'
			});
			expect(resolved.ok && resolved.invitation.cardNo).toBe(r.card_no);
		}
		const page = await surveys.invitationLines(t.db, code, ORIGIN, { page: 2, pageSize: 3 });
		expect(page.lines.map((l) => l.cardNo)).toEqual([
			'YA-2026-000004',
			'YA-2026-000005',
			'YA-2026-000006'
		]);
		expect(page.total).toBe(8);
	});

	it('neutralises a name a spreadsheet would run as a formula', async () => {
		const c = await makeCampaign(t.db, { year: 2027 });
		await makeSample(t.db, c.id, { units: 1, prefix: '=HYPERLINK("x")' });
		await surveys.createInvitations(t.db, c.code, testActor);
		const csv = surveys.invitationsCsv((await surveys.invitationLines(t.db, c.code, ORIGIN)).lines);
		expect(csv).toContain(`"'=HYPERLINK(""x"") 1"`);
		expect(csv).toContain('YA-2027-000001');
	});
});
