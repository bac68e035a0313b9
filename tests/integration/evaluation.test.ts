// The year computation through its SQL path, rule by rule (spec/scoring.md), on small data sets
// whose numbers are worked out by hand in the comments; then publication, revisions and the
// immutability of what was published. Each scenario uses its own year and retires the
// departments of the scenarios before it, so it sees only its own records.
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { beforeEach, describe, expect, it } from 'vitest';
import {
	DEFAULT_SETTINGS,
	caseIndicator,
	responseScore,
	satisfactionRate,
	weightedCampaignMean,
	type EvaluationSettings
} from '$lib/domain/scoring';
import { buildContent } from '$lib/domain/evaluation-content';
import type { DepartmentResult, SnapshotContent } from '$lib/domain/snapshot';
import { caseStatus, makeCalendar, addDays, workingDaysBetween } from '$lib/domain/working-days';
import { rows, type Database } from '$lib/server/db';
import * as schema from '$lib/server/db/schema';
import { auditEntry, evaluationSnapshot, rectification } from '$lib/server/db/schema';
import * as departments from '$lib/server/departments';
import * as evaluation from '$lib/server/evaluation';
import { readInputs } from '$lib/server/evaluation/compute/read';
import * as results from '$lib/server/results';
import { COMPUTE_LOCK_CLASS } from '$lib/server/evaluation/lock';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment, testActor } from '../factories';
import {
	local,
	makeCalendarDay,
	makeCampaign,
	makeCase,
	makeComplaint,
	makeFinding,
	makeResponse,
	retireAllDepartments,
	type Levels
} from '../factories/records';
import { refusalCode } from '../helpers/refusal';

const AFTER = (year: number) => local(`${year + 1}-01-20 10:00`);

function dept(content: SnapshotContent, code: string): DepartmentResult {
	const d = content.departments.find((x) => x.code === code);
	if (!d) throw new Error(`${code} not in the snapshot`);
	return d;
}

/** A small deterministic pseudo-random sequence (tests must not depend on luck). */
function prng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describeEachDatabase('evaluation', (t) => {
	beforeEach(async () => {
		await retireAllDepartments(t.db);
	});

	async function open(year: number, settings: Partial<EvaluationSettings> = {}) {
		return evaluation.createYear(t.db, { year, settings }, testActor);
	}

	async function depts(year: number, codes: string[], category: 'municipal' | 'vertical') {
		for (const code of codes) await makeDepartment(t.db, { code, category, fromYear: year });
	}

	const run = (year: number, now = AFTER(year)) =>
		evaluation.compute(t.db, year, testActor, { now });

	it('work delivery: confirmed findings only, the bonus cap, the clamp', async () => {
		const Y = 2031;
		await open(Y);
		await depts(Y, ['wA', 'wB', 'wC'], 'municipal');
		// wA: D = 10 + 5.5 = 15.5; B = 8 + 4 = 12, capped at 10 → 100 − 15.5 + 10 = 94.5.
		await makeFinding(t.db, { department: 'wA', date: `${Y}-01-01`, points: -10 });
		await makeFinding(t.db, { department: 'wA', date: `${Y}-03-01`, points: '-5.50' });
		await makeFinding(t.db, { department: 'wA', date: `${Y}-04-01`, points: 8 });
		await makeFinding(t.db, { department: 'wA', date: `${Y}-12-31`, points: 4 });
		// Not counted: disputed (until confirmed), withdrawn, recorded; other years not listed.
		await makeFinding(t.db, {
			department: 'wA',
			date: `${Y}-05-01`,
			points: -20,
			status: 'disputed'
		});
		await makeFinding(t.db, {
			department: 'wA',
			date: `${Y}-05-02`,
			points: -30,
			status: 'withdrawn'
		});
		await makeFinding(t.db, {
			department: 'wA',
			date: `${Y}-05-03`,
			points: -1,
			status: 'recorded'
		});
		await makeFinding(t.db, { department: 'wA', date: `${Y - 1}-12-31`, points: -50 });
		await makeFinding(t.db, { department: 'wA', date: `${Y + 1}-01-01`, points: -50 });
		// wB: D = 120 → clamped to 0. wC: no findings → 100.
		await makeFinding(t.db, { department: 'wB', date: `${Y}-06-01`, points: -120 });

		const { content } = await run(Y);
		const a = dept(content, 'wA');
		expect(a.scores.work).toBe(94.5);
		expect(a.inputs.work).toMatchObject({ deductions: 15.5, bonus: 12, bonusCounted: 10 });
		expect(a.inputs.work.findings.map((f) => [f.points, f.status, f.counted])).toEqual([
			['-10.00', 'confirmed', true],
			['-5.50', 'confirmed', true],
			['8.00', 'confirmed', true],
			['-20.00', 'disputed', false],
			['-30.00', 'withdrawn', false],
			['-1.00', 'recorded', false],
			['4.00', 'confirmed', true]
		]);
		expect(dept(content, 'wB').scores.work).toBe(0);
		expect(dept(content, 'wC').scores.work).toBe(100);
		expect(content.warnings).toEqual(
			expect.arrayContaining([
				{ code: 'disputed_findings', departmentCode: 'wA', count: 1 },
				{ code: 'recorded_findings', departmentCode: 'wA', count: 1 }
			])
		);
		// Three municipal departments cannot fill 6 commended + 3 at the bottom.
		expect(content.errors).toContainEqual({
			code: 'category_too_small',
			category: 'municipal',
			count: 3
		});
		// The vertical category is empty here: no quota to fill, no error.
		expect(content.errors.some((e) => e.category === 'vertical')).toBe(false);
	});

	it('cases: working days with holidays and adjusted workdays, Dec→Jan, cut-off, local dates', async () => {
		const Y = 2032;
		await open(Y);
		await depts(Y, ['cA'], 'municipal');
		await makeCalendarDay(t.db, '2032-03-08', 'holiday'); // Monday
		await makeCalendarDay(t.db, '2032-03-13', 'workday'); // Saturday
		await makeCalendarDay(t.db, '2033-01-03', 'holiday'); // Monday
		const c = (accepted: string, completed: string | null, promised: number) =>
			makeCase(t.db, { department: 'cA', accepted, completed, promised });
		// Fri → Tue over a holiday Monday: Sat, Sun, Mon(holiday) no, Tue yes = 1 ≤ 1: on time.
		await c('2032-03-05 10:00', '2032-03-09 10:00', 1);
		// Fri → Sat (adjusted workday) = 1 > 0: late.
		await c('2032-03-12 10:00', '2032-03-13 11:00', 0);
		// Fri → Mon: Sat (workday) + Mon = 2 > 1: late.
		await c('2032-03-12 09:00', '2032-03-15 09:00', 1);
		// Instant items: the same day (0) on time; the next day (1) late.
		await c('2032-06-01 09:00', '2032-06-01 17:00', 0);
		await c('2032-06-01 09:00', '2032-06-02 09:00', 0);
		// Accepted in the previous year: not a case of Y.
		await c('2031-12-30 09:00', '2032-01-05 09:00', 0);
		// Thu 30 Dec → Tue 4 Jan: Fri 31, (Sat, Sun, Mon holiday), Tue = 2 ≤ 2: on time.
		await c('2032-12-30 09:00', '2033-01-04 09:00', 2);
		// Open since 1 Dec, 5 days promised: overdue at 31 Dec.
		await c('2032-12-01 09:00', null, 5);
		// Open since Wed 29 Dec, 10 days promised: Thu, Fri = 2: not yet due, left out.
		await c('2032-12-29 09:00', null, 10);
		// 07:15 local on Tue 2 Mar (still 1 Mar in UTC) → Wed 3 Mar = 1 ≤ 1: on time.
		await c('2032-03-02 07:15', '2032-03-03 18:00', 1);
		// 23:30 local on 31 Dec is in Y; open, instant, due that day: not overdue at 31 Dec.
		await c('2032-12-31 23:30', null, 0);
		// 00:10 local on 1 Jan is the next year (16:10 UTC on 31 Dec).
		await c('2033-01-01 00:10', null, 0);
		// Open instant item accepted Thu 30 Dec: Fri 31 = 1 > 0: overdue.
		await c('2032-12-30 09:00', null, 0);

		const { content } = await run(Y);
		const cases = dept(content, 'cA').inputs.convenience.cases;
		// Accepted in Y: 11. On time 4, late 3, overdue 2, not due 2 → 100 × 4 / (7 + 2).
		expect(cases).toEqual({
			accepted: 11,
			onTime: 4,
			late: 3,
			openOverdue: 2,
			openNotDue: 2,
			indicator: 400 / 9
		});
		expect(content.cutoff).toBe('2032-12-31');
		// No convenience answers: the case indicator alone.
		expect(dept(content, 'cA').scores.convenience).toBe(400 / 9);
		expect(dept(content, 'cA').inputs.convenience.basis).toBe('case');

		// Computed on Thu 30 Dec: the cut-off is that day. The instant item of 30 Dec is not yet
		// overdue (0 days), completions after the cut-off still count: 100 × 4 / (7 + 1) = 50.
		const early = await run(Y, local('2032-12-30 12:00'));
		expect(early.content.cutoff).toBe('2032-12-30');
		expect(dept(early.content, 'cA').inputs.convenience.cases).toMatchObject({
			onTime: 4,
			late: 3,
			openOverdue: 1,
			openNotDue: 3,
			indicator: 50
		});

		// The same whatever the process's and the database session's time zone.
		const previousTz = process.env.TZ;
		process.env.TZ = 'America/New_York';
		try {
			let other: Database = t.db;
			let close = async () => {};
			if (t.driver === 'postgres') {
				const client = postgres(t.handle.url!, {
					max: 3,
					onnotice: () => {},
					connection: { TimeZone: 'UTC' }
				});
				other = drizzle(client, { schema }) as unknown as Database;
				close = () => client.end();
			} else {
				await t.db.execute(sql`set time zone 'UTC'`);
				close = async () => void (await t.db.execute(sql`set time zone 'Asia/Shanghai'`));
			}
			try {
				const [tz] = await rows<{ tz: string }>(
					other,
					sql`select current_setting('TimeZone') as tz`
				);
				expect(tz?.tz).toBe('UTC');
				expect(new Date(2032, 2, 2, 7, 15).getTimezoneOffset()).toBe(300); // New York, EST
				const utc = await evaluation.compute(other, Y, testActor, { now: AFTER(Y) });
				const again = await run(Y);
				expect(dept(utc.content, 'cA').inputs.convenience.cases).toEqual(cases);
				expect(utc.digest).toBe(again.digest);
			} finally {
				await close();
			}
		} finally {
			if (previousTz === undefined) delete process.env.TZ;
			else process.env.TZ = previousTz;
		}
	});

	it('cases: the SQL calendar agrees with workingDaysBetween/caseStatus', async () => {
		const Y = 2046;
		await open(Y);
		await depts(Y, ['kA', 'kB'], 'municipal');
		const random = prng(2046);
		const holidays: string[] = [];
		const workdays: string[] = [];
		for (let i = 0; i < 25; i++) {
			const d = addDays(`${Y}-01-01`, Math.floor(random() * 380));
			const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
			if (holidays.includes(d) || workdays.includes(d)) continue;
			if (weekday === 0 || weekday === 6) workdays.push(d);
			else holidays.push(d);
		}
		for (const d of holidays) await makeCalendarDay(t.db, d, 'holiday');
		for (const d of workdays) await makeCalendarDay(t.db, d, 'workday');
		const cal = makeCalendar({ holidays, workdays });
		const expected: Record<string, number[]> = { kA: [0, 0, 0, 0], kB: [0, 0, 0, 0] };
		const order = ['on_time', 'late', 'open_overdue', 'open_not_due'];
		const cutoff = `${Y}-11-15`;
		for (let i = 0; i < 80; i++) {
			const code = i % 2 ? 'kA' : 'kB';
			const accepted = addDays(`${Y}-01-01`, Math.floor(random() * 330));
			const hour = String(Math.floor(random() * 24)).padStart(2, '0');
			const open = random() < 0.3;
			const completed = open ? null : addDays(accepted, Math.floor(random() * 25));
			const promised = Math.floor(random() * 8);
			await makeCase(t.db, {
				department: code,
				accepted: `${accepted} ${hour}:30`,
				completed: completed && `${completed} 23:59`,
				promised
			});
			const status = caseStatus({ accepted, completed, promised }, cutoff, cal);
			expected[code]![order.indexOf(status)]!++;
		}
		const { content } = await run(Y, local(`${cutoff} 15:00`));
		for (const code of ['kA', 'kB'] as const) {
			const [onTime = 0, late = 0, openOverdue = 0, openNotDue = 0] = expected[code]!;
			expect(dept(content, code).inputs.convenience.cases).toEqual({
				accepted: 40,
				onTime,
				late,
				openOverdue,
				openNotDue,
				indicator: caseIndicator({ onTime, completed: onTime + late, openOverdue })
			});
		}
	});

	it('cases: completions up to three years later, over their holidays, are timed exactly', async () => {
		const Y = 2048;
		await open(Y);
		await depts(Y, ['kL'], 'municipal');
		const random = prng(2048);
		// Holidays and adjusted workdays in the later years the completions fall in.
		const holidays: string[] = [];
		const workdays: string[] = [];
		for (let i = 0; i < 40; i++) {
			const d = addDays(`${Y + 1}-01-01`, Math.floor(random() * 1100));
			const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
			if (holidays.includes(d) || workdays.includes(d)) continue;
			if (weekday === 0 || weekday === 6) workdays.push(d);
			else holidays.push(d);
		}
		for (const d of holidays) await makeCalendarDay(t.db, d, 'holiday');
		for (const d of workdays) await makeCalendarDay(t.db, d, 'workday');
		const cal = makeCalendar({ holidays, workdays });
		const counts = { on_time: 0, late: 0, open_overdue: 0, open_not_due: 0 };
		for (let i = 0; i < 30; i++) {
			const accepted = addDays(`${Y}-01-01`, Math.floor(random() * 366));
			// Months to years after acceptance: the SQL calendar must reach every completion.
			const completed = addDays(accepted, 200 + Math.floor(random() * 900));
			// Promised around the real elapsed working days: on time and late both occur.
			const promised = Math.max(0, workingDaysBetween(accepted, completed, cal) + (i % 3) - 1);
			await makeCase(t.db, {
				department: 'kL',
				accepted: `${accepted} 09:00`,
				completed: `${completed} 23:30`,
				promised
			});
			counts[caseStatus({ accepted, completed, promised }, `${Y}-12-31`, cal)]++;
		}
		expect(counts.on_time).toBeGreaterThan(0);
		expect(counts.late).toBeGreaterThan(0);
		const { content } = await run(Y);
		expect(dept(content, 'kL').inputs.convenience.cases).toMatchObject({
			accepted: 30,
			onTime: counts.on_time,
			late: counts.late,
			openOverdue: 0,
			openNotDue: 0
		});
	});

	it('complaints: verdicts, late responses, open complaints as warnings, local year', async () => {
		const Y = 2033;
		await open(Y);
		await depts(Y, ['kpA', 'kpB'], 'municipal');
		const k = (
			received: string,
			verdict: 'substantiated' | 'partial' | 'unfounded' | null,
			late = false
		) => makeComplaint(t.db, { department: 'kpA', received, verdict, responseLate: late });
		await k('2033-01-01 00:30', 'substantiated'); // 1 Jan local (31 Dec UTC): counted
		await k('2033-05-01 10:00', 'substantiated', true);
		await k('2033-05-02 10:00', 'partial', true);
		await k('2033-05-03 10:00', 'unfounded', true);
		await k('2033-05-04 10:00', 'unfounded');
		await k('2033-11-01 10:00', null, true); // open: not counted, even if marked late
		await k('2033-11-02 10:00', null);
		await k('2032-12-31 23:00', 'substantiated'); // the previous year
		// 5 × 2 + 2 × 1 + 0 × 2 + 1 × 3 late = 15 → 85.
		for (let i = 0; i < 25; i++)
			await makeComplaint(t.db, {
				department: 'kpB',
				received: '2033-02-01 10:00',
				verdict: 'substantiated'
			});

		const { content } = await run(Y);
		expect(dept(content, 'kpA').inputs.complaints).toEqual({
			substantiated: 2,
			partial: 1,
			unfounded: 2,
			lateResponses: 3,
			open: 2,
			deductions: 15
		});
		expect(dept(content, 'kpA').scores.complaints).toBe(85);
		expect(dept(content, 'kpB').scores.complaints).toBe(0); // 125 deducted, floored at 0
		expect(content.warnings).toContainEqual({
			code: 'open_complaints',
			departmentCode: 'kpA',
			count: 2
		});
	});

	it('appraisal and the survey indicator: don’t know, voided, several departments, weights', async () => {
		const Y = 2034;
		await open(Y);
		await depts(Y, ['sA', 'sB'], 'municipal');
		const c1 = await makeCampaign(t.db, { year: Y, weight: 2, code: 'y34-c1' });
		const c2 = await makeCampaign(t.db, { year: Y, weight: 1, code: 'y34-c2' });
		const c3 = await makeCampaign(t.db, { year: Y, weight: 1, code: 'y34-c3' });
		const next = await makeCampaign(t.db, { year: Y + 1, code: 'y35-c1' });
		// c1 about sA: r1 appraisal (100+100+75+75+50)/5 = 80, convenience 100;
		// r2 all "don't know": counts for nothing; r3 (100 + 0)/2 = 50; r4 voided.
		await makeResponse(t.db, { campaignId: c1.id, answers: { sA: [5, 5, 4, 4, 3, 5] } });
		await makeResponse(t.db, { campaignId: c1.id, answers: { sA: [0, 0, 0, 0, 0, 0] } });
		await makeResponse(t.db, { campaignId: c1.id, answers: { sA: [5, 0, 0, 0, 1, null] } });
		await makeResponse(t.db, {
			campaignId: c1.id,
			answers: { sA: [1, 1, 1, 1, 1, 1] },
			voided: true
		});
		// c2: one response about both: sA 25 / 25, sB 100 / 100.
		await makeResponse(t.db, {
			campaignId: c2.id,
			answers: { sA: [2, 2, 2, 2, 2, 2], sB: [5, 5, 5, 5, 5, 5] }
		});
		// c3: only "don't know" about sA: c3 has no counted response for sA and is left out.
		await makeResponse(t.db, { campaignId: c3.id, answers: { sA: [0, 0, 0, 0, 0, 0] } });
		// Another year's campaign: ignored.
		await makeResponse(t.db, { campaignId: next.id, answers: { sA: [1, 1, 1, 1, 1, 1] } });
		// sB also has cases: 4 on time, 1 late → 80.
		for (let i = 0; i < 4; i++)
			await makeCase(t.db, {
				department: 'sB',
				accepted: '2034-06-01 09:00',
				completed: '2034-06-01 10:00',
				promised: 0
			});
		await makeCase(t.db, {
			department: 'sB',
			accepted: '2034-06-01 09:00',
			completed: '2034-06-02 10:00',
			promised: 0
		});

		const { content } = await run(Y);
		const a = dept(content, 'sA');
		// c1 mean (80 + 50) / 2 = 65; c2 25; appraisal (2 × 65 + 1 × 25) / 3 = 155 / 3.
		expect(a.inputs.appraisal.campaigns).toEqual([
			{ code: 'y34-c1', kind: 'public_evaluation', weight: 2, responses: 2, mean: 65 },
			{ code: 'y34-c2', kind: 'public_evaluation', weight: 1, responses: 1, mean: 25 }
		]);
		expect(a.scores.appraisal).toBeCloseTo(155 / 3, 12);
		// Survey indicator: c1 100 (r1 only), c2 25 → (2 × 100 + 25) / 3 = 75; no cases → 75.
		expect(a.inputs.convenience.survey.indicator).toBe(75);
		expect(a.scores.convenience).toBe(75);
		expect(a.inputs.convenience.basis).toBe('survey');
		// Counted responses: r1, r3, r5 = 3. Answers 5 + 2 + 5 = 12, at levels 3–5: 5 + 1 + 0.
		expect(a.responses).toBe(3);
		expect(a.inputs.appraisal).toMatchObject({ answers: 12, satisfied: 6 });
		expect(a.satisfactionRate).toBe(50);
		expect(a.insufficientSample).toBe(true);
		const b = dept(content, 'sB');
		expect(b.scores.appraisal).toBe(100);
		// Both indicators: 0.5 × 80 + 0.5 × 100 = 90.
		expect(b.scores.convenience).toBe(90);
		expect(b.inputs.convenience.basis).toBe('both');
		expect(b.satisfactionRate).toBe(100);
		expect(content.warnings).toContainEqual({
			code: 'insufficient_sample',
			departmentCode: 'sA',
			count: 3
		});
	});

	it('appraisal: the SQL aggregation agrees with the pure rules on many responses', async () => {
		const Y = 2045;
		await open(Y);
		await depts(Y, ['pA', 'pB', 'pC'], 'municipal');
		const random = prng(45);
		const campaigns = [
			await makeCampaign(t.db, { year: Y, weight: 3 }),
			await makeCampaign(t.db, { year: Y, weight: 1.5 })
		];
		const seen: Record<string, { c: number; levels: number[] }[]> = { pA: [], pB: [], pC: [] };
		const level = () => (random() < 0.15 ? null : Math.floor(random() * 6));
		for (let i = 0; i < 60; i++) {
			const c = i % 2;
			const answers: Record<string, Levels> = {};
			for (const code of ['pA', 'pB', 'pC']) {
				if (random() < 0.3) continue;
				const levels = [level(), level(), level(), level(), level(), level()];
				answers[code] = levels;
				seen[code]!.push({ c, levels: levels.slice(0, 5).filter((l): l is number => l !== null) });
			}
			if (Object.keys(answers).length > 0)
				await makeResponse(t.db, { campaignId: campaigns[c]!.id, answers });
		}
		const { content } = await run(Y);
		for (const code of ['pA', 'pB', 'pC']) {
			const lines = [0, 1].map((c) => {
				const scores = seen[code]!.filter((r) => r.c === c)
					.map((r) => responseScore(r.levels))
					.filter((s): s is number => s !== null);
				return {
					weight: [3, 1.5][c]!,
					mean: scores.length ? scores.reduce((x, y) => x + y, 0) / scores.length : null,
					n: scores.length
				};
			});
			const all = seen[code]!.flatMap((r) => r.levels.filter((l) => l > 0));
			const d = dept(content, code);
			expect(d.scores.appraisal).toBeCloseTo(weightedCampaignMean(lines)!, 10);
			expect(d.responses).toBe(lines[0]!.n + lines[1]!.n);
			expect(d.satisfactionRate).toBeCloseTo(
				satisfactionRate(all.filter((l) => l >= 3).length, all.length)!,
				10
			);
		}
	});

	/** One department's records for a year: a finding of −deduction, one on-time case, one response. */
	async function seedRanked(
		year: number,
		code: string,
		deduction: number,
		levels: Levels,
		campaignId: number
	) {
		if (deduction > 0)
			await makeFinding(t.db, { department: code, date: `${year}-05-01`, points: -deduction });
		await makeCase(t.db, {
			department: code,
			accepted: `${year}-04-01 09:00`,
			completed: `${year}-04-01 17:00`,
			promised: 0
		});
		await makeResponse(t.db, { campaignId, answers: { [code]: levels } });
	}

	const rankingSettings: Partial<EvaluationSettings> = {
		commended: { municipal: 2, vertical: 1 },
		rectificationBottom: 2,
		minimumResponses: 1
	};
	const A100: Levels = [5, 5, 5, 5, 5, null];
	const A95: Levels = [5, 5, 5, 5, 4, null];
	const A85: Levels = [5, 5, 4, 4, 4, null];
	const A75: Levels = [4, 4, 4, 4, 4, null];

	it('ranks per category, ties by appraisal, consequences, two years running', async () => {
		// total = (30 work + 20 × 100 + 20 × 100 + 30 appraisal) / 100 = 40 + 0.3 (work + appraisal)
		const seed = async (year: number, m5Deduction: number) => {
			const camp = await makeCampaign(t.db, { year });
			await seedRanked(year, 'M1', 0, A100, camp.id); // 100
			await seedRanked(year, 'M2', 10, A75, camp.id); // 40 + 0.3 × 165 = 89.5
			await seedRanked(year, 'M3', 20, A85, camp.id); // 40 + 0.3 × 165 = 89.5, appraisal 85
			await seedRanked(year, 'M4', 30, A75, camp.id); // 83.5
			await seedRanked(year, 'M5', m5Deduction, A75, camp.id); // 83.5 in 2036, 80.5 in 2037
			await seedRanked(year, 'V1', 0, A100, camp.id); // 100
			await seedRanked(year, 'V2', 10, A100, camp.id); // 97
			await seedRanked(year, 'V3', 10, A95, camp.id); // 95.5
		};
		await open(2036, rankingSettings);
		await open(2037, rankingSettings);
		await depts(2036, ['M1', 'M2', 'M3', 'M4', 'M5'], 'municipal');
		await depts(2036, ['V1', 'V2', 'V3'], 'vertical');
		await seed(2036, 30);
		await seed(2037, 40);

		const first = await run(2036);
		expect(first.content.errors).toEqual([]);
		const view = (c: SnapshotContent) =>
			c.departments.map((d) => [d.code, d.scores.total, d.rank, d.rankFromBottom, d.outcomes]);
		expect(view(first.content)).toEqual([
			['M1', 100, 1, 5, ['commended']],
			// Equal totals: the higher appraisal ranks first.
			['M3', 89.5, 2, 4, ['commended']],
			['M2', 89.5, 3, 3, []],
			// An exact tie shares the rank; both are at the bottom.
			['M4', 83.5, 4, 1, ['rectification', 'criticism']],
			['M5', 83.5, 4, 1, ['rectification', 'criticism']],
			['V1', 100, 1, 3, ['commended']],
			['V2', 97, 2, 2, ['rectification']],
			['V3', 95.5, 3, 1, ['rectification', 'criticism']]
		]);
		await evaluation.publish(t.db, 2036, { note: '2036' }, testActor, {
			now: local('2037-01-15 10:00')
		});
		const rect = await t.db.select().from(rectification).where(eq(rectification.year, 2036));
		expect(rect.map((r) => r.deadline)).toEqual(Array(4).fill('2037-04-15')); // + 90 days

		// 2037: M5 alone at the bottom again → reassignment; M4, criticised in 2036, is not at
		// the bottom now → rectification only; V3 at the bottom again → superior report.
		const second = await run(2037);
		expect(view(second.content)).toEqual([
			['M1', 100, 1, 5, ['commended']],
			['M3', 89.5, 2, 4, ['commended']],
			['M2', 89.5, 3, 3, []],
			['M4', 83.5, 4, 2, ['rectification']],
			['M5', 80.5, 5, 1, ['rectification', 'criticism', 'reassignment']],
			['V1', 100, 1, 3, ['commended']],
			['V2', 97, 2, 2, ['rectification']],
			['V3', 95.5, 3, 1, ['rectification', 'criticism', 'superior_report']]
		]);
		expect(dept(second.content, 'M4').criticisedLastYear).toBe(true);
		expect(dept(second.content, 'M2').criticisedLastYear).toBe(false);
	});

	it('exemptions and a category change between years', async () => {
		await open(2042);
		await open(2043);
		await depts(2042, ['xK', 'xE'], 'municipal');
		await depts(2043, ['xN'], 'vertical');
		await t.db.transaction(async (tx) => {
			await departments.setCategory(
				tx,
				'xK',
				{ fromYear: 2043, category: 'vertical', superiorAuthority: '上级' },
				testActor,
				local('2043-02-01 10:00')
			);
			await departments.addExemption(tx, 'xE', { year: 2043 }, testActor);
		});
		const y42 = (await run(2042)).content;
		const y43 = (await run(2043)).content;
		expect(y42.departments.map((d) => [d.code, d.category])).toEqual([
			['xE', 'municipal'],
			['xK', 'municipal']
		]);
		// xE exempt in 2043; xN only exists from 2043 on.
		expect(y43.departments.map((d) => [d.code, d.category])).toEqual([
			['xK', 'vertical'],
			['xN', 'vertical']
		]);
	});

	it('a missing dimension is an error and blocks publication', async () => {
		const Y = 2041;
		await open(Y);
		await depts(Y, ['mA'], 'municipal');
		await makeFinding(t.db, { department: 'mA', date: `${Y}-02-02`, points: -1 });
		const draft = await run(Y);
		const a = dept(draft.content, 'mA');
		expect(a.scores).toMatchObject({ work: 99, convenience: null, appraisal: null, total: null });
		expect(a.rank).toBeNull();
		expect(a.outcomes).toEqual([]);
		expect(draft.content.errors).toEqual(
			expect.arrayContaining([
				{
					code: 'missing_dimension',
					departmentCode: 'mA',
					category: 'municipal',
					dimension: 'convenience'
				},
				{
					code: 'missing_dimension',
					departmentCode: 'mA',
					category: 'municipal',
					dimension: 'appraisal'
				}
			])
		);
		expect(draft.errorCount).toBe(draft.content.errors.length);
		expect(await refusalCode(evaluation.publish(t.db, Y, {}, testActor))).toBe('draft_has_errors');
	});

	it('reruns give an identical content and digest; publication freezes; corrections are revisions', async () => {
		const Y = 2040;
		await open(Y, {
			commended: { municipal: 1, vertical: 0 },
			rectificationBottom: 1,
			minimumResponses: 1
		});
		await depts(Y, ['rA', 'rB'], 'municipal');
		const camp = await makeCampaign(t.db, { year: Y });
		await seedRanked(Y, 'rA', 0, A100, camp.id); // 100
		await seedRanked(Y, 'rB', 10, A100, camp.id); // 97
		expect(await refusalCode(evaluation.publish(t.db, Y, {}, testActor))).toBe('no_draft');

		const d1 = await run(Y);
		const d2 = await run(Y);
		expect(d2.digest).toBe(d1.digest);
		expect(d2.content).toEqual(d1.content);
		expect(d2.digestOk).toBe(true);
		// The earlier draft was replaced: one draft per year.
		expect((await results.listSnapshots(t.db, Y)).map((s) => s.id)).toEqual([d2.id]);

		const rev1 = await evaluation.publish(t.db, Y, { note: 'first' }, testActor, {
			now: local(`${Y + 1}-02-01 09:00`)
		});
		expect(rev1).toMatchObject({
			kind: 'published',
			revision: 1,
			draftId: d2.id,
			replacesId: null
		});
		expect(rev1.digest).toBe(d2.digest);
		expect((await evaluation.getYear(t.db, Y))?.firstPublishedAt).toEqual(
			local(`${Y + 1}-02-01 09:00`)
		);
		expect(
			await refusalCode(evaluation.publish(t.db, Y, { replacesReason: 'again' }, testActor))
		).toBe('draft_already_published');
		// Settings are frozen; the published row cannot be changed or removed.
		expect(
			await refusalCode(evaluation.updateSettings(t.db, Y, { ...DEFAULT_SETTINGS }, testActor))
		).toBe('settings_frozen');
		await expect(
			t.db.update(evaluationSnapshot).set({ note: 'x' }).where(eq(evaluationSnapshot.id, rev1.id))
		).rejects.toThrow();
		await expect(
			t.db.delete(evaluationSnapshot).where(eq(evaluationSnapshot.id, rev1.id))
		).rejects.toThrow();
		await expect(
			t.db.execute(sql`update evaluation_snapshot set content = '{}' where id = ${rev1.id}`)
		).rejects.toThrow();
		const rect1 = await t.db.select().from(rectification).where(eq(rectification.year, Y));
		expect(rect1).toHaveLength(1);

		// A confirmed finding after publication: rA now 40 + 0.3 × (80 + 100) = 94 < 97.
		await makeFinding(t.db, { department: 'rA', date: `${Y}-10-01`, points: -20 });
		const d3 = await run(Y);
		expect(d3.digest).not.toBe(rev1.digest);
		const changes = evaluation.diffSnapshots(rev1.content, d3.content);
		expect(
			changes.departments.map((c) => [c.code, c.status, c.before?.rank, c.after?.rank])
		).toEqual([
			['rB', 'changed', 2, 1],
			['rA', 'changed', 1, 2]
		]);
		expect(await refusalCode(evaluation.publish(t.db, Y, {}, testActor))).toBe('reason_required');
		expect(
			await refusalCode(
				evaluation.publish(t.db, Y, { replacesReason: 'x', draftId: d2.id }, testActor)
			)
		).toBe('draft_stale');
		const rev2 = await evaluation.publish(
			t.db,
			Y,
			{ replacesReason: '补录督查发现', draftId: d3.id },
			testActor,
			{ now: local(`${Y + 1}-03-01 09:00`) }
		);
		expect(rev2).toMatchObject({ revision: 2, replacesId: rev1.id, note: '补录督查发现' });
		expect((await results.latestPublished(t.db, Y))?.id).toBe(rev2.id);
		// The old revision stays readable and intact.
		const old = await results.getSnapshot(t.db, rev1.id);
		expect(old).toMatchObject({ revision: 1, digestOk: true });
		expect(dept(old!.content, 'rA').rank).toBe(1);
		// Rectification follows the current revision: rA opened, rB cancelled.
		const rect2 = await t.db
			.select({
				departmentId: rectification.departmentId,
				cancelledAt: rectification.cancelledAt,
				deadline: rectification.deadline,
				snapshotId: rectification.snapshotId
			})
			.from(rectification)
			.where(eq(rectification.year, Y));
		const rA = (await departments.getByCode(t.db, 'rA'))!.id;
		expect(rect2.find((r) => r.departmentId === rA)).toMatchObject({
			cancelledAt: null,
			deadline: `${Y + 1}-05-30`, // 1 March + 90 days
			snapshotId: rev2.id
		});
		expect(rect2.find((r) => r.departmentId !== rA)?.cancelledAt).not.toBeNull();
		// Audited: one compute per run, one publish per revision.
		const actions = await t.db
			.select({ action: auditEntry.action })
			.from(auditEntry)
			.where(
				sql`${auditEntry.action} like 'evaluation.%' and ${auditEntry.changes}->>'year' = ${String(Y)}`
			);
		expect(actions.filter((a) => a.action === 'evaluation.compute')).toHaveLength(3);
		expect(actions.filter((a) => a.action === 'evaluation.publish')).toHaveLength(2);
	});

	it('a tampered draft is flagged when read, and refused for publication', async () => {
		const Y = 2039;
		await open(Y);
		await depts(Y, ['tA'], 'municipal');
		const draft = await run(Y);
		// Drafts are not frozen by the trigger, so a change is possible — and visible.
		await t.db.execute(
			sql`update evaluation_snapshot set content = jsonb_set(content, '{cutoff}', '"2000-01-01"') where id = ${draft.id}`
		);
		expect((await results.getSnapshot(t.db, draft.id))?.digestOk).toBe(false);
		expect(await refusalCode(evaluation.publish(t.db, Y, {}, testActor))).toBe(
			'draft_digest_mismatch'
		);
	});

	it('years: create with defaults, validate settings, edit until published', async () => {
		const y = await open(2050);
		expect(y.settings).toEqual(DEFAULT_SETTINGS);
		expect(await refusalCode(open(2050))).toBe('year_exists');
		expect(
			await refusalCode(
				evaluation.createYear(
					t.db,
					{
						year: 2051,
						settings: { weights: { work: 50, convenience: 20, complaints: 20, appraisal: 30 } }
					},
					testActor
				)
			)
		).toBe('settings_invalid');
		const edited = await evaluation.updateSettings(
			t.db,
			2050,
			{ ...DEFAULT_SETTINGS, minimumResponses: 10 },
			testActor
		);
		expect(edited.settings.minimumResponses).toBe(10);
		expect(await refusalCode(evaluation.compute(t.db, 2052, testActor))).toBe('year_not_found');
		expect((await results.years(t.db, results.OPERATOR)).map((x) => x.year)).toContain(2050);
	});

	it('the pure arithmetic over the read inputs matches the stored draft', async () => {
		const Y = 2038;
		await open(Y);
		await depts(Y, ['qA'], 'municipal');
		await makeFinding(t.db, { department: 'qA', date: `${Y}-02-02`, points: -3 });
		const draft = await run(Y);
		const inputs = await t.db.transaction((tx) => readInputs(tx, Y, draft.content.cutoff));
		expect(buildContent(Y, draft.content.settings, draft.content.cutoff, inputs)).toEqual(
			draft.content
		);
	});

	if (t.driver === 'postgres') {
		describe('concurrency (PostgreSQL)', () => {
			it('refuses a second computation of a year while one runs', async () => {
				const Y = 2047;
				await open(Y);
				await depts(Y, ['ccA'], 'municipal');
				const blocker = postgres(t.handle.url!, { max: 1, onnotice: () => {} });
				const locker = postgres(t.handle.url!, { max: 1, onnotice: () => {} });
				try {
					// Hold the year's lock from elsewhere: the computation is refused at once.
					await blocker`select pg_advisory_lock(${COMPUTE_LOCK_CLASS}, ${Y})`;
					expect(await refusalCode(run(Y))).toBe('computation_running');
					expect(await refusalCode(evaluation.publish(t.db, Y, {}, testActor))).toBe(
						'computation_running'
					);
					await blocker`select pg_advisory_unlock(${COMPUTE_LOCK_CLASS}, ${Y})`;

					// Two at once: make the first one slow by locking a table it reads.
					let release!: () => void;
					const held = new Promise<void>((r) => (release = r));
					let locked!: () => void;
					const isLocked = new Promise<void>((r) => (locked = r));
					const tableLock = locker.begin(async (tx) => {
						await tx`lock table finding in access exclusive mode`;
						locked();
						await held;
					});
					await isLocked;
					const firstRun = run(Y);
					// Wait until the first computation holds the year's lock.
					for (let i = 0; i < 100; i++) {
						const [r] = await blocker`select count(*)::int as n from pg_locks
							where locktype = 'advisory' and classid = ${COMPUTE_LOCK_CLASS} and objid = ${Y} and granted`;
						if (r?.n) break;
						await new Promise((r) => setTimeout(r, 50));
					}
					expect(await refusalCode(run(Y))).toBe('computation_running');
					release();
					await tableLock;
					const done = await firstRun;
					expect(done.kind).toBe('draft');
					// And once it is done, the next one runs.
					expect((await run(Y)).digest).toBe(done.digest);
				} finally {
					await blocker.end();
					await locker.end();
				}
			});
		});
	}
});
