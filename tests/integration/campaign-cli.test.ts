// `campaign create --targets`, `campaign open` and `campaign close` as the runner executes them:
// the plan written, each step audited, a wrong step refused with exit code 1 and the reason in
// the chosen language.
import { beforeAll, expect, it } from 'vitest';
import * as surveys from '$lib/server/surveys';
import { cliRefusal, runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';
import { makeDepartment } from '../factories';
import { retireAllDepartments } from '../factories/records';

const admin = { role: 'admin' } as const;

describeEachDatabase('campaign commands', (t) => {
	beforeAll(async () => {
		await retireAllDepartments(t.db);
		await makeDepartment(t.db, { code: 'LE1', category: 'municipal' });
		await makeDepartment(t.db, { code: 'LE2', category: 'vertical' });
		await makeDepartment(t.db, { code: 'OT1', category: 'municipal' });
	});

	it('creates a campaign about hand-picked departments, then opens and closes it', async () => {
		const created = await runCli(t.handle, ['campaign', 'create'], {
			code: 'law-2026',
			year: '2026',
			kind: 'public_evaluation',
			targets: 'LE1;LE2'
		});
		expect(created.json).toMatchObject({
			campaign: {
				code: 'law-2026',
				state: 'draft',
				targets: 'selected',
				departments: ['LE1', 'LE2']
			}
		});
		const detail = await surveys.campaignDetail(t.db, admin, 'law-2026');
		expect(detail!.departments.map((d) => d.code)).toEqual(['LE1', 'LE2']);

		const opened = await runCli(t.handle, ['campaign', 'open', 'law-2026']);
		expect(opened.text).toEqual(['Campaign law-2026 is now: Active.']);
		expect(opened.json).toMatchObject({ campaign: { code: 'law-2026', state: 'active' } });
		const closed = await runCli(t.handle, ['campaign', 'close', 'law-2026'], {}, 'zh-CN');
		expect(closed.text).toEqual(['测评活动 law-2026 现在的状态：已结束。']);
	});

	it('refuses a step the campaign’s state forbids, or an unknown campaign, with exit code 1', async () => {
		const again = await cliRefusal(runCli(t.handle, ['campaign', 'open', 'law-2026']));
		expect(again.exitCode).toBe(1);
		expect(again.message).toBe(
			'Only a draft campaign can be opened or have its plan changed; this one has started.'
		);
		const unknown = await cliRefusal(runCli(t.handle, ['campaign', 'close', 'nope']));
		expect(unknown.exitCode).toBe(1);
		expect(unknown.message).toBe('There is no campaign with the code nope.');
	});

	it('refuses targets naming an unknown department or written wrongly', async () => {
		const unknown = await cliRefusal(
			runCli(t.handle, ['campaign', 'create'], {
				code: 'bad-targets',
				year: '2026',
				kind: 'online',
				targets: 'LE1;ZZ9'
			})
		);
		expect(unknown.message).toContain('ZZ9');
		const wrong = await cliRefusal(
			runCli(t.handle, ['campaign', 'create'], {
				code: 'bad-targets',
				year: '2026',
				kind: 'online',
				targets: 'LE1;a b'
			})
		);
		expect(wrong.exitCode).toBe(1);
		expect(JSON.stringify(wrong.details)).toContain('--targets');
		expect(await surveys.campaignDetail(t.db, admin, 'bad-targets')).toBeNull();
	});
});
