// Files sent with a complaint, against the built app: the public form takes a photo (its type
// read from its bytes) and refuses a file whose extension lies, storing nothing; the stored file
// is downloaded — as an attachment, with the sniffed type — by an admin, and by nobody who may
// not see who complained (a liaison of the department gets the same 404 as for no such file).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { pdf, png } from '../helpers/attachment-files';
import { makeDepartment, makeUser } from '../factories';

const LIAISON = { username: 'att-liaison', password: 'correct horse battery' };
const FIELDS = {
	department_code: 'att',
	category: 'arbitrary_fees',
	summary: '收费没有票据，附上收据照片',
	name: '赵六',
	contact: '13700001111'
};

/** Every file under a folder, recursively. */
async function filesIn(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
	return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('complaint attachments', () => {
	let app: RunningApp;
	let dir: string;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'pingyi-attachments-'));
		app = await startApp({
			env: { ATTACHMENTS_DIR: dir },
			seed: async (db) => {
				await makeDepartment(db, { code: 'att', nameZh: '附件局' });
				await makeUser(db, { role: 'liaison', departmentCode: 'att', ...LIAISON });
			}
		});
	});
	afterAll(async () => {
		await app?.dispose();
		await rm(dir, { recursive: true, force: true });
	});

	const send = (file: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }) => {
		const body = new FormData();
		for (const [k, v] of Object.entries(FIELDS)) body.set(k, v);
		body.append('attachments', new Blob([file.bytes], { type: file.type }), file.name);
		return app.fetch('/complaint', { method: 'POST', body, from: '127.0.9.1' });
	};

	it('refuses a file whose extension lies, and stores nothing', async () => {
		const r = await send({ bytes: pdf(), name: 'receipt.jpg', type: 'image/jpeg' });
		expect(r.status).toBe(400);
		const html = await r.text();
		expect(html).not.toContain('data-testid="complaint-no"');
		expect(html).toContain('receipt.jpg');
		expect(await filesIn(dir)).toEqual([]);
	});

	it('takes a photo, and lets an admin download it, never a liaison', async () => {
		const bytes = png();
		const r = await send({ bytes, name: '收据.png', type: 'image/png' });
		expect(r.status).toBe(200);
		const html = await r.text();
		const no = /data-testid="complaint-no"[^>]*>\s*([^<\s]+)/.exec(html)?.[1];
		expect(no).toMatch(/^TS\d{4}-\d{6}$/);
		expect(await filesIn(dir)).toHaveLength(1);

		const admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie;
		const page = await (await app.fetch(`/complaints/${no}`, { cookie: admin })).text();
		// Relative, as SvelteKit writes it (`../complaints/…`).
		const link = /href="(?:\.\.)?(\/complaints\/[^"]+\/attachments\/\d+)"/.exec(page)?.[1];
		expect(link).toBeDefined();
		const file = await app.fetch(link!, { cookie: admin });
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(file.headers.get('x-content-type-options')).toBe('nosniff');
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);

		const liaison = (await app.signIn(LIAISON.username, LIAISON.password)).cookie;
		const seen = await (await app.fetch(`/complaints/${no}`, { cookie: liaison })).text();
		expect(seen).not.toContain('/attachments/');
		expect(seen).not.toContain('赵六');
		expect((await app.fetch(link!, { cookie: liaison })).status).toBe(404);
		const other = link!.replace(/\d+$/, '999999');
		expect((await app.fetch(other, { cookie: admin })).status).toBe(404);
	});
});
