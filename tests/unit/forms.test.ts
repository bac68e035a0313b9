// The one forms helper: what a refused form hands back (typed values but never a secret, a
// message per field in the user's language), and how a verb's refusal becomes that failure, a
// 404 page, or propagates when it is a bug.
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError, messageOf } from '$lib/errors';
import { attempt, readForm, submit } from '$lib/server/forms';

const schema = z.object({
	name: z.string().trim().min(1, 'required').max(5),
	password: z.string().min(3)
});

function post(fields: Record<string, string>) {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	return { request: new Request('http://localhost/x', { method: 'POST', body }) };
}

describe('readForm', () => {
	it('gives the data of a valid form', async () => {
		const input = await readForm(post({ name: ' Li ', password: 'secret' }), schema);
		expect(input.ok && input.data).toEqual({ name: 'Li', password: 'secret' });
	});

	it('refuses with a message per field, the typed values back, never a password', async () => {
		const input = await readForm(post({ name: 'toolong', password: 'x' }), schema, {
			form: 'edit'
		});
		expect(input.ok).toBe(false);
		if (input.ok) return;
		expect(input.failure.status).toBe(400);
		expect(input.failure.data).toEqual({
			form: 'edit',
			values: { name: 'toolong' },
			errors: {
				name: messageOf('too_long', { max: 5 }),
				password: messageOf('too_short', { min: 3 })
			}
		});
	});
});

describe('attempt and submit', () => {
	const input = { form: 'f', values: { code: 'x' } };

	it('puts a refusal next to its field, or atop the form', async () => {
		const taken = await attempt(input, async () => {
			throw new DomainError('department_code_taken', { field: 'code' });
		});
		expect(taken.ok).toBe(false);
		if (taken.ok) return;
		expect(taken.failure.status).toBe(409);
		expect(taken.failure.data.errors).toEqual({ code: messageOf('department_code_taken') });
		const frozen = await attempt(input, async () => {
			throw new DomainError('draft_has_errors', { params: { count: 2 } });
		});
		expect(!frozen.ok && frozen.failure.data.errors).toEqual({
			_form: messageOf('draft_has_errors', { count: 2 })
		});
	});

	it("answers the 404 page when the page's own subject is gone", async () => {
		const gone = attempt(input, async () => {
			throw new DomainError('finding_not_found');
		});
		await expect(gone).rejects.toSatisfy((e) => isHttpError(e, 404));
	});

	it('lets anything else through: a bug is not a refusal', async () => {
		await expect(attempt(input, async () => Promise.reject(new TypeError('bug')))).rejects.toThrow(
			TypeError
		);
	});

	it('redirects after a successful POST', async () => {
		const done = submit(
			input,
			async () => ({ id: 7 }),
			(r) => `/things/${r.id}`
		);
		await expect(done).rejects.toSatisfy(
			(e) => isRedirect(e) && e.status === 303 && e.location === '/things/7'
		);
	});
});
