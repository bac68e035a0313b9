// `audit verify`: walks the audit trail's hash chain; exits 1 naming the first broken entry.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import * as audit from '$lib/server/audit';
import { CliError, type Command } from '../command';

function reasonText(reason: 'hash' | 'link' | 'gap', locale: Locale): string {
	if (reason === 'hash') return m.cli_audit_reason_hash({}, { locale });
	if (reason === 'link') return m.cli_audit_reason_link({}, { locale });
	return m.cli_audit_reason_gap({}, { locale });
}

export const auditVerify: Command = {
	name: ['audit', 'verify'],
	usage: '',
	summary: (locale) => m.cli_help_audit_verify({}, { locale }),
	async run(ctx) {
		const result = await audit.verify(ctx.db);
		const { locale } = ctx;
		if (result.firstBroken) {
			const { seq, reason } = result.firstBroken;
			throw new CliError(
				'audit_chain_broken',
				m.cli_audit_broken(
					{ seq, reason: reasonText(reason, locale), good: result.checked - 1 },
					{ locale }
				),
				[{ seq, reason, checked: result.checked }]
			);
		}
		return {
			text: [m.cli_audit_ok({ checked: result.checked }, { locale })],
			json: { ok: true, checked: result.checked }
		};
	}
};
