// Questionnaires built in the UI (`surveys.createQuestionnaire`, `saveQuestionnaireVersion`):
// an unused version is edited in place, a version a campaign uses is frozen and an edit of it
// becomes the next version; both audited. Their choice questions are answered through
// `submitResponse` (stored in survey_choice_answer, read back, replayed), the respondent's form
// enforces `required` for every kind, and the responses file refuses choice answers with one code.
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDomainError, type DomainError } from '$lib/errors';
import { createCampaignSchema } from '$lib/schemas/campaigns';
import { createQuestionnaireSchema, fieldsOf, versionSchema } from '$lib/schemas/questionnaires';
import { respondentSchema } from '$lib/schemas/respondent';
import { RESPONSE_COLUMNS } from '$lib/schemas/responses';
import { rows } from '$lib/server/db';
import { auditEntry } from '$lib/server/db/schema';
import * as surveys from '$lib/server/surveys';
import { makeDepartment, testActor, unique } from '../factories';
import { describeEachDatabase } from '../helpers/db';

/** A version as the builder's form would post it. */
const version = (code: string, extra: Record<string, string> = {}) =>
	versionSchema.parse({
		...fieldsOf({
			titleZh: '营商环境问卷',
			titleEn: 'Business climate',
			questions: [
				{
					code: 'speed',
					kind: 'rating',
					textZh: '办事速度',
					textEn: 'Speed',
					required: true,
					dimension: 'convenience',
					options: []
				},
				{
					code: 'channel',
					kind: 'single',
					textZh: '办理渠道',
					textEn: 'Channel',
					required: true,
					dimension: '',
					options: [
						{ code: 'online', textZh: '网上', textEn: 'Online' },
						{ code: 'window', textZh: '窗口', textEn: 'Counter' }
					]
				},
				{
					code: 'issues',
					kind: 'multiple',
					textZh: '遇到的问题',
					textEn: 'Issues met',
					required: false,
					dimension: '',
					options: [
						{ code: 'wait', textZh: '排队久', textEn: 'Long wait' },
						{ code: 'docs', textZh: '材料多', textEn: 'Many documents' },
						{ code: 'rude', textZh: '态度差', textEn: 'Rude staff' }
					]
				},
				{
					code: code,
					kind: 'long_text',
					textZh: '建议',
					textEn: 'Suggestions',
					required: false,
					dimension: '',
					options: []
				}
			]
		}),
		...extra
	});

describeEachDatabase('questionnaires', (t) => {
	let a: string;
	let b: string;
	beforeAll(async () => {
		a = (await makeDepartment(t.db)).code;
		b = (await makeDepartment(t.db)).code;
	});

	const create = (code: string) =>
		surveys.createQuestionnaire(
			t.db,
			createQuestionnaireSchema.parse({ code, titleZh: '问卷', titleEn: 'Q' }),
			testActor
		);
	const campaignOn = async (questionnaire: string) => {
		const input = createCampaignSchema.parse({
			code: unique('c'),
			year: 2025,
			kind: 'online',
			questionnaire
		});
		return surveys.createCampaign(t.db, input, testActor);
	};
	const audits = (entityId: string) =>
		t.db
			.select({ action: auditEntry.action, changes: auditEntry.changes })
			.from(auditEntry)
			.where(and(eq(auditEntry.entity, 'questionnaire'), eq(auditEntry.entityId, entityId)));

	it('creates version 1, refuses a second questionnaire of the same code, and lists it', async () => {
		const code = unique('q');
		expect(await create(code)).toEqual({ code, version: 1 });
		await expect(create(code)).rejects.toSatisfy((e) =>
			isDomainError(e, 'questionnaire_code_taken')
		);
		const listed = (await surveys.listQuestionnaireVersions(t.db)).find((v) => v.code === code);
		expect(listed).toMatchObject({ version: 1, questions: 0, campaigns: 0, frozen: false });
		expect((await audits(`${code}@1`)).map((e) => e.action)).toEqual(['questionnaire.create']);
		// The campaign form offers it: campaigns take the newest version of each questionnaire.
		expect((await surveys.listQuestionnaires(t.db)).some((q) => q.code === code)).toBe(true);
	});

	it('edits an unused version in place, slots assigned to the ratings in order', async () => {
		const code = unique('q');
		await create(code);
		const saved = await surveys.saveQuestionnaireVersion(t.db, code, 1, version('note'), testActor);
		expect(saved).toEqual({ code, version: 1, created: false });
		// Edited again in place: the questions are replaced, not added to.
		await surveys.saveQuestionnaireVersion(t.db, code, 1, version('remark'), testActor);
		const v = (await surveys.getQuestionnaireVersion(t.db, code, 1))!;
		expect(v.frozen).toBe(false);
		expect(v.questions.map((q) => [q.code, q.kind, q.slot, q.required])).toEqual([
			['speed', 'rating', 1, true],
			['channel', 'single', null, true],
			['issues', 'multiple', null, false],
			['remark', 'long_text', null, false]
		]);
		expect(v.questions[2]!.options.map((o) => o.code)).toEqual(['wait', 'docs', 'rude']);
		const entries = await audits(`${code}@1`);
		expect(entries.map((e) => e.action)).toEqual([
			'questionnaire.create',
			'questionnaire.update',
			'questionnaire.update'
		]);
		expect(JSON.stringify(entries[2]!.changes)).toContain('remark:long_text');
	});

	it('freezes a version a campaign uses: an edit of it becomes the next version', async () => {
		const code = unique('q');
		await create(code);
		await surveys.saveQuestionnaireVersion(t.db, code, 1, version('note'), testActor);
		const c = await campaignOn(code);
		expect(c.questionnaireVersion).toBe(1);
		const saved = await surveys.saveQuestionnaireVersion(
			t.db,
			code,
			1,
			version('later', { titleEn: 'Business climate 2' }),
			testActor
		);
		expect(saved).toEqual({ code, version: 2, created: true });
		const [v1, v2] = await Promise.all([
			surveys.getQuestionnaireVersion(t.db, code, 1),
			surveys.getQuestionnaireVersion(t.db, code, 2)
		]);
		expect(v1!.frozen).toBe(true);
		expect(v1!.campaigns).toEqual([c.code]);
		expect(v1!.questions.at(-1)!.code).toBe('note');
		expect(v1!.titleEn).toBe('Business climate');
		expect(v2!.frozen).toBe(false);
		expect(v2!.latest).toBe(2);
		expect(v2!.questions.at(-1)!.code).toBe('later');
		expect(v2!.titleEn).toBe('Business climate 2');
		const [entry] = await audits(`${code}@2`);
		expect(entry!.action).toBe('questionnaire.version');
		expect(entry!.changes).toMatchObject({ from: `${code}@1` });
		// The campaign still answers version 1; a new campaign takes version 2.
		expect((await campaignOn(code)).questionnaireVersion).toBe(2);
	});

	it('never edits the built-in questionnaire in place', async () => {
		const saved = await surveys.saveQuestionnaireVersion(
			t.db,
			'standard-appraisal',
			1,
			version('note'),
			testActor
		);
		expect(saved.created).toBe(true);
		expect(saved.version).toBeGreaterThan(1);
		const v1 = (await surveys.getQuestionnaireVersion(t.db, 'standard-appraisal', 1))!;
		expect(v1.questions.map((q) => q.code)).toContain('transparency');
	});

	it('refuses an edit of a version that does not exist', async () => {
		await expect(
			surveys.saveQuestionnaireVersion(t.db, unique('q'), 1, version('note'), testActor)
		).rejects.toSatisfy((e) => isDomainError(e, 'questionnaire_not_found'));
	});

	describe('answers to its questions', () => {
		let campaign: string;
		let code: string;
		beforeAll(async () => {
			code = unique('q');
			await create(code);
			await surveys.saveQuestionnaireVersion(t.db, code, 1, version('note'), testActor);
			campaign = (await campaignOn(code)).code;
		});
		const body = (
			answers: { department_code: string; question_code: string; answer: unknown }[]
		) => ({
			response_key: unique('k'),
			campaign_code: campaign,
			channel: 'phone',
			submitted_at: '2025-05-06 09:30',
			answers
		});

		it('stores single and multiple choices, reads them back and replays them', async () => {
			const sent = body([
				{ department_code: a, question_code: 'speed', answer: 4 },
				{ department_code: a, question_code: 'channel', answer: 'window' },
				// Given out of order: stored and returned in the question's order.
				{ department_code: a, question_code: 'issues', answer: ['rude', 'wait'] },
				{ department_code: b, question_code: 'channel', answer: 'online' },
				{ department_code: b, question_code: 'note', answer: '很好' }
			]);
			const first = await surveys.submitResponse(t.db, sent);
			expect(first.created).toBe(true);
			const expected = [
				{ department_code: a, question_code: 'speed', answer: 4 },
				{ department_code: a, question_code: 'channel', answer: 'window' },
				{ department_code: a, question_code: 'issues', answer: ['wait', 'rude'] },
				{ department_code: b, question_code: 'channel', answer: 'online' },
				{ department_code: b, question_code: 'note', answer: '很好' }
			];
			expect(first.response.answers).toEqual(expected);
			const [n] = await rows<{ n: number }>(
				t.db,
				sql`select count(*)::int as n from survey_choice_answer
					where response_id = ${first.response.id}`
			);
			expect(Number(n!.n)).toBe(4);
			expect((await surveys.getResponse(t.db, sent.response_key))!.answers).toEqual(expected);
			// The same response again, its choices in another order: the stored one, no new row.
			const again = await surveys.submitResponse(t.db, {
				...sent,
				answers: [...sent.answers]
					.reverse()
					.map((x) => (x.question_code === 'issues' ? { ...x, answer: ['wait', 'rude'] } : x))
			});
			expect(again).toEqual({ created: false, response: first.response });
			// Other choices under the same key: a conflict.
			await expect(
				surveys.submitResponse(t.db, {
					...sent,
					answers: sent.answers.map((x) =>
						x.question_code === 'issues' ? { ...x, answer: ['wait'] } : x
					)
				})
			).rejects.toSatisfy((e) => isDomainError(e, 'response_key_conflict'));
		});

		it.each([
			['an unknown option', 'channel', 'post'],
			['a list for a single choice', 'channel', ['online']],
			['a text for a multiple choice', 'issues', 'wait'],
			['an empty list', 'issues', []],
			['a repeated option', 'issues', ['wait', 'wait']],
			['a number', 'issues', [1]]
		])('refuses %s', async (_, question, answer) => {
			const e = (await surveys
				.submitResponse(t.db, body([{ department_code: a, question_code: question, answer }]))
				.catch((x: unknown) => x)) as DomainError;
			expect(e.code).toBe('response_invalid');
			expect(e.details.map((d) => [d.field, d.code])).toEqual([
				['answers.0.answer', 'response_choice']
			]);
		});

		it('refuses choice answers in a responses file, with one code', async () => {
			const lines = [
				RESPONSE_COLUMNS.join(','),
				`${unique('k')},${campaign},phone,2025-05-06 09:30,${a},speed,4`,
				`${unique('k')},${campaign},phone,2025-05-06 09:30,${a},channel,online`
			];
			const result = await surveys.importResponses(
				t.db,
				new TextEncoder().encode(lines.join('\n') + '\n'),
				{ locale: 'en' },
				testActor
			);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.errors.map((e) => [e.line, e.column, e.code])).toEqual([
				[3, 'answer', 'response_choice_import']
			]);
		});

		it('the respondent form asks what is required, of every kind, for each department', async () => {
			const form = (await surveys.getQuestionnaireVersion(t.db, code, 1))!;
			const schema = respondentSchema(form.questions, [a, b]);
			const empty = schema.safeParse({ response_key: 'k', d: [a] });
			expect(empty.success).toBe(false);
			expect(empty.error!.issues.map((i) => [i.path.join('.'), i.message]).sort()).toEqual([
				[`c:${a}:channel`, 'respondent_answer_required'],
				[`r:${a}:speed`, 'respondent_rating_required']
			]);
			const ok = schema.parse({
				response_key: 'k',
				d: [a],
				[`r:${a}:speed`]: '0',
				[`c:${a}:channel`]: 'online',
				[`c:${a}:issues`]: ['wait', 'docs']
			});
			// What the form gives is what submitResponse takes.
			const stored = await surveys.submitResponse(t.db, {
				...body(ok.answers),
				response_key: unique('k')
			});
			expect(stored.response.answers.map((x) => x.answer)).toEqual([0, 'online', ['wait', 'docs']]);
		});
	});
});
