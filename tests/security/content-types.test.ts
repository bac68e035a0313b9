// Bodies of the wrong kind against the built app: a form action given anything but a form, and
// the JSON API given anything but JSON, answer 415 with a message (the API with its error
// document), never a 500, a bare text 403, or a write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import * as apiTokens from '$lib/server/auth/api-token';
import { ADMIN, startApp, type RunningApp } from '../helpers/app';
import { testActor } from '../factories';

type ErrorDoc = { error: { code: string; message: string } };

const newUser = {
	username: 'clerk',
	displayName: 'Clerk',
	role: 'supervisor',
	password: 'correct horse battery'
};

/** Bodies that are not forms, each with its Content-Type (none: bytes, which fetch leaves untyped). */
const NOT_FORMS: [string, string | null, () => BodyInit][] = [
	['text/plain', 'text/plain', () => new URLSearchParams(newUser).toString()],
	[
		'text/plain with a charset',
		'text/plain;charset=UTF-8',
		() => new URLSearchParams(newUser).toString()
	],
	['application/json', 'application/json', () => JSON.stringify(newUser)],
	['no Content-Type', null, () => new TextEncoder().encode(new URLSearchParams(newUser).toString())]
];

describe('bodies of the wrong type', () => {
	let app: RunningApp;
	let admin: string;
	let token = '';
	beforeAll(async () => {
		app = await startApp({
			seed: async (db) => {
				const issued = await db.transaction((tx) =>
					apiTokens.create(tx, { name: 'hotline', role: 'supervisor' }, testActor)
				);
				token = issued.token;
			}
		});
		admin = (await app.signIn(ADMIN.username, ADMIN.password)).cookie!;
	});
	afterAll(() => app?.dispose());

	/** Whether the account the forms would create exists (the users list names it). */
	const created = async (username = newUser.username) =>
		(await (await app.fetch('/users', { cookie: admin })).text()).includes(username);

	const postTo = (path: string, type: string | null, body: BodyInit, cookie?: string) => {
		const headers = new Headers();
		if (type) headers.set('content-type', type);
		return app.fetch(path, { method: 'POST', headers, body, cookie });
	};

	it.each(NOT_FORMS)(
		'a form action refuses %s with 415 and writes nothing',
		async (_, type, body) => {
			const r = await postTo('/users/new', type, body(), admin);
			expect(r.status).toBe(415);
			const doc = (await r.json()) as ErrorDoc;
			expect(doc.error.code).toBe('unsupported_media_type');
			expect(doc.error.message).toBe(m.form_not_a_form({}, { locale: 'zh-CN' }));
			expect(await created()).toBe(false);
		}
	);

	it('says so in the user’s language, on every action: sign-in, a named action, one that reads no form', async () => {
		for (const path of ['/sign-in', '/users/1?/update', '/audit?/verify']) {
			const r = await app.fetch(path, {
				method: 'POST',
				headers: { 'content-type': 'text/plain', cookie: `${admin}; PARAGLIDE_LOCALE=en` },
				body: 'username=admin'
			});
			expect(r.status, path).toBe(415);
			expect(((await r.json()) as ErrorDoc).error.message).toBe(
				m.form_not_a_form({}, { locale: 'en' })
			);
		}
	});

	it('still takes the same action as a form, urlencoded or multipart', async () => {
		const r = await postTo(
			'/users/new',
			'application/x-www-form-urlencoded',
			new URLSearchParams(newUser),
			admin
		);
		expect(r.status).toBe(303);
		const multipart = new FormData();
		for (const [k, v] of Object.entries({ ...newUser, username: 'probe-415-b' }))
			multipart.set(k, v);
		expect((await postTo('/users/new', null, multipart, admin)).status).toBe(303);
		expect(await created('probe-415')).toBe(true);
		expect(await created('probe-415-b')).toBe(true);
	});

	it('leaves endpoints that read no form alone: sign-out with text/plain', async () => {
		const { cookie } = await app.signIn(ADMIN.username, ADMIN.password);
		const r = await postTo('/sign-out', 'text/plain', 'bye', cookie!);
		expect(r.status).toBe(303);
	});

	describe('the API', () => {
		const api = (
			path: string,
			type: string | null,
			body: string,
			bearer: string | null = token
		) => {
			const headers = new Headers({ accept: 'application/json' });
			if (type) headers.set('content-type', type);
			if (bearer) headers.set('authorization', `Bearer ${bearer}`);
			// As a client other than a browser sends it: no Origin, no Sec-Fetch-Site.
			return app.fetch(path, { method: 'POST', headers, body, sameOrigin: false });
		};
		const json = '[]';

		it.each([
			['/api/v1/cases', 'text/plain'],
			['/api/v1/complaints', 'text/plain;charset=UTF-8'],
			['/api/v1/responses', 'text/plain'],
			['/api/v1/cases', 'application/x-www-form-urlencoded'],
			['/api/v1/responses', 'multipart/form-data; boundary=x'],
			['/api/v1/complaints', null]
		])('%s refuses a body sent as %s with 415 and the error document', async (path, type) => {
			const r = await api(path, type, json);
			expect(r.status).toBe(415);
			expect(r.headers.get('content-type')).toContain('application/json');
			const doc = (await r.json()) as ErrorDoc;
			expect(doc.error.code).toBe('unsupported_media_type');
			expect(doc.error.message).toBe(m.api_not_json({}, { locale: 'zh-CN' }));
		});

		it('answers a text/plain request without a token with its 401 document, not a text 403', async () => {
			const r = await api('/api/v1/cases', 'text/plain', json, null);
			expect(r.status).toBe(401);
			expect(((await r.json()) as ErrorDoc).error.code).toBe('unauthenticated');
		});

		it('takes JSON as before, also as a +json type', async () => {
			expect((await api('/api/v1/cases', 'application/json', json)).status).toBe(200);
			expect((await api('/api/v1/cases', 'application/json; charset=utf-8', json)).status).toBe(
				200
			);
			expect((await api('/api/v1/complaints', 'application/vnd.pingyi+json', json)).status).toBe(
				200
			);
		});
	});
});
