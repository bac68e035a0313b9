// The formats the results of a year are exported in: `export results --format` and the rankings
// page's downloads. Not a server module: the `[format=format]` route matcher runs in the browser.
export const RESULT_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export function isResultFormat(text: string): text is ResultFormat {
	return (RESULT_FORMATS as readonly string[]).includes(text);
}
