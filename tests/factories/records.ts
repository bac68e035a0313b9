// Record factories for the year computation: findings, cases, complaints, calendar days,
// campaigns and responses written straight into their tables, so a test states exactly the
// records a rule of spec/scoring.md sees (times are local Asia/Shanghai, as in the files).
import { eq, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import {
	calendarDay,
	campaign,
	complaint,
	department,
	finding,
	questionnaire,
	serviceCase,
	surveyRating,
	surveyResponse,
	surveyResponseVoid
} from '$lib/server/db/schema';
import { unique } from './index';

/** `YYYY-MM-DD HH:mm[:ss]` local Asia/Shanghai (or a bare date, at midnight) as an instant. */
export function local(text: string): Date {
	const [date, time = '00:00'] = text.split(' ');
	const hms = time.length === 5 ? `${time}:00` : time;
	return new Date(`${date}T${hms}+08:00`);
}

async function departmentId(db: Database, code: string): Promise<number> {
	const [d] = await db
		.select({ id: department.id })
		.from(department)
		.where(eq(department.code, code));
	if (!d) throw new Error(`no department ${code}`);
	return d.id;
}

/** Retires every department so far: a scenario's computation sees only its own. */
export async function retireAllDepartments(db: Database): Promise<void> {
	await db.update(department).set({ active: false });
}

export async function makeFinding(
	db: Database,
	input: {
		department: string;
		date: string;
		points: number | string;
		status?: 'recorded' | 'confirmed' | 'disputed' | 'withdrawn';
		source?: 'special_inspection' | 'undercover_visit' | 'onsite_measurement' | 'task_supervision';
		findingNo?: string;
		description?: string;
	}
) {
	const [row] = await db
		.insert(finding)
		.values({
			findingNo: input.findingNo ?? unique('F'),
			departmentId: await departmentId(db, input.department),
			date: input.date,
			source: input.source ?? 'special_inspection',
			points: String(input.points),
			status: input.status ?? 'confirmed',
			description: input.description ?? 'test finding'
		})
		.returning();
	return row!;
}

export async function makeCase(
	db: Database,
	input: {
		department: string;
		/** Local `YYYY-MM-DD HH:mm`. */
		accepted: string;
		completed?: string | null;
		promised: number;
		caseNo?: string;
		itemCode?: string;
	}
) {
	const [row] = await db
		.insert(serviceCase)
		.values({
			caseNo: input.caseNo ?? unique('C'),
			departmentId: await departmentId(db, input.department),
			itemCode: input.itemCode ?? 'item',
			itemName: '事项',
			acceptedAt: local(input.accepted),
			completedAt: input.completed ? local(input.completed) : null,
			promisedWorkingDays: input.promised
		})
		.returning();
	return row!;
}

export async function makeComplaint(
	db: Database,
	input: {
		department: string;
		received: string;
		verdict?: 'substantiated' | 'partial' | 'unfounded' | null;
		responseLate?: boolean;
		complaintNo?: string;
	}
) {
	const [row] = await db
		.insert(complaint)
		.values({
			complaintNo: input.complaintNo ?? unique('K'),
			departmentId: await departmentId(db, input.department),
			receivedAt: local(input.received),
			channel: 'hotline',
			category: 'efficiency',
			verdict: input.verdict ?? null,
			concludedAt: input.verdict ? local(input.received) : null,
			responseLate: input.responseLate ?? false
		})
		.returning();
	return row!;
}

export async function makeCalendarDay(db: Database, date: string, kind: 'holiday' | 'workday') {
	await db.insert(calendarDay).values({ date, kind }).onConflictDoUpdate({
		target: calendarDay.date,
		set: { kind }
	});
}

export async function makeCampaign(
	db: Database,
	input: {
		year: number;
		weight?: number;
		kind?: 'enterprise_visit' | 'public_evaluation' | 'online';
		code?: string;
	}
) {
	const [q] = await db
		.select({ id: questionnaire.id })
		.from(questionnaire)
		.where(sql`${questionnaire.code} = 'standard-appraisal' and ${questionnaire.version} = 1`);
	const [row] = await db
		.insert(campaign)
		.values({
			code: input.code ?? unique('camp'),
			year: input.year,
			kind: input.kind ?? 'public_evaluation',
			questionnaireId: q!.id,
			weight: String(input.weight ?? 1)
		})
		.returning();
	return row!;
}

/**
 * Levels of the standard questionnaire, by slot: [transparency, service, integrity, attitude,
 * quality, efficiency] = r1 … r6; `null` = not answered, 0 = don't know.
 */
export type Levels = (number | null)[];

/** Levels of the standard questionnaire's rating questions, by question code. */
export const STANDARD_LEVELS = {
	transparency: 5,
	service: 4,
	integrity: 3,
	attitude: 5,
	quality: 4,
	efficiency: 0
};

/** The API answers of `STANDARD_LEVELS` about each department of `codes`. */
export const standardAnswers = (...codes: string[]) =>
	codes.flatMap((d) =>
		Object.entries(STANDARD_LEVELS).map(([q, answer]) => ({
			department_code: d,
			question_code: q,
			answer
		}))
	);

/** One response with its rating answers about one or more departments. */
export async function makeResponse(
	db: Database,
	input: {
		campaignId: number;
		answers: Record<string, Levels>;
		voided?: boolean;
		submitted?: string;
		channel?: 'field' | 'phone' | 'online' | 'paper';
	}
) {
	const [response] = await db
		.insert(surveyResponse)
		.values({
			responseKey: unique('r'),
			campaignId: input.campaignId,
			channel: input.channel ?? 'paper',
			submittedAt: input.submitted ? local(input.submitted) : new Date()
		})
		.returning();
	for (const [code, levels] of Object.entries(input.answers)) {
		const slots = Object.fromEntries(levels.map((l, i) => [`r${i + 1}`, l]));
		await db.insert(surveyRating).values({
			responseId: response!.id,
			departmentId: await departmentId(db, code),
			campaignId: input.campaignId,
			...slots
		});
	}
	if (input.voided)
		await db.insert(surveyResponseVoid).values({ responseId: response!.id, reason: 'test' });
	return response!;
}

/** `n` identical responses about one department. */
export async function makeResponses(
	db: Database,
	campaignId: number,
	code: string,
	levels: Levels,
	n: number
) {
	for (let i = 0; i < n; i++) await makeResponse(db, { campaignId, answers: { [code]: levels } });
}
