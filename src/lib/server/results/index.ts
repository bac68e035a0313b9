// The results of the evaluation as they are read: stored snapshots (drafts and published
// revisions), checked against their digest on every read; the rankings and "why this score" of
// a year as one reader may see them; the list of years; the results as a file. Pages, the API
// and the CLI call these and render what they get:
//   import * as results from '$lib/server/results'
export {
	currentRevision,
	draftReview,
	getSnapshot,
	latestDraft,
	latestPublished,
	listRevisions,
	listSnapshots,
	publishedRevision,
	toSnapshot,
	type Snapshot,
	type SnapshotChoice,
	type SnapshotSummary
} from './snapshots';
export {
	OPERATOR,
	choiceOf,
	explain,
	mayExplain,
	mayViewDrafts,
	view,
	type Explanation,
	type RankingLine,
	type Reader,
	type ResultsView,
	type Shown,
	type ShownSnapshot
} from './view';
export {
	publishedSnapshotFile,
	verifySnapshotFile,
	type SnapshotFile,
	type SnapshotFileCheck
} from './snapshot-file';
export { announcement, type AnnouncementView } from './announcement';
export { announcementPdf } from './announcement-pdf';
export { publishedTrend, type TrendEntry } from './trend';
export { years, type YearResults } from './years';
export {
	RESULT_COLUMNS,
	exportResults,
	neutraliseText,
	resultRows,
	resultsCsv,
	resultsJson,
	resultsTable,
	resultsXlsx,
	type Cell,
	type ResultRow,
	type ResultsFile,
	type Wording
} from './export';
export { standing, type ScoreKey, type Standing } from './standing';
