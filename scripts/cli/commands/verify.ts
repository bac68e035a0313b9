// `verify FILE`: says which published revision of the results a downloaded file is — its
// SHA-256 must be a published snapshot's digest, and its bytes the canonical JSON the public
// results page offers; exits 1 when it is not (edited, reformatted, or never published).
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import * as results from '$lib/server/results';
import { CliError, type Command } from '../command';
import { readInput } from './import';

/** More than any year's results file. */
const MAX_BYTES = 50 * 1024 * 1024;

function reasonText(reason: 'not_json' | 'altered' | 'unknown', locale: Locale): string {
	if (reason === 'not_json') return m.cli_verify_not_json({}, { locale });
	if (reason === 'altered') return m.cli_verify_altered({}, { locale });
	return m.cli_verify_unknown({}, { locale });
}

export const verifyResults: Command = {
	name: ['verify'],
	usage: 'FILE',
	args: ['FILE'],
	summary: (locale) => m.cli_help_verify({}, { locale }),
	async run(ctx, { args }) {
		const { locale } = ctx;
		const check = await results.verifySnapshotFile(
			ctx.db,
			await readInput(args[0]!, MAX_BYTES, locale)
		);
		if (!check.ok)
			throw new CliError(
				'results_file_unverified',
				m.cli_verify_failed(
					{ digest: check.digest, reason: reasonText(check.reason, locale) },
					{ locale }
				),
				[{ reason: check.reason, digest: check.digest }]
			);
		const s = check.snapshot;
		return {
			text: [
				m.cli_verify_ok(
					{ year: s.year, revision: s.revision ?? '', digest: check.digest },
					{ locale }
				)
			],
			json: {
				ok: true,
				year: s.year,
				revision: s.revision,
				digest: check.digest,
				published_at: s.publishedAt
			}
		};
	}
};
