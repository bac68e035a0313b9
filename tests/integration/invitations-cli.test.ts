// `invitations create --campaign CODE` and `export invitations CODE [--output FILE]` on both
// databases, run in-process as scripts/cli.ts runs them; and once as a person runs them (a child
// process on a PGlite folder), with ORIGIN and the key file of the environment.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import * as surveys from '$lib/server/surveys';
import { makeCampaign } from '../factories/records';
import { makeSample, setCampaignState } from '../factories/samples';
import { cli, cliRefusal, runCli } from '../helpers/cli';
import { describeEachDatabase } from '../helpers/db';

const ORIGIN = 'https://pingyi.example.gov.cn';
const saved = { secret: process.env.INVITATION_SECRET, origin: process.env.ORIGIN };
beforeAll(() => {
	process.env.INVITATION_SECRET = 'cli-test-invitation-secret-0123456789';
	process.env.ORIGIN = ORIGIN;
});
afterAll(() => {
	for (const [name, value] of [
		['INVITATION_SECRET', saved.secret],
		['ORIGIN', saved.origin]
	] as const)
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
});

describeEachDatabase('invitations commands', (t) => {
	let dir: string;
	let code: string;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'pingyi-inv-cli-'));
		const c = await makeCampaign(t.db, { year: 2026, kind: 'enterprise_visit' });
		code = c.code;
		await setCampaignState(t.db, c.id, 'active');
		await makeSample(t.db, c.id, { units: 3 });
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('creates one invitation per unit, then none on a second run', async () => {
		const first = await runCli(t.handle, ['invitations', 'create'], { campaign: code });
		expect(first.text[0]).toBe(`Campaign ${code}: invitations created: 3; now 3 in all.`);
		const json = first.json as { created: number; invitations: { url: string }[] };
		expect(json.created).toBe(3);
		for (const i of json.invitations)
			expect(i.url).toMatch(/^https:\/\/pingyi\.example\.gov\.cn\/i\//);
		const second = await runCli(t.handle, ['invitations', 'create'], { campaign: code });
		expect((second.json as { created: number }).created).toBe(0);
	});

	it('exports the CSV, to standard output and to a file, and the urls resolve', async () => {
		const out = await runCli(t.handle, ['export', 'invitations', code]);
		const file = join(dir, 'inv.csv');
		const written = await runCli(t.handle, ['export', 'invitations', code], { output: file });
		expect(written.text[0]).toBe(`Wrote the invitations of campaign ${code} to ${file} (rows: 3).`);
		const bytes = readFileSync(file, 'utf8');
		expect(bytes).toBe(out.raw);
		expect(bytes.startsWith('\uFEFFuscc,enterprise_name,card_no,url\r\n')).toBe(true);
		const records = parse(bytes.slice(1), { columns: true }) as Record<string, string>[];
		expect(records.map((r) => r.card_no)).toEqual([
			'PY-2026-000001',
			'PY-2026-000002',
			'PY-2026-000003'
		]);
		for (const r of records) {
			expect(r.uscc).toMatch(/^[0-9A-Z]{18}$/);
			const token = r.url!.slice(`${ORIGIN}/i/`.length);
			const resolved = await surveys.resolveInvitation(t.db, token, { address: 'cli-test' });
			expect(resolved.ok && resolved.invitation.cardNo).toBe(r.card_no);
		}
	});

	it('refuses an unknown campaign, a closed one and one without a sample', async () => {
		const unknown = await cliRefusal(
			runCli(t.handle, ['invitations', 'create'], { campaign: 'nope' })
		);
		expect(unknown.code).toBe('campaign_not_found');
		expect(unknown.message).toBe('There is no campaign with the code nope.');
		expect((await cliRefusal(runCli(t.handle, ['export', 'invitations', 'nope']))).code).toBe(
			'campaign_not_found'
		);
		const empty = await makeCampaign(t.db, { year: 2026 });
		expect(
			(await cliRefusal(runCli(t.handle, ['invitations', 'create'], { campaign: empty.code }))).code
		).toBe('invitation_no_sample');
		const closed = await makeCampaign(t.db, { year: 2026 });
		await makeSample(t.db, closed.id, { units: 1 });
		await setCampaignState(t.db, closed.id, 'closed');
		const r = await cliRefusal(
			runCli(t.handle, ['invitations', 'create'], { campaign: closed.code })
		);
		expect(r.code).toBe('invitation_campaign_closed');
		const missing = await cliRefusal(runCli(t.handle, ['invitations', 'create'], {}));
		expect(missing.exitCode).toBe(2);
	});
});

describe('invitations commands as a person runs them', () => {
	let dir: string;
	let code: string;
	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'pingyi-inv-cli-run-'));
		const handle = await openDatabase({ pgliteDir: join(dir, 'pglite') });
		await handle.migrate();
		const c = await makeCampaign(handle.db, { year: 2026 });
		code = c.code;
		await makeSample(handle.db, c.id, { units: 2 });
		await handle.close();
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('makes the key file on first use and exports the same addresses again', async () => {
		const env = {
			PGLITE_DIR: join(dir, 'pglite'),
			INVITATION_SECRET: '',
			INVITATION_KEY_FILE: join(dir, 'invitation.key'),
			ORIGIN: 'https://cards.example'
		};
		const created = await cli(['invitations', 'create', '--campaign', code, '--json'], env);
		expect(created.code, created.stderr).toBe(0);
		const json = JSON.parse(created.stdout) as { invitations: { url: string }[] };
		expect(readFileSync(env.INVITATION_KEY_FILE, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
		const exported = await cli(['export', 'invitations', code, '--lang', 'en'], env);
		expect(exported.code, exported.stderr).toBe(0);
		const urls = (parse(exported.stdout.slice(1), { columns: true }) as { url: string }[]).map(
			(r) => r.url
		);
		expect(urls).toEqual(json.invitations.map((i) => i.url));
		expect(urls[0]).toMatch(/^https:\/\/cards\.example\/i\/[a-z2-7]{32}$/);
		const unknown = await cli(['export', 'invitations', 'nope', '--lang', 'en'], env);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('There is no campaign with the code nope.');
	});
});
