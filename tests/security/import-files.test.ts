// Hostile or careless files posted to the import pages of the built app: NUL bytes (a 500
// before), a picture, invalid UTF-8 — each answered 400 with the problem on the page, nothing
// written; and the same rows with NUL through the API, 422 with the row and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageOf } from '$lib/errors';
import * as apiTokens from '$lib/server/auth/api-token';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { makeDepartment, testActor } from '../factories';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('bad files on the import pages', () => {
	let app: RunningApp;
	let cookie: string;
	let token: string;

	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				await makeDepartment(db, { code: 'nul-dept' });
				token = (
					await db.transaction((tx) =>
						apiTokens.create(tx, { name: 'case system', role: 'supervisor' }, testActor)
					)
				).token;
			}
		});
		cookie = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	});
	afterAll(() => app?.dispose());

	/** Posts `bytes` as the upload of `path` (a same-origin form, as the page sends it). */
	const upload = (
		path: string,
		bytes: Uint8Array<ArrayBuffer>,
		fields: Record<string, string> = {}
	) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.set(k, v);
		form.set('file', new Blob([bytes]), 'file.csv');
		return app.fetch(path, { method: 'POST', cookie, body: form });
	};

	it('answers a NUL byte with 400 and its line, column and character, not a 500', async () => {
		const r = await upload(
			'/enterprises/import',
			utf8(
				'uscc,name,address,township,contact_name,contact_phone\n' +
					'91350100M000100Y43,星辰\u0000机械,,,,\n'
			)
		);
		expect(r.status).toBe(400);
		const html = await r.text();
		expect(html).toContain(messageOf('text_character', { position: 3, char: 'U+0000' }, 'zh-CN'));
		const list = await app.fetch('/enterprises', { cookie });
		expect(await list.text()).not.toContain('91350100M000100Y43');
	});

	it('answers a picture with 400 and “this is not a CSV file”', async () => {
		const png = new Uint8Array([
			0x89,
			0x50,
			0x4e,
			0x47,
			0x0d,
			0x0a,
			0x1a,
			0x0a,
			...new Uint8Array(64)
		]);
		for (const [path, fields] of [
			['/findings/import', {}],
			['/calendar/import', {}],
			['/departments/import', { year: '2026' }]
		] as const) {
			const r = await upload(path, png, fields);
			expect(r.status, path).toBe(400);
			expect(await r.text(), path).toContain(messageOf('file_not_a_table', {}, 'zh-CN'));
		}
	});

	it('answers invalid UTF-8 behind a BOM with 400, never “1 updated”', async () => {
		const bytes = new Uint8Array([
			0xef,
			0xbb,
			0xbf,
			...utf8('date,kind\n2031-05-01,'),
			0xff,
			...utf8('\n')
		]);
		const r = await upload('/calendar/import', bytes);
		expect(r.status).toBe(400);
		expect(await r.text()).toContain(messageOf('text_unreadable', { position: 1 }, 'zh-CN'));
	});

	it('answers NUL in the API rows of cases with 422, the row and the column', async () => {
		const row = {
			case_no: 'NUL-1',
			department_code: 'nul-dept',
			item_code: 'XK-1',
			item_name: '登\u0000记',
			accepted_at: '2026-03-02',
			completed_at: null,
			promised_working_days: 1
		};
		const r = await app.fetch('/api/v1/cases', {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify([row])
		});
		expect(r.status).toBe(422);
		const body = (await r.json()) as { error: { code: string; details: unknown[] } };
		expect(body.error.code).toBe('invalid_rows');
		expect(body.error.details).toEqual([
			expect.objectContaining({ row: 0, column: 'item_name', path: '0.item_name' })
		]);
	});
});
