import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, sha256Hex } from '$lib/server/imports/csv';
import { readTable } from '$lib/server/imports/table';

const COLUMNS = ['code', 'name_zh', 'name_en'];
const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
const read = async (bytes: Uint8Array, locale: 'zh-CN' | 'en' = 'en', columns = COLUMNS) => {
	const table = await readTable(bytes, { columns, headerLabels: {}, maxBytes: 1 << 20 }, locale);
	return { ...table, errors: table.errors.kept };
};

const SAMPLE = 'code,name_zh,name_en\nczj,市财政局,Finance Bureau\njyj,市教育局,Education Bureau\n';

describe('decoding', () => {
	it.each([
		['UTF-8 with BOM', withBom(SAMPLE), 'utf-8'],
		['UTF-8 without BOM', utf8(SAMPLE), 'utf-8'],
		['GBK', new Uint8Array(iconv.encode(SAMPLE, 'gbk')), 'gb18030'],
		['GB18030', new Uint8Array(iconv.encode(SAMPLE, 'gb18030')), 'gb18030']
	])('%s reads the same records', async (_name, bytes, encoding) => {
		const file = await read(bytes);
		expect(file.encoding).toBe(encoding);
		expect(file.errors).toEqual([]);
		// A BOM must not stick to the first header cell.
		expect(file.header).toEqual(['code', 'name_zh', 'name_en']);
		expect(file.records).toEqual([
			{ line: 2, values: { code: 'czj', name_zh: '市财政局', name_en: 'Finance Bureau' } },
			{ line: 3, values: { code: 'jyj', name_zh: '市教育局', name_en: 'Education Bureau' } }
		]);
	});

	it('tells GBK bytes from UTF-8 ones', () => {
		const gbk = new Uint8Array(iconv.encode('市财政局', 'gbk'));
		expect(gbk).not.toEqual(utf8('市财政局'));
		expect(decodeText(gbk)).toEqual({ text: '市财政局', encoding: 'gb18030' });
		expect(decodeText(utf8('市财政局'))).toEqual({ text: '市财政局', encoding: 'utf-8' });
	});
});

describe('line numbers', () => {
	it('are physical lines: quoted cells spanning lines, blank lines and CRLF', async () => {
		const text = [
			'code,name_zh,name_en,note', // 1
			'a,甲,"A', // 2: a cell over three lines
			'still A',
			'end of A",x',
			'', // 5: blank
			'b,乙,B,y', // 6
			'c,丙,"C ""quoted""', // 7: a quote inside, then a line break
			'",z', // 8
			',,,', // 9: empty cells only, as spreadsheets leave them
			'd,丁,D,' // 10
		].join('\r\n');
		const file = await read(utf8(text), 'en', [...COLUMNS, 'note']);
		expect(file.errors).toEqual([]);
		expect(file.records.map((r) => [r.line, r.values.code])).toEqual([
			[2, 'a'],
			[6, 'b'],
			[7, 'c'],
			[10, 'd']
		]);
		// The line break inside a cell is kept, normalised; no stray \r anywhere.
		expect(file.records[0]!.values.name_en).toBe('A\nstill A\nend of A');
		expect(file.records[2]!.values.name_en).toBe('C "quoted"\n');
		expect(file.records[3]!.values.note).toBe('');
	});

	it('count blank lines before the header', async () => {
		const file = await read(utf8('\n\ncode,name_zh,name_en\nx,甲,X\n'));
		expect(file.errors).toEqual([]);
		expect(file.records).toEqual([{ line: 4, values: { code: 'x', name_zh: '甲', name_en: 'X' } }]);
	});
});

describe('header and shape problems', () => {
	it('reports missing, unknown, duplicate and unnamed columns on line 1', async () => {
		const file = await read(utf8('Code ,name_zh,colour,,name_zh\nx,甲,red,,乙\n'));
		expect(file.headerOk).toBe(false);
		expect(file.records).toEqual([]);
		expect(file.errors.map((e) => [e.line, e.column])).toEqual([
			[1, 'colour'],
			[1, '#4'],
			[1, 'name_zh'],
			[1, 'name_en']
		]);
		expect(file.errors[0]!.message).toContain('colour');
		expect(file.errors[3]!.message).toContain('name_en');
	});

	it('forgives the empty cells Excel leaves at the end of the header and of rows', async () => {
		const file = await read(utf8('code,name_zh,name_en,,\nx,甲,X,,\ny,乙,Y\n'));
		expect(file.errors).toEqual([]);
		expect(file.records.map((r) => r.values)).toEqual([
			{ code: 'x', name_zh: '甲', name_en: 'X' },
			{ code: 'y', name_zh: '乙', name_en: 'Y' }
		]);
	});

	it('says so in the requested language', async () => {
		const bytes = utf8('code,name_zh\n');
		expect((await read(bytes, 'en')).errors[0]!.message).toBe('Column “name_en” is missing.');
		expect((await read(bytes, 'zh-CN')).errors[0]!.message).toBe('缺少列“name_en”。');
	});

	it('accepts header cells in any case and with spaces around them', async () => {
		const file = await read(utf8(' CODE , Name_ZH ,name_en\nx,甲,X\n'));
		expect(file.errors).toEqual([]);
		expect(file.records[0]!.values).toEqual({ code: 'x', name_zh: '甲', name_en: 'X' });
	});

	it('reports an empty file', async () => {
		for (const bytes of [new Uint8Array(), withBom(''), utf8('\n\n')]) {
			const file = await read(bytes);
			expect(file.headerOk).toBe(false);
			expect(file.errors).toEqual([
				{ line: 1, column: '', message: 'The file is empty or has no header row.' }
			]);
		}
	});

	it('reports a row with more cells than the header and keeps reading the others', async () => {
		const file = await read(utf8('code,name_zh,name_en\na,甲,A,extra\nb,乙,B\nc,丙\n'));
		expect(file.headerOk).toBe(true);
		expect(file.errors).toEqual([
			{
				line: 2,
				column: '#4',
				message: 'This row has more cells (4) than the header has columns (3).'
			}
		]);
		// A short row is read; its missing cells are simply absent for the caller to judge.
		expect(file.records).toEqual([
			{ line: 3, values: { code: 'b', name_zh: '乙', name_en: 'B' } },
			{ line: 4, values: { code: 'c', name_zh: '丙' } }
		]);
	});

	it('reports an unclosed quote with the line where the quoted cell starts', async () => {
		const file = await read(utf8('code,name_zh,name_en\na,甲,"A\nb,乙,B\n'));
		expect(file.records).toEqual([]);
		expect(file.errors).toHaveLength(1);
		expect(file.errors[0]!.message).toBe('A quoted cell is not closed.');
		expect(file.errors[0]!.line).toBe(2);
	});
});

describe('sha256Hex', () => {
	it('hashes the bytes as they are', () => {
		expect(sha256Hex(utf8('abc'))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(sha256Hex(withBom('abc'))).not.toBe(sha256Hex(utf8('abc')));
	});
});
