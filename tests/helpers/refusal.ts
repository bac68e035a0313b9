// What a domain verb refused with: the code and field of its `DomainError`; anything else (or
// nothing thrown) fails the test.
import { isDomainError, type ProblemCode } from '$lib/errors';

export async function refusal(
	p: Promise<unknown>
): Promise<{ code: ProblemCode; field: string | undefined }> {
	try {
		await p;
	} catch (e) {
		if (isDomainError(e)) return { code: e.code, field: e.field };
		throw e;
	}
	throw new Error('expected a refusal (DomainError)');
}

/** Only the code of the refusal. */
export async function refusalCode(p: Promise<unknown>): Promise<ProblemCode> {
	return (await refusal(p)).code;
}
