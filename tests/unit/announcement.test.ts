// The announcement's sections against spec/scoring.md §3: the departments are ranked and given
// their outcomes by the scoring functions (the oracle the computation uses), the announcement
// must list exactly those outcomes — ties, categories smaller than their quotas, criticism two
// years running, rectification with and without an assigned leader.
import { describe, expect, it } from 'vitest';
import { announcementText, type AnnouncementText } from '$lib/components/announcement/wording';
import {
	buildAnnouncement,
	isEmpty,
	type AnnouncedDepartment,
	type AnnouncementInput,
	type RectificationAssignment
} from '$lib/domain/announcement';
import {
	DEFAULT_SETTINGS,
	outcomes,
	rankCategory,
	type Category,
	type EvaluationSettings
} from '$lib/domain/scoring';

/** Departments of one category with these totals (other keys equal), ranked and given outcomes. */
function category(
	cat: Category,
	totals: number[],
	opts: { settings?: EvaluationSettings; criticisedLastYear?: string[] } = {}
): AnnouncedDepartment[] {
	const s = opts.settings ?? DEFAULT_SETTINGS;
	const prefix = cat === 'municipal' ? 'm' : 'v';
	return rankCategory(
		totals.map((total, i) => ({
			id: `${prefix}${String(i + 1).padStart(2, '0')}`,
			total,
			appraisal: 80,
			work: 80,
			complaints: 80,
			convenience: 80
		}))
	).map((d) => {
		const criticisedLastYear = opts.criticisedLastYear?.includes(String(d.id)) ?? false;
		return {
			code: String(d.id),
			nameZh: `单位${d.id}`,
			nameEn: `Unit ${d.id}`,
			category: cat,
			superiorAuthority: cat === 'vertical' ? `上级${d.id}` : null,
			rank: d.rank,
			rankFromBottom: d.rankFromBottom,
			criticisedLastYear,
			outcomes: outcomes({ category: cat, ...d, criticisedLastYear }, s)
		};
	});
}

function input(
	departments: AnnouncedDepartment[],
	assignments: RectificationAssignment[] = [],
	settings: EvaluationSettings = DEFAULT_SETTINGS
): AnnouncementInput {
	return {
		year: 2003,
		revision: 1,
		publishedOn: '2004-01-15',
		digest: 'ab'.repeat(32),
		replacesRevision: null,
		note: null,
		settings,
		departments,
		assignments
	};
}

const codes = (sections: { category: Category; units: { code: string }[] }[], c: Category) =>
	sections.find((s) => s.category === c)!.units.map((u) => u.code);

// 10 municipal departments, 8 vertical ones, all totals distinct, best first.
const TEN = [95, 94, 93, 92, 91, 90, 89, 88, 87, 86];
const EIGHT = [95, 94, 93, 92, 91, 90, 89, 88];

describe('the announcement of a published revision', () => {
	it('commends the top 6 municipal and top 4 vertical units in rank order', () => {
		const a = buildAnnouncement(
			input([...category('municipal', TEN), ...category('vertical', EIGHT)])
		);
		expect(codes(a.commended, 'municipal')).toEqual(['m01', 'm02', 'm03', 'm04', 'm05', 'm06']);
		expect(codes(a.commended, 'vertical')).toEqual(['v01', 'v02', 'v03', 'v04']);
		expect(a.participants).toEqual({ municipal: 10, vertical: 8 });
		expect(a.commendedQuota).toEqual({ municipal: 6, vertical: 4 });
	});

	it('puts the bottom three of each category in rectification and criticises the last', () => {
		const a = buildAnnouncement(
			input([...category('municipal', TEN), ...category('vertical', EIGHT)])
		);
		expect(codes(a.rectification, 'municipal')).toEqual(['m08', 'm09', 'm10']);
		expect(codes(a.rectification, 'vertical')).toEqual(['v06', 'v07', 'v08']);
		expect(codes(a.criticised, 'municipal')).toEqual(['m10']);
		expect(codes(a.criticised, 'vertical')).toEqual(['v08']);
		expect(a.criticised[0]!.units[0]).toMatchObject({
			criticisedLastYear: false,
			consequence: null
		});
	});

	it.each([
		['a tie at the last commended place commends both', [95, 94, 93, 92, 91, 90, 90, 80, 70], 7],
		['a tie above it pushes the next rank out', [95, 94, 93, 92, 91, 91, 91, 80, 70], 7],
		['a tie past the last place commends none of it', [95, 94, 93, 92, 91, 90, 85, 85, 70], 6]
	])('%s', (_, totals, commended) => {
		const a = buildAnnouncement(input(category('municipal', totals)));
		expect(codes(a.commended, 'municipal')).toHaveLength(commended);
		// Nobody commended is also in rectification or criticised.
		const praised = new Set(codes(a.commended, 'municipal'));
		for (const c of [...codes(a.rectification, 'municipal'), ...codes(a.criticised, 'municipal')])
			expect(praised.has(c)).toBe(false);
	});

	it('criticises every unit tied at the bottom, and all of them go into rectification', () => {
		const a = buildAnnouncement(input(category('municipal', [...TEN.slice(0, 8), 70, 70])));
		expect(codes(a.criticised, 'municipal')).toEqual(['m09', 'm10']);
		expect(codes(a.rectification, 'municipal')).toEqual(['m08', 'm09', 'm10']);
	});

	it('commends every unit of a category smaller than its quota, and nobody else is named', () => {
		const a = buildAnnouncement(
			input([...category('municipal', [90, 80, 70]), ...category('vertical', [88, 77])])
		);
		expect(codes(a.commended, 'municipal')).toEqual(['m01', 'm02', 'm03']);
		expect(codes(a.commended, 'vertical')).toEqual(['v01', 'v02']);
		expect(isEmpty(a.rectification)).toBe(true);
		expect(isEmpty(a.criticised)).toBe(true);
	});

	it('names no one when a category has no departments', () => {
		const a = buildAnnouncement(input(category('municipal', TEN)));
		expect(codes(a.commended, 'vertical')).toEqual([]);
		expect(a.participants.vertical).toBe(0);
	});

	it.each([
		['municipal', 'reassignment', null],
		['vertical', 'superior_report', '上级v08']
	] as const)(
		'a %s unit criticised two years running: %s',
		(cat, consequence, superiorAuthority) => {
			const totals = cat === 'municipal' ? TEN.slice(0, 8) : EIGHT;
			const last = `${cat === 'municipal' ? 'm' : 'v'}08`;
			const a = buildAnnouncement(
				input(category(cat, totals, { criticisedLastYear: [last, `${cat[0]}01`] }))
			);
			const criticised = a.criticised.find((s) => s.category === cat)!.units;
			expect(criticised).toEqual([
				expect.objectContaining({
					code: last,
					criticisedLastYear: true,
					consequence,
					superiorAuthority: cat === 'vertical' ? superiorAuthority : null
				})
			]);
			// Criticised last year but commended this year: nothing follows.
			expect(codes(a.commended, cat)).toContain(`${cat[0]}01`);
		}
	);

	it('reads the consequences from the outcomes, never recomputing them', () => {
		// A snapshot whose outcomes differ from what the rules would give today is announced as
		// published: the announcement is of the published results, not of a new computation.
		const [d] = category('municipal', [90]);
		const published = { ...d!, outcomes: ['criticism' as const], criticisedLastYear: true };
		const a = buildAnnouncement(input([published]));
		expect(codes(a.commended, 'municipal')).toEqual([]);
		expect(a.criticised[0]!.units[0]).toMatchObject({ code: 'm01', consequence: null });
	});

	it('gives the assigned leader and the recorded deadline, and says when none is assigned', () => {
		const a = buildAnnouncement(
			input(category('municipal', TEN), [
				{ departmentCode: 'm08', leaderName: '王市长', deadline: '2004-04-14' },
				{ departmentCode: 'm09', leaderName: null, deadline: '2004-04-10' },
				// Not in rectification in this revision: ignored.
				{ departmentCode: 'm01', leaderName: '李市长', deadline: '2004-04-14' }
			])
		);
		expect(a.rectification[0]!.units.map((u) => [u.code, u.leaderName, u.deadline])).toEqual([
			['m08', '王市长', '2004-04-14'],
			['m09', null, '2004-04-10'],
			// No record yet: the rule's deadline, publication date + 90 days.
			['m10', null, '2004-04-14']
		]);
		expect(JSON.stringify(a)).not.toContain('李市长');
	});

	it('follows the settings published with the revision', () => {
		const settings = {
			...DEFAULT_SETTINGS,
			commended: { municipal: 2, vertical: 1 },
			rectificationBottom: 1,
			rectificationDays: 30
		};
		const a = buildAnnouncement(input(category('municipal', TEN, { settings }), [], settings));
		expect(codes(a.commended, 'municipal')).toEqual(['m01', 'm02']);
		expect(a.rectification[0]!.units).toEqual([
			expect.objectContaining({ code: 'm10', deadline: '2004-02-14' })
		]);
		expect(a.rectificationBottom).toBe(1);
	});

	it('leaves out a department without a rank', () => {
		const [d] = category('municipal', [90]);
		const a = buildAnnouncement(input([{ ...d!, rank: null, rankFromBottom: null }]));
		expect(a.participants.municipal).toBe(0);
		expect(isEmpty(a.commended)).toBe(true);
	});
});

describe('the announcement worded', () => {
	const all = (t: AnnouncementText) => JSON.stringify(t);

	it('says that a shared last place is commended alike, and leaves out an empty category', () => {
		const a = buildAnnouncement(input(category('municipal', [95, 94, 93, 92, 91, 90, 90, 80])));
		const zh = announcementText(a, 'zh-CN');
		expect(all(zh)).toContain('市直部门（参评8个，评出前6名）：单位m01、单位m02');
		expect(all(zh)).toContain('名次并列的单位同予表彰。');
		expect(all(zh)).not.toContain('垂管部门（参评');
		const en = announcementText(a, 'en');
		expect(all(en)).toContain(
			'Municipal departments (8 taking part; the top 6 are commended): Unit m01; Unit m02'
		);
	});

	it('says "none this year" for an empty section, and dates as an official document does', () => {
		const a = buildAnnouncement(input(category('municipal', [90, 80, 70])));
		const zh = announcementText(a, 'zh-CN');
		expect(zh.sections[1]!.blocks).toEqual([{ kind: 'paragraph', text: '本年度无。' }]);
		expect(zh.dateLine).toBe('2004年1月15日');
		expect(announcementText(a, 'en').dateLine).toBe('15 January 2004');
		expect(zh.digestLine).toBe(`SHA-256：${'ab'.repeat(32)}`);
	});
});
