// Evaluation years: their settings, the computation of drafts, publication of revisions and the
// results exports (spec/scoring.md §§1, 3, 4). Pages, the API and the CLI call these verbs:
//   import * as evaluation from '$lib/server/evaluation'
export { diffSnapshots } from '$lib/domain/snapshot-diff';
export type { SnapshotDiff, DepartmentChange, DepartmentStanding } from '$lib/domain/snapshot-diff';
export * from './store';
export { compute } from './compute';
export { publish } from './publish';
export {
	EXPORT_FORMATS,
	RESULT_COLUMNS,
	exportResults,
	neutraliseText,
	resultRows,
	resultsSnapshot,
	type ExportFormat,
	type ResultRow,
	type ResultsExport
} from './export';
export type { PublishInput } from './publish';
