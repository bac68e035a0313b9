// The published results as a file anyone can check (issue 10 §3): the public file of a revision
// is the canonical JSON whose SHA-256 is its digest; `verify FILE` names the revision of an
// untouched copy and refuses an edited, a reformatted, a draft's and a non-JSON file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { canonicalJson } from '$lib/domain/canonical';
import * as results from '$lib/server/results';
import { departmentResult, makeSnapshot, snapshotContent } from '../factories/snapshots';
import { describeEachDatabase } from '../helpers/db';
import { cliRefusal, runCli } from '../helpers/cli';

const YEAR = 2003;
const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
const bytes = (text: string) => new TextEncoder().encode(text);

describeEachDatabase('the results file', (t) => {
	let first = '';
	let second = '';
	let draftBody = '';
	const dir = mkdtempSync(join(tmpdir(), 'pingyi-verify-'));

	beforeAll(async () => {
		const r1 = await makeSnapshot(
			t.db,
			snapshotContent(YEAR, [departmentResult('aaa'), departmentResult('bbb', { rank: 2 })]),
			{ revision: 1 }
		);
		const r2 = await makeSnapshot(
			t.db,
			snapshotContent(YEAR, [departmentResult('aaa'), departmentResult('bbb', { rank: 3 })]),
			{ revision: 2, replacesId: r1.id, note: 'correction' }
		);
		first = r1.digest;
		second = r2.digest;
		const draft = snapshotContent(YEAR + 1, [departmentResult('ccc')]);
		await makeSnapshot(t.db, draft);
		draftBody = JSON.stringify(draft);
	});

	it('gives the current revision, or the one asked for, as bytes hashing to its digest', async () => {
		const current = (await results.publishedSnapshotFile(t.db, YEAR, null))!;
		expect(current.digest).toBe(second);
		expect(sha256(current.body)).toBe(second);
		expect(current.filename).toBe(`pingyi-results-${YEAR}-r2-${second.slice(0, 12)}.json`);
		const older = (await results.publishedSnapshotFile(t.db, YEAR, 1))!;
		expect(sha256(older.body)).toBe(first);
		expect(await results.publishedSnapshotFile(t.db, YEAR, 3)).toBeNull();
		expect(await results.publishedSnapshotFile(t.db, YEAR + 1, null)).toBeNull();
	});

	it('verifies an untouched file and names its revision', async () => {
		const file = (await results.publishedSnapshotFile(t.db, YEAR, 1))!;
		const check = await results.verifySnapshotFile(t.db, bytes(file.body));
		expect(check).toMatchObject({ ok: true, digest: first, snapshot: { year: YEAR, revision: 1 } });

		const path = join(dir, file.filename);
		writeFileSync(path, file.body);
		const out = await runCli(t.handle, ['verify', path]);
		expect(out.json).toMatchObject({ ok: true, year: YEAR, revision: 1, digest: first });
		expect(out.text.join('\n')).toContain(first);
	});

	it.each([
		['a score changed', (body: string) => body.replace('"rank":3', '"rank":1'), 'unknown'],
		['reformatted', (body: string) => JSON.stringify(JSON.parse(body), null, 2), 'altered'],
		['cut short', (body: string) => body.slice(0, -10), 'not_json']
	] as const)('refuses a file %s', async (_, change, reason) => {
		const file = (await results.publishedSnapshotFile(t.db, YEAR, null))!;
		const changed = change(file.body);
		expect(changed).not.toBe(file.body);
		const check = await results.verifySnapshotFile(t.db, bytes(changed));
		expect(check).toEqual({ ok: false, reason, digest: sha256(changed) });

		const path = join(dir, `changed-${reason}.json`);
		writeFileSync(path, changed);
		const refused = await cliRefusal(runCli(t.handle, ['verify', path]));
		expect(refused.code).toBe('results_file_unverified');
	});

	it("refuses a draft's content: only published revisions verify", async () => {
		const check = await results.verifySnapshotFile(
			t.db,
			bytes(canonicalJson(JSON.parse(draftBody)))
		);
		expect(check).toMatchObject({ ok: false, reason: 'unknown' });
	});
});
