// Expected refusals of the evaluation verbs; routes and the CLI translate `code`.
import type { SettingsProblem } from '$lib/domain/scoring';

export type EvaluationErrorCode =
	| 'year_invalid'
	| 'year_exists'
	| 'year_not_found'
	| 'settings_invalid'
	| 'settings_frozen'
	| 'no_draft'
	| 'draft_has_errors'
	| 'draft_stale'
	| 'draft_already_published'
	| 'digest_mismatch'
	| 'reason_required'
	| 'not_published'
	| 'snapshot_not_found';

/** An expected refusal; routes and the CLI translate `code` into the user's language. */
export class EvaluationError extends Error {
	constructor(
		readonly code: EvaluationErrorCode,
		readonly details: { year?: number; problems?: SettingsProblem[]; errors?: number } = {}
	) {
		super(code);
		this.name = 'EvaluationError';
	}
}
