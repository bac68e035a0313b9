// Published results whose stored content was changed behind the app's back (the freezing
// trigger disabled, as someone with database rights could) are refused on every path of the
// built app — the rankings page, the "why this score" page, the public page, each download, the
// API — and by the CLI, each with the same sentence and an error log line naming the snapshot;
// never served with a flag. A year left intact is served as usual.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '$lib/domain/years';
import { messageOf } from '$lib/errors';
import * as evaluation from '$lib/server/evaluation';
import { startApp, type RunningApp } from '../helpers/app';
import { cli } from '../helpers/cli';
import { makeUser, testActor } from '../factories';
import { EXAMPLE_SETTINGS, seedExampleYear } from '../factories/evaluation-data';
import { tamperWithSnapshot } from '../factories/snapshots';

const PASSWORD = 'correct horse battery';
const YEAR = currentYear() - 1;
const INTACT = YEAR - 1;
// Pages answer in the default language, zh-CN, as does the CLI with --lang zh-CN.
const REFUSAL = messageOf('digest_mismatch', {}, 'zh-CN');
const LOG_LINE = `integrity check failed for ${YEAR} revision 1`;

describe('tampered published results', () => {
	let app: RunningApp;
	const digests: Record<number, string> = {};
	const cookies: Record<string, string> = {};
	let downloaded = '';
	const logLines = () => app.logs().split(LOG_LINE).length - 1;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeUser(db, { username: 'supervisor', role: 'supervisor' });
				await makeUser(db, { username: 'liaison-jyj', role: 'liaison', departmentCode: 'jyj' });
				for (const year of [INTACT, YEAR]) {
					await seedExampleYear(db, year);
					await evaluation.createYear(db, { year, settings: EXAMPLE_SETTINGS }, testActor);
					const draft = await evaluation.compute(db, year, testActor);
					const published = await evaluation.publish(db, year, { draftId: draft.id }, testActor);
					digests[year] = published.digest;
					if (year === YEAR) await tamperWithSnapshot(db, published.id);
				}
			}
		});
		for (const who of ['supervisor', 'liaison-jyj'])
			cookies[who] = (await app.signIn(who, PASSWORD)).cookie!;
	});
	afterAll(() => app?.dispose());

	/** Waits until the app has logged `n` refusals of the tampered year (stderr is asynchronous). */
	async function loggedTimes(n: number) {
		await expect.poll(logLines, { timeout: 5000 }).toBe(n);
	}

	it.each([
		['the rankings page', `/rankings/${YEAR}`, 'supervisor'],
		['an older revision on the rankings page', `/rankings/${YEAR}?revision=1`, 'supervisor'],
		['the "why this score" page', `/rankings/${YEAR}/jyj`, 'supervisor'],
		["a liaison's own why page", `/rankings/${YEAR}/jyj`, 'liaison-jyj'],
		['the public page', `/results/${YEAR}`, null],
		['the CSV download', `/rankings/${YEAR}/download/csv`, 'liaison-jyj'],
		['the XLSX download', `/rankings/${YEAR}/download/xlsx`, 'liaison-jyj'],
		['the JSON download', `/rankings/${YEAR}/download/json`, 'supervisor'],
		['the public results file', `/results/${YEAR}/snapshot`, null]
	] as const)('refuses %s with the same sentence and one log line', async (_, path, who) => {
		const before = logLines();
		const r = await app.fetch(path, { cookie: who && cookies[who] });
		expect(r.status).toBe(500);
		expect(r.headers.get('content-disposition')).toBeNull();
		const html = await r.text();
		expect(html).toContain(REFUSAL);
		// Nothing of the results: no department's total, no table.
		expect(html).not.toContain('ranking-row');
		await loggedTimes(before + 1);
	});

	it('refuses the API with its error document and one log line', async () => {
		const before = logLines();
		const r = await app.fetch(`/api/v1/results/${YEAR}`);
		expect(r.status).toBe(500);
		expect(r.headers.has('x-pingyi-digest-ok')).toBe(false);
		expect(await r.json()).toEqual({
			error: { code: 'digest_mismatch', message: REFUSAL, details: [] }
		});
		await loggedTimes(before + 1);
		// The line says what an administrator needs: year, revision, expected and actual digest.
		const line = app
			.logs()
			.split('\n')
			.find((l) => l.includes(LOG_LINE))!;
		expect(line).toMatch(/digest [0-9a-f]{64} expected, content hashes to [0-9a-f]{64}/);
	});

	it('serves the year that was left intact', async () => {
		const r = await app.fetch(`/results/${INTACT}`);
		expect(r.status).toBe(200);
		expect(await r.text()).toContain('ranking-row');
		const api = await app.fetch(`/api/v1/results/${INTACT}`);
		expect(api.status).toBe(200);
	});

	it("offers the public the intact year's file, hashing to the digest its page prints", async () => {
		const page = await (await app.fetch(`/results/${INTACT}`)).text();
		expect(page).toContain(`data-testid="snapshot-digest">${digests[INTACT]}<`);
		expect(page).toContain('results-snapshot-download');
		const r = await app.fetch(`/results/${INTACT}/snapshot`);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-disposition')).toContain(`pingyi-results-${INTACT}-r1-`);
		const body = new Uint8Array(await r.arrayBuffer());
		expect(createHash('sha256').update(body).digest('hex')).toBe(digests[INTACT]);
		downloaded = join(mkdtempSync(join(tmpdir(), 'pingyi-results-')), 'results.json');
		writeFileSync(downloaded, body);
		// No year published, no file.
		expect((await app.fetch(`/results/${YEAR + 1}/snapshot`)).status).toBe(404);
	});

	it('refuses the CLI with the same sentence; its terminal CSV ends every record with CRLF', async () => {
		// The embedded database opens in one process at a time.
		await app.stop();
		const where = { PGLITE_DIR: app.pgliteDir! };
		const refused = await cli(['export', 'results', String(YEAR), '--lang', 'zh-CN'], where);
		expect(refused.code).toBe(1);
		expect(refused.stdout).toBe('');
		expect(refused.stderr).toContain(REFUSAL);
		expect(refused.stderr).toContain(`${LOG_LINE} (snapshot`);
		expect(refused.stderr).toContain(`digest ${digests[YEAR]} expected`);

		const intact = await cli(['export', 'results', String(INTACT)], where);
		expect(intact.code).toBe(0);
		expect(intact.stdout.startsWith('\uFEFFcode,name_zh,category,')).toBe(true);
		const records = intact.stdout.split('\r\n');
		expect(records.at(-1)).toBe(''); // the last record ends like the others
		expect(records.length).toBeGreaterThan(3);
		expect(intact.stdout.replaceAll('\r\n', '')).not.toContain('\n');

		// The downloaded file verifies; one byte changed, it does not.
		const verified = await cli(['verify', downloaded, '--json'], where);
		expect(verified.code).toBe(0);
		expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, year: INTACT, revision: 1 });
		const edited = downloaded.replace(/\.json$/, '-edited.json');
		writeFileSync(edited, readFileSync(downloaded, 'utf8').replace('"rank":1', '"rank":2'));
		expect((await cli(['verify', edited], where)).code).toBe(1);
	});
});
