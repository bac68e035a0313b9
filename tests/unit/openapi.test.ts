// The OpenAPI document served at /api/v1/openapi.json: shaped as OpenAPI 3.1 wants, every
// endpoint of spec/exchange.md in it, and in step with the endpoints under src/routes/api/v1
// (an endpoint added or removed without its description fails here).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '$lib/server/api/openapi';

const API_ROOT = resolve(import.meta.dirname, '../../src/routes/api/v1');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

// The endpoints of spec/exchange.md, § HTTP API.
const EXCHANGE = [
	'POST /responses',
	'POST /cases',
	'POST /complaints',
	'GET /complaints/stats',
	'GET /results/{year}'
];

type Doc = {
	openapi: string;
	info: { title: string; version: string };
	paths: Record<string, Record<string, Operation>>;
	components: {
		schemas: Record<string, unknown>;
		securitySchemes: Record<string, { type: string; scheme?: string }>;
		parameters?: Record<string, unknown>;
	};
	security: Record<string, string[]>[];
};
type Operation = {
	operationId: string;
	responses: Record<string, { description: string; content?: Record<string, unknown> }>;
	security?: unknown[];
	parameters?: unknown[];
};

const doc = openApiDocument as unknown as Doc;

function operations(): [string, string, Operation][] {
	return Object.entries(doc.paths).flatMap(([path, item]) =>
		Object.entries(item)
			.filter(([method]) => (METHODS as readonly string[]).includes(method))
			.map(([method, op]) => [method.toUpperCase(), path, op] as [string, string, Operation])
	);
}

/** Every `$ref` anywhere in the document. */
function refs(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) value.forEach((v) => refs(v, out));
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) {
			if (k === '$ref' && typeof v === 'string') out.push(v);
			else refs(v, out);
		}
	return out;
}

/** `METHOD /path` of every endpoint under src/routes/api/v1, `[year=matcher]` as `{year}`. */
function routeOperations(): string[] {
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
			d.isDirectory() ? walk(join(dir, d.name)) : d.name === '+server.ts' ? [join(dir, d.name)] : []
		);
	return walk(API_ROOT).flatMap((file) => {
		const folder = relative(API_ROOT, resolve(file, '..'));
		const path =
			'/' +
			folder
				.split(sep)
				.filter((s) => s && !/^\(.*\)$/.test(s))
				.map((s) => s.replace(/^\[(\w+)(=\w+)?\]$/, '{$1}'))
				.join('/');
		const source = readFileSync(file, 'utf8');
		const methods = [
			...source.matchAll(
				/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g
			)
		].map((m) => m[1]!);
		return methods.map((method) => `${method} ${path}`);
	});
}

describe('the OpenAPI document', () => {
	it('is OpenAPI 3.1 with a title, a version and bearer authentication', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info.title).toBeTruthy();
		expect(doc.info.version).toBeTruthy();
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
			type: 'http',
			scheme: 'bearer'
		});
		expect(doc.security).toEqual([{ bearerAuth: [] }]);
		// Valid JSON as served.
		expect(JSON.parse(JSON.stringify(openApiDocument))).toEqual(openApiDocument);
	});

	it('describes every endpoint of spec/exchange.md', () => {
		const documented = operations().map(([method, path]) => `${method} ${path}`);
		for (const endpoint of EXCHANGE) expect(documented).toContain(endpoint);
	});

	it('gives every operation a unique id, a 2xx answer and the error document for its 4xx', () => {
		const ids = operations().map(([, , op]) => op.operationId);
		expect(new Set(ids).size).toBe(ids.length);
		for (const [method, path, op] of operations()) {
			const statuses = Object.keys(op.responses);
			expect(
				statuses.some((s) => /^2\d\d$/.test(s)),
				`${method} ${path}`
			).toBe(true);
			for (const s of statuses.filter((s) => /^4\d\d$/.test(s))) {
				expect(op.responses[s]!.content, `${method} ${path} ${s}`).toEqual({
					'application/json': { schema: { $ref: '#/components/schemas/Error' } }
				});
			}
			// An authenticated endpoint says it may refuse; a public one opts out of bearerAuth.
			if (op.security === undefined)
				expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
			else expect(op.security).toEqual([]);
			// Path parameters are declared.
			for (const [, name] of path.matchAll(/\{(\w+)\}/g))
				expect(op.parameters, `${method} ${path}`).toEqual(
					expect.arrayContaining([expect.objectContaining({ name, in: 'path', required: true })])
				);
		}
	});

	it('resolves every $ref', () => {
		for (const ref of refs(openApiDocument)) {
			const match = /^#\/components\/(schemas|parameters)\/(\w+)$/.exec(ref);
			expect(match, ref).not.toBeNull();
			const section = doc.components[match![1] as 'schemas' | 'parameters'] ?? {};
			expect(section[match![2]!], ref).toBeDefined();
		}
	});

	it('has the error document of spec/exchange.md', () => {
		expect(doc.components.schemas.Error).toMatchObject({
			required: ['error'],
			properties: { error: { required: ['code', 'message', 'details'] } }
		});
	});

	it('matches the endpoints under src/routes/api/v1, method by method', () => {
		const documented = operations()
			.map(([method, path]) => `${method} ${path}`)
			.sort();
		expect(routeOperations().sort()).toEqual(documented);
	});
});
