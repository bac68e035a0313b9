// What the upload endpoint of a streamed import (responses) sends back while it works: one JSON
// document per line (NDJSON), read by the import page as they arrive. The last line is `done`
// (go to the summary, as the form's redirect would) or `refused` (the form's failure, as the
// action returns it) or `error`.
import type { FormFailure } from '$lib/forms';

export type ProgressLine =
	/** The whole file arrived, this many bytes; the import starts. */
	| { type: 'received'; bytes: number }
	/** Rows of the file read so far. */
	| { type: 'progress'; rows: number }
	/** Still working (sent every few seconds, so that nothing on the way closes the line). */
	| { type: 'working' }
	| { type: 'done'; location: string }
	| { type: 'refused'; failure: FormFailure }
	| { type: 'error'; message: string };

/** The media type of the stream. */
export const PROGRESS_TYPE = 'application/x-ndjson';

/** Splits received text into complete lines; returns the lines and the unfinished rest. */
export function progressLines(text: string): { lines: ProgressLine[]; rest: string } {
	const parts = text.split('\n');
	const rest = parts.pop() ?? '';
	return {
		lines: parts.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ProgressLine),
		rest
	};
}
