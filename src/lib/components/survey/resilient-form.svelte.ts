// A survey form that loses nothing: what is typed is kept in this browser (a reload or a lost
// connection loses nothing), checked with the server's own schema before sending, and sent
// again until the server acknowledges it, always under the same response key, so that the
// server stores one response however often it arrives. Used by the respondent's page and the
// supervisors' consoles; without JavaScript none of this runs and the plain form post works.
import type { SubmitFunction } from '@sveltejs/kit';

type Check = (values: Record<string, unknown>) => Record<string, string> | null;

export class ResilientForm {
	status = $state<'idle' | 'sending' | 'retrying'>('idle');
	/** The browser's own check's errors, or null when it passed (the server's then count). */
	clientErrors = $state<Record<string, string> | null>(null);
	responseKey = $state('');
	element = $state<HTMLFormElement>();
	#attempt = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;

	/**
	 * `draftKey`: where this form's draft is kept; `check`: the schema's verdict (field errors or
	 * null); `fresh`: the response key to use when there is no draft.
	 */
	constructor(
		private readonly opts: { draftKey: () => string; check: Check; fresh: () => string }
	) {}

	saveDraft = () => {
		if (!this.element) return;
		const values: [string, string][] = [];
		for (const [k, v] of new FormData(this.element)) if (typeof v === 'string') values.push([k, v]);
		try {
			localStorage.setItem(this.opts.draftKey(), JSON.stringify({ key: this.responseKey, values }));
		} catch {
			// Storage full or refused (private mode): the form still works, without the draft.
		}
	};

	/** Restores the draft (fields named in `skip` keep the page's values); call from onMount. */
	restore = (skip: readonly string[] = []) => {
		this.responseKey = this.opts.fresh();
		let draft: { key: string; values: [string, string][] } | null = null;
		try {
			draft = JSON.parse(localStorage.getItem(this.opts.draftKey()) ?? 'null');
		} catch {
			draft = null;
		}
		const form = this.element;
		if (draft && form) {
			this.responseKey = draft.key;
			const seen: string[] = [];
			for (const [name, value] of draft.values) {
				if (name === 'response_key' || skip.includes(name)) continue;
				const fields = form.querySelectorAll<
					HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
				>(`[name="${CSS.escape(name)}"]`);
				for (const f of fields)
					if (f instanceof HTMLInputElement && (f.type === 'radio' || f.type === 'checkbox')) {
						// A checkbox group keeps several values: clear it once, then tick each.
						if (!seen.includes(name)) f.checked = false;
						if (f.value === value) f.checked = true;
					} else if (f instanceof HTMLSelectElement && f.multiple) {
						// So does a multiple select: clear it once, then select each.
						for (const o of f.options) {
							if (!seen.includes(name)) o.selected = false;
							if (o.value === value) o.selected = true;
						}
					} else f.value = value;
				seen.push(name);
			}
		}
		const online = () => {
			if (this.status === 'retrying') this.element?.requestSubmit();
		};
		addEventListener('online', online);
		return () => {
			clearTimeout(this.#timer);
			removeEventListener('online', online);
		};
	};

	/** Forgets the draft (after the server acknowledged the response). */
	forget = () => {
		try {
			localStorage.removeItem(this.opts.draftKey());
		} catch {
			// Nothing kept, nothing to forget.
		}
	};

	submit: SubmitFunction = ({ formData, cancel }) => {
		clearTimeout(this.#timer);
		const values: Record<string, unknown> = {};
		for (const key of formData.keys()) {
			if (key in values) continue;
			const all = formData.getAll(key);
			values[key] = all.length === 1 ? all[0] : all;
		}
		const errors = this.opts.check(values);
		if (errors) {
			this.clientErrors = errors;
			cancel();
			return;
		}
		this.clientErrors = null;
		this.status = 'sending';
		return async ({ result, update }) => {
			if (result.type === 'redirect' || result.type === 'success') {
				this.forget();
				this.status = 'idle';
				this.#attempt = 0;
				await update();
			} else if (result.type === 'failure') {
				this.status = 'idle';
				this.#attempt = 0;
				await update({ reset: false });
			} else {
				// No answer (offline, the server restarting): the same response again, later.
				this.status = 'retrying';
				this.#attempt += 1;
				this.#timer = setTimeout(
					() => this.element?.requestSubmit(),
					Math.min(30_000, 1000 * 2 ** Math.min(this.#attempt, 5))
				);
			}
		};
	};
}
