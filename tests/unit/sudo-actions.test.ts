// Which actions require sudo mode, enumerated: every `requireSudo(event, 'name')` in the routes
// is listed here with its place, and every rule of SUDO_ACTIONS is required somewhere. Adding or
// dropping a sudo check anywhere fails this test until the table says so.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUDO_ACTIONS } from '$lib/server/auth/sudo';

const ROUTES = resolve(import.meta.dirname, '../../src/routes');

/** Route file → the sudo rules it requires, in the order written. */
const EXPECTED: Record<string, string[]> = {
	'(app)/years/[year=year]/publish/+page.server.ts': ['publish_results'],
	'(app)/campaigns/[code]/responses/download/[format]/+server.ts': ['export_identities'],
	'(app)/campaigns/[code]/invitations/csv/+server.ts': ['export_identities'],
	'(app)/campaigns/[code]/invitations/cards/+page.server.ts': ['export_identities'],
	'(app)/campaigns/[code]/sample/+page.server.ts': ['reveal_phones'],
	'(app)/tokens/+page.server.ts': ['issue_api_token'],
	'(app)/account/+page.server.ts': ['manage_second_factor', 'manage_second_factor'],
	'(app)/users/[id=id]/+page.server.ts': ['reset_second_factor']
};

function found(): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const file of readdirSync(ROUTES, { recursive: true, encoding: 'utf8' })) {
		if (!/\.(ts|js)$/.test(file)) continue;
		const text = readFileSync(join(ROUTES, file), 'utf8');
		const names = [...text.matchAll(/requireSudo\(\s*event\s*,\s*'([a-z_]+)'\s*\)/g)].map(
			(x) => x[1]!
		);
		// A call written otherwise (not with a literal name) would escape the table.
		const calls = text.match(/requireSudo\(/g)?.length ?? 0;
		expect(names.length, `${file}: requireSudo with a literal rule name`).toBe(calls);
		if (names.length) out[relative(ROUTES, join(ROUTES, file))] = names;
	}
	return out;
}

describe('sudo mode', () => {
	it('is required exactly where the table says', () => {
		expect(found()).toEqual(EXPECTED);
	});

	it('has no rule that no route requires, and no route requires an unknown rule', () => {
		const used = new Set(Object.values(EXPECTED).flat());
		expect([...used].sort()).toEqual(Object.keys(SUDO_ACTIONS).sort());
	});
});
