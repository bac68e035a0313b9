// What to tell a person on a page when an evaluation or rectification verb refuses, in their
// language.
import { m } from '$lib/paraglide/messages';
import type { EvaluationError } from './errors';
import { NOTE_MAX, TEXT_MAX, type RectificationError } from './rectification';

export function evaluationErrorMessage(e: EvaluationError): string {
	const year = e.details.year ?? 0;
	switch (e.code) {
		case 'year_invalid':
			return m.evaluation_error_year_invalid();
		case 'year_exists':
			return m.evaluation_error_year_exists({ year });
		case 'year_not_found':
			return m.evaluation_error_year_not_found();
		case 'settings_invalid':
			return m.evaluation_error_settings_invalid();
		case 'settings_frozen':
			return m.evaluation_error_settings_frozen();
		case 'no_draft':
			return m.evaluation_error_no_draft();
		case 'draft_has_errors':
			return m.evaluation_error_draft_has_errors({ count: e.details.errors ?? 0 });
		case 'draft_stale':
			return m.evaluation_error_draft_stale();
		case 'draft_already_published':
			return m.evaluation_error_draft_already_published();
		case 'digest_mismatch':
			return m.evaluation_error_digest_mismatch();
		case 'reason_required':
			return m.evaluation_error_reason_required();
		case 'not_published':
			return m.evaluation_error_not_published();
		case 'snapshot_not_found':
			return m.evaluation_error_snapshot_not_found();
		default:
			return m.form_invalid();
	}
}

export function rectificationErrorMessage(e: RectificationError): string {
	switch (e.code) {
		case 'not_found':
			return m.rectification_error_not_found();
		case 'closed':
			return m.rectification_error_closed();
		case 'cancelled':
			return m.rectification_error_cancelled();
		case 'not_a_leader':
			return m.rectification_error_not_a_leader();
		case 'leader_unchanged':
			return m.rectification_error_leader_unchanged();
		case 'plan_missing':
			return m.rectification_error_plan_missing();
		case 'text_required':
			return m.rectification_error_text_required();
		case 'text_too_long':
			return m.rectification_error_text_too_long({
				max: e.field === 'note' ? NOTE_MAX : TEXT_MAX
			});
		default:
			return m.form_invalid();
	}
}
