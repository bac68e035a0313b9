// What a form says of a refusal: its message beside its field, or, for a refusal of one field
// for problems of its parts (a form's files), each of those problems there.
import { describe, expect, it } from 'vitest';
import { DomainError, messageOf } from '$lib/errors';
import { refusalMessages } from '$lib/server/forms';

describe('refusalMessages', () => {
	it('says a refusal beside its field, or atop the form', () => {
		expect(refusalMessages(new DomainError('complaint_assignee', { field: 'assignee' }))).toEqual({
			assignee: messageOf('complaint_assignee')
		});
		expect(refusalMessages(new DomainError('complaint_forbidden'))).toEqual({
			_form: messageOf('complaint_forbidden')
		});
	});

	it('says each problem of a field’s parts, not only that the field was refused', () => {
		const e = new DomainError('attachments_refused', {
			field: 'attachments',
			details: [
				{ field: 'attachments.0', code: 'attachment_empty', params: { name: 'a.png' } },
				{ field: 'attachments', code: 'attachments_too_many', params: { count: 6, max: 5 } }
			]
		});
		const said = refusalMessages(e).attachments!;
		expect(said).toContain(messageOf('attachment_empty', { name: 'a.png' }));
		expect(said).toContain(messageOf('attachments_too_many', { count: 6, max: 5 }));
		expect(said).not.toContain(messageOf('attachments_refused'));
	});
});
