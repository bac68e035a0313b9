import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

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
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
