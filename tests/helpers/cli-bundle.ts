// Vitest's global set-up for the suites that run the command line as a child process: bundles
// scripts/cli.ts once per run (esbuild, the same transform tsx applies; packages stay in
// node_modules), so that each spawn starts in about a second instead of tsx compiling the whole
// import graph again (three seconds, ten on a busy machine). `npm run cli` itself still runs
// tsx; tests/integration/cli.test.ts spawns that too.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { CLI_BUNDLE } from './cli-process';

const ROOT = resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<void> {
	await build({
		entryPoints: [resolve(ROOT, 'scripts/cli.ts')],
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		outfile: CLI_BUNDLE,
		packages: 'external',
		alias: { $lib: resolve(ROOT, 'src/lib') },
		logLevel: 'warning'
	});
}
