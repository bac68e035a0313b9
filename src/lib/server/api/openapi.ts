// The OpenAPI 3.1 description of /api/v1 (spec/exchange.md), served at /api/v1/openapi.json.
// Written by hand, next to the zod schemas it describes: a test checks that every endpoint under
// src/routes/api/v1 is described here and every path here has an endpoint.
import { MAX_YEAR, MIN_YEAR } from '$lib/domain/years';
import { CASE_COLUMNS, ITEM_CODE_MAX, ITEM_NAME_MAX, PROMISE_MAX } from '$lib/schemas/cases';
import {
	CATEGORY_MAX,
	CHANNEL_MAX,
	COMPLAINT_COLUMNS,
	SUMMARY_MAX,
	VERDICTS
} from '$lib/schemas/complaints';
import { CODE_MAX } from '$lib/schemas/departments';
import { KEY_MAX } from '$lib/schemas/record-rows';
import { MAX_API_ROWS } from '$lib/server/imports/records';
import { RESULT_COLUMNS } from '$lib/server/results';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
	description,
	content: { 'application/json': { schema: ref('Error') } }
});
const jsonBody = (schema: object) => ({ 'application/json': { schema } });

const DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2})?$';
const localDateTime = (description: string) => ({
	type: 'string',
	pattern: DATE_TIME_PATTERN,
	description: `${description} Local time in Asia/Shanghai, \`YYYY-MM-DD HH:mm[:ss]\`.`,
	examples: ['2026-03-02 07:15']
});

const NOT_JSON = 'The body is not sent as JSON (`Content-Type: application/json`).';

/** The errors every authenticated endpoint may answer with. */
const AUTH_ERRORS = {
	'401': errorResponse('No token, or a token that is unknown or revoked.'),
	'403': errorResponse("The token's role may not use this endpoint (spec/roles.md).")
};

const upsertResponses = (what: string) => ({
	'200': {
		description: `Every ${what} was valid and is stored: inserted, updated, or already as sent.`,
		content: jsonBody(ref('UpsertResult'))
	},
	'400': errorResponse('The body is not JSON.'),
	...AUTH_ERRORS,
	'413': errorResponse(`More than ${MAX_API_ROWS} rows; nothing was written.`),
	'415': errorResponse(NOT_JSON),
	'422': errorResponse(
		'The body is not an array, or some rows are invalid: `details` lists each problem with ' +
			'`row` (index into the array, from 0), `column` and `path` (`row.column`). Nothing was written.'
	)
});

const RESULT_ROW = {
	type: 'object',
	required: [...RESULT_COLUMNS],
	properties: {
		code: { type: 'string' },
		name_zh: { type: 'string' },
		category: { type: 'string', enum: ['municipal', 'vertical'] },
		work: { type: 'number', description: 'Work delivery score, 0–100.' },
		convenience: { type: 'number', description: 'Convenience and efficiency score, 0–100.' },
		complaints: { type: 'number', description: 'Complaint handling score, 0–100.' },
		appraisal: { type: 'number', description: 'Democratic appraisal score, 0–100.' },
		total: { type: 'number' },
		rank: { type: 'integer', minimum: 1, description: 'Within the category; ties share a rank.' },
		rank_from_bottom: { type: 'integer', minimum: 1 },
		responses: { type: 'integer', minimum: 0, description: 'Counted survey responses.' },
		satisfaction_rate: { type: ['number', 'null'] },
		outcomes: {
			type: 'array',
			items: {
				type: 'string',
				enum: ['commended', 'rectification', 'criticism', 'reassignment', 'superior_report']
			}
		}
	}
};

export const openApiDocument = {
	openapi: '3.1.0',
	info: {
		title: 'Pingyi API',
		version: '1',
		description:
			'Records in (service cases, complaints, survey responses) and published results out, ' +
			'as spec/exchange.md describes. JSON in and out; authenticated by `Authorization: Bearer ' +
			'<token>` (an admin issues tokens with a role; the API obeys the same roles as the pages). ' +
			'Errors are `{"error": {"code", "message", "details"}}` with a 4xx status, in the language ' +
			'of the `PARAGLIDE_LOCALE` cookie (zh-CN by default); a request that fails writes nothing.'
	},
	servers: [{ url: '/api/v1' }],
	security: [{ bearerAuth: [] }],
	paths: {
		'/responses': {
			post: {
				operationId: 'postResponse',
				summary: 'Store one survey response, idempotently by response_key.',
				requestBody: { required: true, content: jsonBody(ref('ResponseInput')) },
				responses: {
					'201': {
						description: 'Stored.',
						content: jsonBody(ref('StoredResponse'))
					},
					'200': {
						description:
							'This same response was stored before under its response_key: it is returned, ' +
							'and no second one is stored. The same means the same campaign, channel and ' +
							'submission instant (however written) and the same set of answers (in any ' +
							'order; a level as a number or a digit, a text trimmed).',
						content: jsonBody(ref('StoredResponse'))
					},
					'400': errorResponse('The body is not JSON.'),
					...AUTH_ERRORS,
					'409': errorResponse(
						'Not stored: the response_key holds another response (`response_key_conflict`; ' +
							'a stored response is never replaced), an import that has not finished is ' +
							'writing it (`response_key_busy`: send it again later), or the results of the ' +
							"campaign's year are published (`response_year_published`), or the invitation " +
							'answered about one of the departments already (`invitation_answered`).'
					),
					'404': errorResponse(
						'With `invitation_token`: the token is unknown or its campaign is not running ' +
							'(`invitation_invalid`, the same for each).'
					),
					'429': errorResponse(
						'With `invitation_token`: too many wrong tokens from this address ' +
							'(`invitation_throttled`).'
					),
					'415': errorResponse(NOT_JSON),
					'422': errorResponse(
						'Invalid content (`response_invalid`): unknown campaign, department or question, ' +
							'a bad channel, time or answer, a time outside the campaign (its year, and its ' +
							'dates when it has them), a response_key with control characters or unpaired ' +
							'surrogates, a NUL anywhere. `details` name each problem by its JSON path, with ' +
							'its code.'
					)
				}
			}
		},
		'/cases': {
			post: {
				operationId: 'upsertCases',
				summary: `Upsert up to ${MAX_API_ROWS} service cases by case_no, all or none.`,
				description:
					'Rows as in the cases file. A row equal to the stored case changes nothing; a ' +
					'changed row updates it. One audit entry per request.',
				requestBody: {
					required: true,
					content: jsonBody({ type: 'array', maxItems: MAX_API_ROWS, items: ref('CaseRow') })
				},
				parameters: [{ $ref: '#/components/parameters/RequestId' }],
				responses: upsertResponses('case')
			}
		},
		'/complaints': {
			post: {
				operationId: 'upsertComplaints',
				summary: `Upsert up to ${MAX_API_ROWS} complaints by complaint_no, all or none.`,
				description:
					'Rows as in the complaints file. A row equal to the stored complaint changes ' +
					'nothing; a changed row updates it. One audit entry per request.',
				requestBody: {
					required: true,
					content: jsonBody({
						type: 'array',
						maxItems: MAX_API_ROWS,
						items: ref('ComplaintRow')
					})
				},
				parameters: [{ $ref: '#/components/parameters/RequestId' }],
				responses: upsertResponses('complaint')
			}
		},
		'/complaints/stats': {
			get: {
				operationId: 'complaintStats',
				summary: 'Complaints received in a year to date, beside the previous year.',
				description:
					'Counts complaints received from 1 January through `through` (local dates) of ' +
					'`year` and of `year − 1`. `through=02-29` is accepted only when `year` is a leap ' +
					'year (422 otherwise); the previous year, not being one, then counts through 28 ' +
					'February.',
				parameters: [
					{
						name: 'year',
						in: 'query',
						required: true,
						schema: { type: 'integer', minimum: MIN_YEAR + 1, maximum: MAX_YEAR }
					},
					{
						name: 'through',
						in: 'query',
						required: false,
						description: 'The last day counted, `MM-DD`; 12-31 when absent.',
						schema: { type: 'string', pattern: '^\\d{2}-\\d{2}$', default: '12-31' }
					}
				],
				responses: {
					'200': { description: 'The counts.', content: jsonBody(ref('ComplaintStats')) },
					...AUTH_ERRORS,
					'422': errorResponse('A missing or invalid `year` or `through`.')
				}
			}
		},
		'/results/{year}': {
			get: {
				operationId: 'publishedResults',
				summary: 'The published results of an evaluation year.',
				description:
					'One row per ranked department, exactly as `export results --format json` writes ' +
					'them. The revision and the SHA-256 digest of the published snapshot they come from ' +
					'are in the `X-Pingyi-Revision` and `X-Pingyi-Digest` headers (the digest is also ' +
					'the ETag). Every read checks the stored content against the digest: results that ' +
					'fail the check are never served (500, `digest_mismatch`). Public: no token needed.',
				security: [],
				parameters: [
					{
						name: 'year',
						in: 'path',
						required: true,
						schema: { type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR }
					}
				],
				responses: {
					'200': {
						description: 'The published results (the current revision).',
						headers: {
							'X-Pingyi-Revision': {
								description: 'The published revision (corrections are new revisions).',
								schema: { type: 'integer', minimum: 1 }
							},
							'X-Pingyi-Digest': {
								description: 'SHA-256 of the canonical content of the published snapshot.',
								schema: { type: 'string' }
							}
						},
						content: jsonBody({ type: 'array', items: ref('ResultRow') })
					},
					'404': errorResponse('The year has no published results (yet): `not_published`.'),
					'500': errorResponse(
						'The stored results fail their integrity check (`digest_mismatch`); the server ' +
							'logs the year, revision and both digests for an administrator.'
					)
				}
			}
		},
		'/openapi.json': {
			get: {
				operationId: 'openApi',
				summary: 'This document.',
				security: [],
				responses: {
					'200': {
						description: 'The OpenAPI 3.1 description of /api/v1.',
						content: jsonBody({ type: 'object' })
					}
				}
			}
		}
	},
	components: {
		securitySchemes: {
			bearerAuth: {
				type: 'http',
				scheme: 'bearer',
				description:
					'A token issued by an admin (API tokens page, or `npm run cli -- token create ' +
					'--name N --role R`), shown once; only its hash is stored.'
			}
		},
		parameters: {
			RequestId: {
				name: 'X-Request-Id',
				in: 'header',
				required: false,
				description:
					'Your id of the request (letters, digits, `_.:-`, at most 100), recorded in the ' +
					'audit entry and echoed as `request_id`; a fresh one is made when absent.',
				schema: { type: 'string', pattern: '^[\\w.:-]{1,100}$' }
			}
		},
		schemas: {
			Error: {
				type: 'object',
				required: ['error'],
				properties: {
					error: {
						type: 'object',
						required: ['code', 'message', 'details'],
						properties: {
							code: {
								type: 'string',
								description:
									'Stable, for programs: e.g. `unauthenticated`, `forbidden`, `invalid_json`, ' +
									'`invalid_content`, `invalid_rows`, `too_many_rows`, `invalid_query`, `not_found`.'
							},
							message: { type: 'string', description: 'For people, in their language.' },
							details: {
								type: 'array',
								items: {
									type: 'object',
									required: ['message'],
									properties: {
										path: {
											type: 'string',
											description: 'Where: a JSON path such as `3.accepted_at`.'
										},
										row: { type: 'integer', description: 'Index of the row in the array, from 0.' },
										column: { type: 'string' },
										message: { type: 'string' }
									}
								}
							}
						}
					}
				}
			},
			UpsertResult: {
				type: 'object',
				required: ['rows', 'created', 'updated', 'unchanged', 'request_id'],
				properties: {
					rows: { type: 'integer', minimum: 0 },
					created: { type: 'integer', minimum: 0 },
					updated: { type: 'integer', minimum: 0 },
					unchanged: { type: 'integer', minimum: 0 },
					request_id: { type: 'string' }
				}
			},
			CaseRow: {
				type: 'object',
				description: 'A service case (办件). Fields may also be sent as strings, as in the file.',
				required: CASE_COLUMNS.filter((c) => c !== 'completed_at'),
				properties: {
					case_no: { type: 'string', maxLength: KEY_MAX },
					department_code: { type: 'string', maxLength: CODE_MAX },
					item_code: { type: 'string', maxLength: ITEM_CODE_MAX },
					item_name: { type: 'string', maxLength: ITEM_NAME_MAX },
					accepted_at: localDateTime('When the case was accepted.'),
					completed_at: {
						...localDateTime('When it was completed; empty or null while open.'),
						type: ['string', 'null']
					},
					promised_working_days: {
						type: ['integer', 'string'],
						minimum: 0,
						maximum: PROMISE_MAX,
						description: 'The promised time limit in working days; 0 for an instant item (即办件).'
					}
				}
			},
			ComplaintRow: {
				type: 'object',
				description: 'An efficiency complaint (效能投诉), as in the complaints file.',
				required: COMPLAINT_COLUMNS.filter(
					(c) => c !== 'verdict' && c !== 'concluded_at' && c !== 'summary'
				),
				properties: {
					complaint_no: { type: 'string', maxLength: KEY_MAX },
					department_code: { type: 'string', maxLength: CODE_MAX },
					received_at: localDateTime('When the complaint was received.'),
					channel: { type: 'string', maxLength: CHANNEL_MAX },
					category: { type: 'string', maxLength: CATEGORY_MAX },
					verdict: {
						type: ['string', 'null'],
						enum: [...VERDICTS, '', null],
						description: 'Empty or null while the complaint is open.'
					},
					concluded_at: {
						...localDateTime('When it was concluded: required exactly when there is a verdict.'),
						type: ['string', 'null']
					},
					response_late: {
						type: ['boolean', 'string'],
						enum: [true, false, 'true', 'false'],
						description: 'Whether the department responded later than the response time.'
					},
					summary: { type: ['string', 'null'], maxLength: SUMMARY_MAX }
				}
			},
			ComplaintStats: {
				type: 'object',
				required: ['year', 'through', 'count', 'previous_count', 'change_pct'],
				properties: {
					year: { type: 'integer' },
					through: { type: 'string', pattern: '^\\d{2}-\\d{2}$' },
					count: { type: 'integer', minimum: 0 },
					previous_count: { type: 'integer', minimum: 0 },
					change_pct: {
						type: ['number', 'null'],
						description:
							'100 × (count − previous_count) / previous_count, rounded half away from zero ' +
							'to 2 decimals; null when previous_count is 0.'
					}
				}
			},
			ResponseInput: {
				type: 'object',
				required: ['response_key', 'campaign_code', 'channel', 'submitted_at', 'answers'],
				additionalProperties: false,
				properties: {
					response_key: {
						type: 'string',
						description: 'The idempotency key: the same key is stored once.'
					},
					invitation_token: {
						type: 'string',
						description:
							"An invitation's token (the last part of its address): the response is the " +
							"invitation's, about departments among its campaign's targets, each answered " +
							'once per invitation; the campaign must be active (channel defaults to online, ' +
							'submitted_at to now).'
					},
					campaign_code: { type: 'string' },
					channel: { type: 'string', enum: ['field', 'phone', 'online', 'paper'] },
					submitted_at: {
						type: 'string',
						description:
							'`YYYY-MM-DD HH:mm[:ss]` local Asia/Shanghai, or ISO 8601 with `Z` or an offset.'
					},
					answers: {
						type: 'array',
						minItems: 1,
						items: {
							type: 'object',
							required: ['department_code', 'question_code', 'answer'],
							additionalProperties: false,
							properties: {
								department_code: { type: 'string' },
								question_code: {
									type: 'string',
									description:
										"A question of the campaign's questionnaire, e.g. `transparency`, `service`, " +
										'`integrity`, `attitude`, `quality`, `efficiency`, `difficulty`.'
								},
								answer: {
									oneOf: [
										{ type: 'integer', minimum: 0, maximum: 5 },
										{ type: 'string' },
										{ type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }
									],
									description:
										"A rating question: the level 0–5 (0 = don't know, 5 = very satisfied). " +
										'A text or long-text question: the text (at most 4,000 characters). ' +
										'A single-choice question: one option\'s code, e.g. `"online"`. ' +
										'A multiple-choice question: a list of distinct option codes, e.g. ' +
										'`["wait", "docs"]` (`response_choice` otherwise). The stored response ' +
										"gives a multiple choice's codes in the question's order."
								}
							}
						}
					}
				}
			},
			StoredResponse: {
				type: 'object',
				description: 'The stored response, as it was first stored.',
				required: ['response_key', 'campaign_code', 'channel', 'submitted_at'],
				properties: {
					response_key: { type: 'string' },
					campaign_code: { type: 'string' },
					channel: { type: 'string', enum: ['field', 'phone', 'online', 'paper'] },
					submitted_at: { type: 'string' },
					answers: { type: 'array', items: { type: 'object' } }
				}
			},
			ResultRow: RESULT_ROW
		}
	}
} as const;
