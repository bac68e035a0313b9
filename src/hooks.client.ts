// The browser's start. zod compiles object parsers with `new Function` where it may, and probes
// for that on the first parse: the pages' Content-Security-Policy forbids eval (svelte.config.js),
// and the browser reports the probe as a violation even though zod then parses without. Jitless
// from the start, it never probes.
import { config } from 'zod';

config({ jitless: true });
