import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { withSecurityHeaders } from './src/lib/server/security-headers.js';

/** The built server's security headers (svelte.config.js) in `vite dev` and `vite preview` too. */
const securityHeaders: Plugin = {
	name: 'pingyi:security-headers',
	configureServer: (server) => void server.middlewares.use(withSecurityHeaders(passOn)),
	configurePreviewServer: (server) => void server.middlewares.use(withSecurityHeaders(passOn))
};
function passOn(_req: unknown, _res: unknown, next: () => void) {
	next();
}

export default defineConfig({
	plugins: [
		securityHeaders,
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'baseLocale']
		})
	],
	test: {
		expect: { requireAssertions: true },
		// The key TOTP keys are encrypted with, for every test and every app a test starts (which
		// inherits it); without it each would make a key file under ./data.
		env: { PINGYI_TOTP_KEY: '7f'.repeat(32) },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['tests/unit/**/*.test.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					globalSetup: ['tests/helpers/cli-bundle.ts'],
					include: ['tests/integration/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				// Against the built app (`node build`): run by `npm run test:e2e` after the build.
				extends: './vite.config.ts',
				test: {
					name: 'security',
					environment: 'node',
					globalSetup: ['tests/helpers/cli-bundle.ts'],
					include: ['tests/security/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.test.ts'],
					// One app and one Chromium at a time: two cores cannot run more without timeouts.
					fileParallelism: false,
					testTimeout: 90_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
