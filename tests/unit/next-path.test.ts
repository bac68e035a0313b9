// Where sign-in and the language switch send the user: only a path of this app.
import { describe, expect, it } from 'vitest';
import { nextPath } from '$lib/server/auth/next-path';

const here = new URL('http://127.0.0.1:3000/sign-in?next=x');

describe('nextPath', () => {
	it.each([
		['a tab before a second slash', '/\t/evil.example/x'],
		['a carriage return', '/\r/evil.example/x'],
		['a line feed', '/\n/evil.example/x'],
		['a backslash', '/\\evil.example/x'],
		['two backslashes', '\\\\evil.example/x'],
		['a tab and a backslash', '/\t\\evil.example'],
		['protocol-relative', '//evil.example/x'],
		['an absolute URL', 'https://evil.example/x'],
		['an absolute URL with our host as user name', 'http://127.0.0.1:3000@evil.example/'],
		['another port of our host', 'http://127.0.0.1:4000/x'],
		['javascript:', 'javascript:alert(1)'],
		['JavaScript: in mixed case', 'JaVaScRiPt:alert(1)'],
		['data:', 'data:text/html,<script>alert(1)</script>'],
		['nothing', ''],
		['no parameter', null]
	])('refuses %s', (_, next) => {
		expect(nextPath(next, here)).toBe('/');
	});

	it.each([
		[
			'a path with query and hash',
			'/users/3?saved=update#password',
			'/users/3?saved=update#password'
		],
		['our own absolute URL', 'http://127.0.0.1:3000/rankings/2026?x=1', '/rankings/2026?x=1'],
		// Still our own paths, so harmless: a browser does not read %2f or %5c as separators.
		['encoded slashes', '/%2f%2fevil.example', '/%2f%2fevil.example'],
		['an encoded backslash', '/%5cevil.example', '/%5cevil.example'],
		// Resolves to the path `//evil.example`, which must not leave as a relative Location.
		['a dot segment before two slashes', '/.//evil.example', '/evil.example'],
		['a relative path', 'users', '/users']
	])('keeps %s', (_, next, path) => {
		expect(nextPath(next, here)).toBe(path);
	});
});
