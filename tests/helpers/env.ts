// Environment variables a test file sets for its own run (and for the app it starts, which
// inherits them), put back as they were afterwards.
import { afterAll, beforeAll } from 'vitest';

export function useEnv(vars: Record<string, string>): void {
	const saved: Record<string, string | undefined> = {};
	beforeAll(() => {
		for (const [name, value] of Object.entries(vars)) {
			saved[name] = process.env[name];
			process.env[name] = value;
		}
	});
	afterAll(() => {
		for (const [name, value] of Object.entries(saved))
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
	});
}
