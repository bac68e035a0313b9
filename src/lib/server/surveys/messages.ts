// What to tell a person (page, API client or CLI) when a response is refused, in their language.
import { m } from '$lib/paraglide/messages';
import type { ResponseProblem } from '$lib/schemas/responses';

type Options = { locale?: 'zh-CN' | 'en' };

export function responseProblemMessage(p: ResponseProblem, options?: Options): string {
	switch (p.code) {
		case 'required':
			return m.responses_error_required({}, options);
		case 'too_long':
			return m.responses_error_too_long({ max: p.max }, options);
		case 'type': {
			const expected =
				p.expected === 'text'
					? m.responses_type_text({}, options)
					: p.expected === 'list'
						? m.responses_type_list({}, options)
						: m.responses_type_object({}, options);
			return m.responses_error_type({ expected }, options);
		}
		case 'unknown_field':
			return m.responses_error_unknown_field({}, options);
		case 'nul':
			return m.responses_error_nul({}, options);
		case 'channel':
			return m.responses_error_channel({ value: p.value }, options);
		case 'submitted_at':
			return m.responses_error_submitted_at({ value: p.value }, options);
		case 'no_answers':
			return m.responses_error_no_answers({}, options);
		case 'too_many_answers':
			return m.responses_error_too_many_answers({ max: p.max }, options);
	}
}
