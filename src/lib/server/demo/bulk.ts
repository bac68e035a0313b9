// Bulk writing for the demo: rows go in by COPY (../imports/copy.ts, on either driver) inside the
// caller's transaction, as an import's do; the demo never updates what it wrote.
import type { Tx } from '$lib/server/db';
import { copyInto, csvText } from '$lib/server/imports/copy';

export type Cell = string | number | boolean | Date | null;

function cell(v: Cell): string {
	if (v === null) return '';
	if (typeof v === 'string') return csvText(v);
	if (typeof v === 'boolean') return v ? 't' : 'f';
	if (v instanceof Date) return v.toISOString();
	return String(v);
}

/** Writes the rows into `table` (its `columns`, in order) with one COPY. */
export async function copyRows(
	tx: Tx,
	table: string,
	columns: readonly string[],
	rows: Iterable<readonly Cell[]>
): Promise<number> {
	const writer = await copyInto(tx, table, columns);
	let n = 0;
	let part = '';
	try {
		for (const row of rows) {
			part += row.map(cell).join(',') + '\n';
			n++;
			if (part.length > 256 * 1024) {
				await writer.write(part);
				part = '';
			}
		}
		if (part) await writer.write(part);
		await writer.end();
	} catch (e) {
		writer.abort(e as Error);
		throw e;
	}
	return n;
}
