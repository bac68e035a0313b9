// The server's log: one JSON object per line (docs/operations.md, "Logs"), `time`, `level` and
// `msg` first, then the fields, with the request id on every line a request writes. What goes in
// is masked on the way out — every phone and ID number in any string (roles.md: never in logs) —
// and the callers put in no values of a failed query or an invitation's token (log-safe.ts).
import { maskedChanges } from '$lib/domain/mask';
import { loggableError } from './log-safe';

export type LogLevel = 'info' | 'warn' | 'error';

/** Writes one line: info on stdout, warnings and errors on stderr. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
	const line = JSON.stringify(
		maskedChanges({ time: new Date().toISOString(), level, msg, ...fields })
	);
	if (level === 'info') console.log(line);
	else console.error(line);
}

/** An unexpected error, as `loggableError` gives it (kind, message, code, stack; no values). */
export function logError(msg: string, error: unknown, fields: Record<string, unknown> = {}): void {
	log('error', msg, { ...fields, error: loggableError(error) });
}

// A request id a proxy in front may have set (nginx's $request_id), when it looks like one.
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The id of a request: the proxy's `X-Request-Id` when it sent a plausible one, else a new one. */
export function requestIdOf(request: Request): string {
	const forwarded = request.headers.get('x-request-id');
	return forwarded && FORWARDED_ID.test(forwarded) ? forwarded : crypto.randomUUID();
}
