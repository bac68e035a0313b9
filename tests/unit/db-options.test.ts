// The database settings read from the environment (README, Configuration).
import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from '$lib/server/db';

describe('optionsFromEnv', () => {
	it('opens the embedded database in PGLITE_DIR, or data/pglite', () => {
		expect(optionsFromEnv({})).toEqual({ pgliteDir: 'data/pglite' });
		expect(optionsFromEnv({ PGLITE_DIR: '/srv/db' })).toEqual({ pgliteDir: '/srv/db' });
	});

	it('takes the pool size and pool-wait limit for PostgreSQL', () => {
		const url = 'postgres://u@h/db';
		expect(optionsFromEnv({ DATABASE_URL: url })).toEqual({
			url,
			max: undefined,
			poolWaitMs: undefined
		});
		expect(
			optionsFromEnv({
				DATABASE_URL: url,
				PINGYI_DB_POOL_SIZE: ' 20 ',
				PINGYI_DB_POOL_WAIT_MS: '2500'
			})
		).toEqual({ url, max: 20, poolWaitMs: 2500 });
	});

	it('refuses a setting that is not a positive whole number, naming it', () => {
		const url = 'postgres://u@h/db';
		for (const bad of ['0', '-3', '1.5', 'ten'])
			expect(() => optionsFromEnv({ DATABASE_URL: url, PINGYI_DB_POOL_SIZE: bad })).toThrow(
				/PINGYI_DB_POOL_SIZE/
			);
		expect(() => optionsFromEnv({ DATABASE_URL: url, PINGYI_DB_POOL_WAIT_MS: '0' })).toThrow(
			/PINGYI_DB_POOL_WAIT_MS/
		);
	});
});
