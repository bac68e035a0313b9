// What an action form tells the fields inside it: each field's error, and the values to show again
// after the action refused them, both keyed by the field's name.
import { getContext, setContext } from 'svelte';

export type FieldTexts = Readonly<Record<string, string | undefined>>;

export interface FormFields {
	readonly errors: FieldTexts;
	readonly values: FieldTexts;
}

const KEY = Symbol('form-fields');

/** For the form: `fields` is read lazily, so getters keep the fields up to date. */
export function provideFormFields(fields: FormFields): void {
	setContext(KEY, fields);
}

/** For a field: the enclosing action form's errors and values, if it is in one. */
export function formFields(): FormFields | undefined {
	return getContext<FormFields | undefined>(KEY);
}
