import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import node from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const OUT = 'build';

/**
 * adapter-node, with the security headers (src/lib/server/security-headers.js) on every response
 * the built server sends. Its file server (sirv) answers /_app/immutable/* and static/ before any
 * hook runs, so no hook can set theirs: the middleware that sets them is put in front of the
 * handler build/index.js serves. `node build` stays the one way to start the server, with every
 * adapter-node setting (graceful shutdown, socket activation, timeouts) as it was; a custom
 * server around build/handler.js, the other way adapter-node offers, would have to rebuild those.
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter() {
	const base = node({ out: OUT });
	return {
		...base,
		async adapt(builder) {
			await base.adapt(builder);
			copyFileSync('src/lib/server/security-headers.js', `${OUT}/security-headers.js`);
			const index = `${OUT}/index.js`;
			const code = readFileSync(index, 'utf8');
			const use = '.use(handler)';
			// Fail the build rather than serve without the headers should adapter-node change.
			if (code.split(use).length !== 2) {
				throw new Error(`${index} does not call ${use} once: cannot add the security headers`);
			}
			// The import goes last (imports are hoisted), so that the source map's lines still hold.
			const secured = code.replace(use, '.use(withSecurityHeaders(handler))');
			const map = secured.lastIndexOf('//# sourceMappingURL=');
			const at = map === -1 ? secured.length : map;
			writeFileSync(
				index,
				`${secured.slice(0, at)}import { withSecurityHeaders } from './security-headers.js';\n${secured.slice(at)}`
			);
			builder.log.minor('Added the security headers to every response');
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// The app's own check (handleCsrf in src/lib/server/auth/handle.ts) refuses every unsafe
		// request a browser does not mark as same-origin, whatever its Content-Type: stricter than
		// SvelteKit's, which looks only at form Content-Types and answers in plain text before any
		// hook runs, so that an API client posting text/plain got a bare 403 instead of the API's
		// error document. The API (bearer tokens, no cookies) needs no such check.
		csrf: { trustedOrigins: ['*'] },
		// The pages' Content-Security-Policy. SvelteKit adds a fresh nonce to script-src for each
		// rendered page (its hydration script is inline) and would use hashes for prerendered ones.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Components' <style> compile to CSS files: no <style> element, no inline style rule.
				'style-src': ['self'],
				// Style *attributes* only (the narrowest policy that works, found in Chromium with
				// tests/e2e/content-security-policy.test.ts): SvelteKit's route announcer, mounted on
				// every page, carries one (sveltejs/kit#11993), and a chart box's height, which grows
				// with its number of bars, is in the server's markup so that the page does not jump
				// when the chart is drawn (chart-figure.svelte). A style attribute cannot run script,
				// and with img-src and font-src 'self' it cannot load anything from elsewhere.
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
