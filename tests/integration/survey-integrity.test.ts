// The references of survey responses and rating rows hold at the database, checked once per
// statement (migration 0005) instead of by per-row foreign keys: a row pointing at a missing
// campaign, response, department or enterprise is refused, so is a rating whose campaign is not
// its response's, and so is deleting what a response refers to.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '$lib/server/db';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment } from '../factories';
import { makeCampaign, makeResponse } from '../factories/records';

describeEachDatabase('survey references', (t) => {
	let campaignId: number;
	let otherCampaignId: number;
	let responseId: number;
	let departmentId: number;

	beforeAll(async () => {
		const d = await makeDepartment(t.db, { code: 'intA' });
		departmentId = d.id;
		campaignId = (await makeCampaign(t.db, { year: 2031 })).id;
		otherCampaignId = (await makeCampaign(t.db, { year: 2031 })).id;
		responseId = (await makeResponse(t.db, { campaignId, answers: { intA: [5, 4, 3, 2, 1, 0] } }))
			.id;
	});

	/** The statement fails, and for the reason the triggers give (Drizzle wraps the error). */
	async function refused(statement: ReturnType<typeof sql>) {
		const error = await t.db.execute(statement).then(
			() => null,
			(e: Error & { cause?: Error }) => e
		);
		expect(error, 'the statement should have been refused').not.toBeNull();
		expect(String(error!.cause?.message ?? error!.message)).toMatch(
			/does not exist|belongs to another campaign|referenced by survey responses/
		);
	}

	it('accepts a rating row whose references hold', async () => {
		const second = await makeResponse(t.db, { campaignId, answers: {} });
		await t.db.execute(
			sql`insert into survey_rating (response_id, department_id, campaign_id, r1)
				values (${second.id}, ${departmentId}, ${campaignId}, 4)`
		);
		const [n] = await rows<{ n: number }>(
			t.db,
			sql`select count(*)::int as n from survey_rating where response_id = ${second.id}`
		);
		expect(n!.n).toBe(1);
	});

	it('refuses a response of a campaign that does not exist', async () => {
		await refused(
			sql`insert into survey_response (response_key, campaign_id, channel, submitted_at)
				values ('int-missing-campaign', 999999, 'paper', now())`
		);
		await refused(
			sql`insert into survey_response (response_key, campaign_id, channel, submitted_at, enterprise_id)
				values ('int-missing-enterprise', ${campaignId}, 'paper', now(), 999999)`
		);
	});

	it('refuses a rating of a missing response, of another campaign, or of a missing department', async () => {
		await refused(
			sql`insert into survey_rating (response_id, department_id, campaign_id, r1)
				values (999999, ${departmentId}, ${campaignId}, 5)`
		);
		const fresh = await makeResponse(t.db, { campaignId, answers: {} });
		await refused(
			sql`insert into survey_rating (response_id, department_id, campaign_id, r1)
				values (${fresh.id}, ${departmentId}, ${otherCampaignId}, 5)`
		);
		await refused(
			sql`insert into survey_rating (response_id, department_id, campaign_id, r1)
				values (${fresh.id}, 999999, ${campaignId}, 5)`
		);
	});

	it('refuses deleting a campaign or department that responses refer to', async () => {
		await refused(sql`delete from campaign where id = ${campaignId}`);
		await refused(sql`delete from department where id = ${departmentId}`);
		// A campaign nobody answered can still go.
		await t.db.execute(sql`delete from campaign where id = ${otherCampaignId}`);
		expect(responseId).toBeGreaterThan(0);
	});
});
