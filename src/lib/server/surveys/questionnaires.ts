// Questionnaires (问卷), versioned: a supervisor builds one, a campaign uses one version of it. A
// version a campaign uses is frozen — its questions are what that campaign's responses answer —
// so saving an edit of it makes the next version instead; a version no campaign uses is edited
// in place. Every change is audited.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { BUILT_IN_QUESTIONNAIRE, ratingSlots, type Draft } from '$lib/domain/questionnaires';
import { DomainError } from '$lib/errors';
import type {
	CreateQuestionnaireInput,
	VersionInput,
	VersionQuestion
} from '$lib/schemas/questionnaires';
import * as audit from '$lib/server/audit';
import { rows, type Executor, type Tx } from '$lib/server/db';
import { question, questionnaire, questionOption } from '$lib/server/db/schema';
import { invalidateCampaigns } from './reference-cache';

export interface QuestionnaireVersionRow {
	code: string;
	version: number;
	titleZh: string;
	titleEn: string;
	questions: number;
	/** Campaigns using this version: it is frozen when there is any. */
	campaigns: number;
	frozen: boolean;
}

/** The built-in questionnaire's first version is frozen even before a campaign uses it. */
const isBuiltIn = (code: string, version: number) =>
	code === BUILT_IN_QUESTIONNAIRE && version === 1;

/** Every version of every questionnaire, by code, newest version first. */
export async function listQuestionnaireVersions(db: Executor): Promise<QuestionnaireVersionRow[]> {
	const found = await rows<{
		code: string;
		version: number;
		title_zh: string;
		title_en: string;
		questions: number;
		campaigns: number;
	}>(
		db,
		sql`select qn.code, qn.version, qn.title_zh, qn.title_en,
				(select count(*) from question q where q.questionnaire_id = qn.id)::int as questions,
				(select count(*) from campaign c where c.questionnaire_id = qn.id)::int as campaigns
			from questionnaire qn order by qn.code collate "C", qn.version desc`
	);
	return found.map((r) => ({
		code: r.code,
		version: Number(r.version),
		titleZh: r.title_zh,
		titleEn: r.title_en,
		questions: Number(r.questions),
		campaigns: Number(r.campaigns),
		frozen: Number(r.campaigns) > 0 || isBuiltIn(r.code, Number(r.version))
	}));
}

/** A stored question: as saved, with its id and rating slot. */
export interface VersionQuestionRow extends VersionQuestion {
	id: number;
	slot: number | null;
}

/** The questions of a questionnaire version with their options, in order. */
export async function questionsOf(db: Executor, questionnaireId: number) {
	const qs = await db
		.select({
			id: question.id,
			code: question.code,
			kind: question.kind,
			textZh: question.textZh,
			textEn: question.textEn,
			required: question.required,
			dimension: question.dimension,
			slot: question.slot
		})
		.from(question)
		.where(eq(question.questionnaireId, questionnaireId))
		.orderBy(asc(question.position), asc(question.id));
	const ids = qs.map((q) => q.id);
	const options =
		ids.length === 0
			? []
			: await db
					.select({
						questionId: questionOption.questionId,
						code: questionOption.code,
						textZh: questionOption.textZh,
						textEn: questionOption.textEn
					})
					.from(questionOption)
					.where(inArray(questionOption.questionId, ids))
					.orderBy(asc(questionOption.position));
	return qs.map((q): VersionQuestionRow => ({
		...q,
		options: options
			.filter((o) => o.questionId === q.id)
			.map(({ code, textZh, textEn }) => ({ code, textZh, textEn }))
	}));
}

export interface QuestionnaireVersion {
	id: number;
	code: string;
	version: number;
	titleZh: string;
	titleEn: string;
	/** The newest version of this questionnaire. */
	latest: number;
	/** Codes of the campaigns using it. */
	campaigns: string[];
	frozen: boolean;
	questions: VersionQuestionRow[];
}

/** One version with its questions, or null. */
export async function getQuestionnaireVersion(
	db: Executor,
	code: string,
	version: number
): Promise<QuestionnaireVersion | null> {
	const [row] = await rows<{
		id: number;
		code: string;
		version: number;
		title_zh: string;
		title_en: string;
		latest: number;
		campaigns: string[] | null;
	}>(
		db,
		sql`select qn.id, qn.code, qn.version, qn.title_zh, qn.title_en,
				(select max(o.version) from questionnaire o where o.code = qn.code)::int as latest,
				(select array_agg(c.code order by c.code) from campaign c
					where c.questionnaire_id = qn.id) as campaigns
			from questionnaire qn where qn.code = ${code} and qn.version = ${version}`
	);
	if (!row) return null;
	const campaigns = row.campaigns ?? [];
	return {
		id: Number(row.id),
		code: row.code,
		version: Number(row.version),
		titleZh: row.title_zh,
		titleEn: row.title_en,
		latest: Number(row.latest),
		campaigns,
		frozen: campaigns.length > 0 || isBuiltIn(row.code, Number(row.version)),
		questions: await questionsOf(db, Number(row.id))
	};
}

/** A stored version as the builder edits it. */
export function draftOf(v: Pick<QuestionnaireVersion, 'titleZh' | 'titleEn' | 'questions'>): Draft {
	return {
		titleZh: v.titleZh,
		titleEn: v.titleEn,
		questions: v.questions.map((q) => ({
			code: q.code,
			kind: q.kind,
			textZh: q.textZh,
			textEn: q.textEn,
			required: q.required,
			dimension: q.dimension ?? '',
			options: q.options
		}))
	};
}

/** What the audit trail records of a version: its titles and each question in one line. */
function auditView(titleZh: string, titleEn: string, questions: VersionInput['questions']) {
	return {
		titleZh,
		titleEn,
		questions: questions
			.map(
				(q) =>
					`${q.code}:${q.kind}${q.dimension ? `/${q.dimension}` : ''}${q.required ? '!' : ''}` +
					(q.options.length > 0 ? `[${q.options.map((o) => o.code).join('|')}]` : '')
			)
			.join(' ')
	};
}

/** Creates a questionnaire: version 1, without questions yet. */
export async function createQuestionnaire(
	db: Executor,
	input: CreateQuestionnaireInput,
	actor: audit.Actor
): Promise<{ code: string; version: number }> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(questionnaire)
			.values({ code: input.code, version: 1, titleZh: input.titleZh, titleEn: input.titleEn })
			.onConflictDoNothing()
			.returning({ code: questionnaire.code, version: questionnaire.version });
		// Any version of the code: `(code, version)` is unique, and a code's first version is 1.
		if (!row) throw new DomainError('questionnaire_code_taken', { field: 'code' });
		await audit.record(tx, actor, {
			action: 'questionnaire.create',
			entity: 'questionnaire',
			entityId: `${row.code}@1`,
			changes: audit.diff(null, { titleZh: input.titleZh, titleEn: input.titleEn })
		});
		return row;
	});
}

/** Writes the questions of a version (which has none), rating slots in order. */
async function writeQuestions(
	tx: Tx,
	questionnaireId: number,
	questions: VersionInput['questions']
) {
	if (questions.length === 0) return;
	const slots = ratingSlots(questions);
	const ids = await tx
		.insert(question)
		.values(
			questions.map((q, i) => ({
				questionnaireId,
				code: q.code,
				position: i + 1,
				textZh: q.textZh,
				textEn: q.textEn,
				kind: q.kind,
				dimension: q.dimension,
				slot: slots[i],
				required: q.required
			}))
		)
		.returning({ id: question.id, code: question.code });
	const idOf = new Map(ids.map((r) => [r.code, r.id]));
	const options = questions.flatMap((q) =>
		q.options.map((o, j) => ({
			questionId: idOf.get(q.code)!,
			code: o.code,
			position: j + 1,
			textZh: o.textZh,
			textEn: o.textEn
		}))
	);
	if (options.length > 0) await tx.insert(questionOption).values(options);
}

export interface SavedVersion {
	code: string;
	version: number;
	/** The version edited was frozen: this is a new one. */
	created: boolean;
}

/**
 * Saves a version's titles and questions. A frozen version (a campaign uses it, or the built-in
 * one) stays as it is and the edit becomes the next version of the questionnaire; any other is
 * replaced in place. The version row is locked first, so that a campaign created meanwhile
 * (whose reference waits for that lock) either sees the edit or freezes the version before it.
 */
export async function saveQuestionnaireVersion(
	db: Executor,
	code: string,
	version: number,
	input: VersionInput,
	actor: audit.Actor
): Promise<SavedVersion> {
	return db.transaction(async (tx) => {
		// Only a version no campaign uses changes in place, but the cache of campaigns with their
		// questions is dropped all the same: one rule for every write of questions.
		await invalidateCampaigns(tx);
		const [current] = await tx
			.select()
			.from(questionnaire)
			.where(and(eq(questionnaire.code, code), eq(questionnaire.version, version)))
			.for('update');
		if (!current)
			throw new DomainError('questionnaire_not_found', { params: { code: `${code}@${version}` } });
		const [used] = await rows<{ frozen: boolean }>(
			tx,
			sql`select exists (select 1 from campaign c where c.questionnaire_id = ${current.id})
				as frozen`
		);
		const before = auditView(current.titleZh, current.titleEn, await questionsOf(tx, current.id));
		const after = auditView(input.titleZh, input.titleEn, input.questions);
		if (used?.frozen || isBuiltIn(code, version)) {
			// Serialised per questionnaire by locking its newest version.
			const [newest] = await tx
				.select({ version: questionnaire.version })
				.from(questionnaire)
				.where(eq(questionnaire.code, code))
				.orderBy(desc(questionnaire.version))
				.limit(1)
				.for('update');
			const next = newest!.version + 1;
			const [row] = await tx
				.insert(questionnaire)
				.values({ code, version: next, titleZh: input.titleZh, titleEn: input.titleEn })
				.returning({ id: questionnaire.id });
			await writeQuestions(tx, row!.id, input.questions);
			await audit.record(tx, actor, {
				action: 'questionnaire.version',
				entity: 'questionnaire',
				entityId: `${code}@${next}`,
				changes: { ...audit.diff(before, after), from: `${code}@${version}` }
			});
			return { code, version: next, created: true };
		}
		const questionIds = tx
			.select({ id: question.id })
			.from(question)
			.where(eq(question.questionnaireId, current.id));
		await tx.delete(questionOption).where(inArray(questionOption.questionId, questionIds));
		await tx.delete(question).where(eq(question.questionnaireId, current.id));
		await tx
			.update(questionnaire)
			.set({ titleZh: input.titleZh, titleEn: input.titleEn })
			.where(eq(questionnaire.id, current.id));
		await writeQuestions(tx, current.id, input.questions);
		await audit.record(tx, actor, {
			action: 'questionnaire.update',
			entity: 'questionnaire',
			entityId: `${code}@${version}`,
			changes: audit.diff(before, after)
		});
		return { code, version, created: false };
	});
}
