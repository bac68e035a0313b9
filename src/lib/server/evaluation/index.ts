// Evaluation years: their settings, the computation of drafts and the publication of revisions
// (spec/scoring.md §§1, 3, 4). Reading the results back is `$lib/server/results`. Pages, the API
// and the CLI call these verbs:
//   import * as evaluation from '$lib/server/evaluation'
export { diffSnapshots } from '$lib/domain/snapshot-diff';
export type { SnapshotDiff, DepartmentChange, DepartmentStanding } from '$lib/domain/snapshot-diff';
export * from './store';
export { compute } from './compute';
export { publish } from './publish';
export type { PublishInput } from './publish';
