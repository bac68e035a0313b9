// What an unexpected error may put in the server's log (roles.md, anonymity: no respondent's
// identity or phone number in any log line). A failed query's error carries its parameters — a
// phone number, a respondent's answers, an enterprise's name — in its message ("params: …"), in
// fields the logger prints (`params`, `parameters`, `args`) and, from PostgreSQL, in `detail`
// ("Failing row contains (…)", "Key (…)=(…)"). The log keeps what finds the fault — the error's
// kind, its message up to the parameters, the query text with its placeholders, the code and
// the stack — and drops the values.

/** The message without a failed query's parameters. */
function withoutParams(message: string): string {
	const at = message.search(/\n\s*params:/);
	return at < 0 ? message : `${message.slice(0, at)}\nparams: [withheld]`;
}

/** An error, and the errors that caused it, as text without any query parameter or detail. */
export function loggableError(error: unknown): string {
	const lines: string[] = [];
	let e: unknown = error;
	for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
		if (!(e instanceof Error)) {
			lines.push(`${depth ? 'caused by: ' : ''}${typeof e}`);
			break;
		}
		const message = withoutParams(e.message);
		const code = (e as { code?: unknown }).code;
		const head = `${e.name}: ${message}${typeof code === 'string' ? ` [${code}]` : ''}`;
		const stack = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
		lines.push(`${depth ? 'caused by: ' : ''}${head}`, ...stack);
		e = (e as { cause?: unknown }).cause;
	}
	return lines.join('\n');
}

/** A request path as a log line shows it: an invitation's token is the respondent's key. */
export function loggablePath(pathname: string): string {
	return pathname.replace(/^\/i\/[^/]+/, '/i/[token]');
}
