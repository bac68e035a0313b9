// The answer of a streamed import's upload endpoint (responses): the import's progress as it
// goes, one JSON line at a time ($lib/import-progress), for the page's script to show.
import { PROGRESS_TYPE, type ProgressLine } from '$lib/import-progress';
import { m } from '$lib/paraglide/messages';
import { logError } from '$lib/server/log';

const HEARTBEAT_MS = 5_000;

/**
 * The answer of a streamed import's upload endpoint: NDJSON lines (`ProgressLine`) as `run`
 * sends them, a heartbeat while it is quiet, and the line `run` ends with. An unexpected error is
 * logged with an id, which the last line shows (as `handleError` does for a page).
 */
export function progressResponse(
	run: (send: (line: ProgressLine) => void) => Promise<ProgressLine>
): Response {
	const encoder = new TextEncoder();
	let open = true;
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (line: ProgressLine) => {
				// The reader may have gone (a closed tab); the import still finishes.
				if (open) controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
			};
			const heartbeat = setInterval(() => send({ type: 'working' }), HEARTBEAT_MS);
			try {
				send(await run(send));
			} catch (e) {
				const id = crypto.randomUUID();
				// An import's rows are respondents' answers: their values stay out of the log.
				logError('import failed', e, { errorId: id });
				send({ type: 'error', message: m.imports_error_unexpected({ id }) });
			} finally {
				clearInterval(heartbeat);
				if (open) controller.close();
				open = false;
			}
		},
		cancel() {
			open = false;
		}
	});
	return new Response(body, {
		headers: {
			'content-type': `${PROGRESS_TYPE}; charset=utf-8`,
			'cache-control': 'no-store',
			// Proxies such as nginx would otherwise hold the lines back until the end.
			'x-accel-buffering': 'no'
		}
	});
}
