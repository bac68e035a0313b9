// `audit verify [--anchor FILE]`: walks the audit trail's hash chain, and checks it against the
// signed heads of an anchor file; exits 1 naming what is wrong. `audit anchor` prints the signed
// head; `audit export` writes the trail (or a range of it) as CSV or JSON Lines.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { auditFilterOf, auditQuerySchema } from '$lib/schemas/audit';
import * as audit from '$lib/server/audit';
import {
	anchorSettings,
	headLine,
	loadKeyring,
	readHead,
	signHead,
	verifyAnchorFile,
	type AnchorCheck,
	type AnchorProblem
} from '$lib/server/audit/anchor';
import { AUDIT_EXPORT_FORMATS, exportEntries, isAuditExportFormat } from '$lib/server/audit/export';
import { CliError, optionalString, parseInput, type Command } from '../command';
import { writeStreamed } from './export';

function reasonText(reason: 'hash' | 'link' | 'gap', locale: Locale): string {
	if (reason === 'hash') return m.cli_audit_reason_hash({}, { locale });
	if (reason === 'link') return m.cli_audit_reason_link({}, { locale });
	return m.cli_audit_reason_gap({}, { locale });
}

/** One problem of an anchor file, as a line under the message. */
function problemText(p: AnchorProblem, head: number, locale: Locale): string {
	const o = { locale };
	const line = p.line;
	if (p.reason === 'malformed') return m.cli_audit_anchor_line_malformed({ line }, o);
	if (p.reason === 'unknown_key')
		return m.cli_audit_anchor_line_unknown_key({ line, kid: p.kid ?? '' }, o);
	if (p.reason === 'bad_mac') return m.cli_audit_anchor_line_bad_mac({ line }, o);
	if (p.reason === 'missing')
		return m.cli_audit_anchor_line_missing({ line, seq: p.seq ?? 0, head }, o);
	return m.cli_audit_anchor_line_differs({ line, seq: p.seq ?? 0 }, o);
}

/** The anchor file's verdict as the command's refusal, the gravest finding first. */
function anchorRefusal(file: string, c: AnchorCheck, locale: Locale): CliError {
	const o = { locale };
	const details = [
		{
			file,
			head: c.head.seq,
			anchored: c.anchored?.seq ?? null,
			lines: c.lines,
			signed: c.signed,
			refused: c.refused.count,
			mismatched: c.mismatched.count,
			problems: [...c.mismatched.first, ...c.refused.first]
		}
	];
	const lines = [...c.mismatched.first, ...c.refused.first].map(
		(p) => `  ${problemText(p, c.head.seq, locale)}`
	);
	const [code, message] =
		c.anchored && c.anchored.seq > c.head.seq
			? [
					'audit_anchor_behind',
					m.cli_audit_anchor_behind(
						{ head: c.head.seq, seq: c.anchored.seq, line: c.anchored.line },
						o
					)
				]
			: c.mismatched.count > 0
				? [
						'audit_anchor_rewritten',
						m.cli_audit_anchor_rewritten(
							{ seq: c.mismatched.first[0]!.seq ?? 0, count: c.mismatched.count },
							o
						)
					]
				: c.refused.count > 0
					? ['audit_anchor_forged', m.cli_audit_anchor_forged({ count: c.refused.count }, o)]
					: ['audit_anchor_empty', m.cli_audit_anchor_empty({ file }, o)];
	return new CliError(code, message, details, 1, lines);
}

export const auditVerify: Command = {
	name: ['audit', 'verify'],
	usage: 'audit verify [--anchor FILE]',
	summary: (locale) => m.cli_help_audit_verify({}, { locale }),
	help: (locale) => [m.cli_help_audit_verify_anchor({}, { locale })],
	options: { anchor: { type: 'string' } },
	async run(ctx, { values }) {
		const { locale } = ctx;
		const result = await audit.verify(ctx.db);
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
		const file = optionalString(values, 'anchor');
		if (!file)
			return {
				text: [m.cli_audit_ok({ checked: result.checked }, { locale })],
				json: { ok: true, checked: result.checked }
			};
		const ring = await loadKeyring(anchorSettings(), { create: false });
		const check = await verifyAnchorFile(ctx.db, file, ring);
		if (!check.ok) throw anchorRefusal(file, check, locale);
		const anchored = check.anchored!.seq;
		return {
			text: [
				m.cli_audit_anchor_ok(
					{ checked: result.checked, signed: check.signed, file, seq: anchored },
					{ locale }
				)
			],
			json: { ok: true, checked: result.checked, anchor: { file, signed: check.signed, anchored } }
		};
	}
};

export const auditAnchor: Command = {
	name: ['audit', 'anchor'],
	usage: '',
	summary: (locale) => m.cli_help_audit_anchor({}, { locale }),
	async run(ctx) {
		const ring = await loadKeyring(anchorSettings(), { create: true });
		const head = signHead(ring, await readHead(ctx.db));
		// The line as the anchor file holds it, so that `>> FILE` makes one.
		return { text: [], raw: headLine(head), json: head };
	}
};

export const auditExport: Command = {
	name: ['audit', 'export'],
	usage: 'audit export [--from DATE] [--to DATE] [--format csv|jsonl] [--output FILE]',
	summary: (locale) => m.cli_help_audit_export({}, { locale }),
	options: {
		from: { type: 'string' },
		to: { type: 'string' },
		format: { type: 'string' },
		output: { type: 'string' }
	},
	async run(ctx, { values }) {
		const { locale } = ctx;
		const format = optionalString(values, 'format') ?? 'csv';
		if (!isAuditExportFormat(format))
			throw new CliError(
				'invalid_format',
				m.cli_export_invalid_format(
					{ format, formats: AUDIT_EXPORT_FORMATS.join(', ') },
					{ locale }
				),
				[{ option: '--format', value: format }],
				2
			);
		const query = parseInput(
			auditQuerySchema,
			{ from: optionalString(values, 'from'), to: optionalString(values, 'to') },
			locale
		);
		const output = optionalString(values, 'output');
		// Standard output takes the file only when nothing else is printed there.
		if (!output && values.json === true)
			throw new CliError(
				'output_required',
				m.cli_audit_export_needs_output({}, { locale }),
				[{ option: '--output' }],
				2
			);
		const result = await writeStreamed(output, locale, (sink) =>
			exportEntries(ctx.db, ctx.actor, { format, filter: auditFilterOf(query) }, sink)
		);
		const about = { format, from: query.from ?? null, to: query.to ?? null, ...result };
		if (!output) return { text: [], raw: '', json: about };
		return {
			text: [m.cli_audit_export_written({ entries: result.entries, file: output }, { locale })],
			json: { ...about, file: output }
		};
	}
};
