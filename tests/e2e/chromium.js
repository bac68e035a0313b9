// Where the browser for the e2e tests is: CHROMIUM_PATH, else Debian's Chromium. Shared by the
// tests and scripts/test-e2e.js, which skips (or, with REQUIRE_BROWSER=1, fails) without one.
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable to use, or null when there is none. */
export function findChromium(env = process.env) {
	const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CANDIDATES;
	for (const path of candidates) {
		try {
			accessSync(path, constants.X_OK);
			return path;
		} catch {
			// not there, or not executable: try the next one
		}
	}
	return null;
}

/** Flags for a quiet, sandbox-free headless Chromium in a container or CI. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
