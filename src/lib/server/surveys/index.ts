// Surveys: campaigns and the responses to them (spec/product.md, scoring.md §2.4). Pages, the
// API and the CLI call these verbs: `import * as surveys from '$lib/server/surveys'`.
export * from './campaigns';
export * from './questionnaires';
export * from './responses';
export * from './samples';
export * from './respond';
export {
	importResponses,
	type ResponseImportOptions,
	type ResponseImportResult,
	type RowError
} from './import';
export * from './invitations';
export * from './contact-cards';
export * from './consoles';
export * from './phone';
export * from './response-rates';
export * from './aggregates';
export * from './review';
export * from './response-export';
export * from './open-links';
export * from './enterprise-account';
