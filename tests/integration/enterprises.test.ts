// Enterprises: the file keyed by USCC (checked per GB 32100-2015), all or nothing, idempotent,
// GBK or UTF-8; the list with search and pages, contact details masked for most readers.
import { readFileSync } from 'node:fs';
import { asc, count, eq, like } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/server/db';
import { auditEntry, enterprise } from '$lib/server/db/schema';
import * as enterprises from '$lib/server/enterprises';
import { importEnterprises } from '$lib/server/enterprises/import';
import { sha256Hex } from '$lib/server/imports/csv';
import { describeEachDatabase } from '../helpers/db';
import { testActor } from '../factories';

const fixture = (name: string) =>
	new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
const HEADER = 'uscc,name,address,township,contact_name,contact_phone';
const en = { locale: 'en' } as const;

async function snapshot(db: Database) {
	const [rows, [entries]] = await Promise.all([
		db.select().from(enterprise).orderBy(asc(enterprise.id)),
		db.select({ n: count() }).from(auditEntry)
	]);
	return { rows, auditEntries: entries!.n };
}

describeEachDatabase('enterprises', (t) => {
	const run = (bytes: Uint8Array, locale: 'zh-CN' | 'en' = 'en') =>
		importEnterprises(t.db, bytes, { locale }, testActor);

	it('imports the sample file and audits each enterprise with its contacts masked', async () => {
		const bytes = fixture('enterprises-good.csv');
		const result = await run(bytes);
		expect(result).toEqual({
			ok: true,
			rows: 4,
			created: 4,
			updated: 0,
			unchanged: 0,
			sha256: sha256Hex(bytes)
		});
		expect(await enterprises.getByUscc(t.db, '91350481MA2XK0001U')).toMatchObject({
			name: '永安市星辰机械有限公司',
			township: '燕西街道',
			contactName: '张三',
			contactPhone: '13812345678'
		});
		const entries = await t.db
			.select()
			.from(auditEntry)
			.where(like(auditEntry.action, 'enterprise%'))
			.orderBy(asc(auditEntry.seq));
		expect(entries.map((e) => e.action)).toEqual([
			...Array(4).fill('enterprise.create'),
			'enterprises.import'
		]);
		const first = entries.find((e) => e.entityId === '91350481MA2XK0001U')!;
		expect(first.changes).toMatchObject({
			name: { before: null, after: '永安市星辰机械有限公司' },
			contactName: { before: null, after: '张*' },
			contactPhone: { before: null, after: '138****5678' }
		});
		// The audit trail is append-only: a phone number must never enter it in full.
		expect(JSON.stringify(entries.map((e) => e.changes))).not.toContain('13812345678');
	});

	it('changes nothing the second time: no data change, no audit entry', async () => {
		const before = await snapshot(t.db);
		const result = await run(fixture('enterprises-good.csv'));
		expect(result).toMatchObject({ ok: true, rows: 4, created: 0, updated: 0, unchanged: 4 });
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('updates a changed enterprise (codes compared upper case) and audits the change', async () => {
		const result = await run(
			csv(
				HEADER,
				'91350481ma2xk0001u,永安市星辰机械有限公司,燕西街道工业路9号,燕西街道,张三,13812345678'
			)
		);
		expect(result).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 0 });
		expect((await enterprises.getByUscc(t.db, '91350481MA2XK0001U'))?.address).toBe(
			'燕西街道工业路9号'
		);
		const [entry] = await t.db
			.select()
			.from(auditEntry)
			.where(eq(auditEntry.action, 'enterprise.update'));
		expect(entry!.changes).toEqual({
			address: { before: '燕西街道工业路8号', after: '燕西街道工业路9号' }
		});
	});

	it('reads a GBK file', async () => {
		const text = [
			HEADER,
			'91350481MA2XK00032,永安市贡川笋干厂,贡川镇,贡川镇,陈六,13700000000',
			''
		].join('\r\n');
		const result = await run(new Uint8Array(iconv.encode(text, 'gbk')));
		expect(result).toMatchObject({ ok: true, created: 1 });
		expect((await enterprises.getByUscc(t.db, '91350481MA2XK00032'))?.name).toBe(
			'永安市贡川笋干厂'
		);
	});

	it('writes nothing when any row is bad, and reports every bad row with line and column', async () => {
		const before = await snapshot(t.db);
		const result = await run(
			csv(
				HEADER, // 1
				'91350100M000100Y43,好企业,,,,', // 2: fine, not written
				'91350100M000100Y44,坏校验位,,,,', // 3: checksum
				'91350100I000100Y43,坏字符,,,,', // 4: charset
				'9135010,太短,,,,', // 5: length
				'91110000802100433B,,,,,', // 6: no name
				'91440300708461136T,电话不对,,,某人,138-abc', // 7: bad phone
				'91350100M000100Y43,重复,,,,' // 8: repeats line 2
			)
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'uscc'],
			[4, 'uscc'],
			[5, 'uscc'],
			[6, 'name'],
			[7, 'contact_phone'],
			[8, 'uscc']
		]);
		expect(result.errors[0]!.message).toBe(
			m.enterprises_import_uscc_checksum({ value: '91350100M000100Y44', expected: '3' }, en)
		);
		expect(result.errors[2]!.message).toBe(
			m.enterprises_import_uscc_length({ value: '9135010', length: 18 }, en)
		);
		expect(await snapshot(t.db)).toEqual(before);
	});

	it('lists with search and pages; contacts masked unless revealed', async () => {
		const masked = await enterprises.list(t.db, { page: 1, pageSize: 100, revealContacts: false });
		expect(masked.total).toBe(5);
		const star = masked.rows.find((r) => r.uscc === '91350481MA2XK0001U')!;
		expect(star).toMatchObject({ contactName: '张*', contactPhone: '138****5678' });
		const shop = masked.rows.find((r) => r.uscc === '92350481L12345678N')!;
		expect(shop.contactPhone).toBe('139****1111');
		const blank = masked.rows.find((r) => r.uscc === '52350481MJD000001K')!;
		expect(blank).toMatchObject({ contactName: '', contactPhone: '' });

		const full = await enterprises.list(t.db, { page: 1, pageSize: 100, revealContacts: true });
		expect(full.rows.find((r) => r.uscc === '91350481MA2XK0001U')!.contactPhone).toBe(
			'13812345678'
		);

		const search = await enterprises.list(t.db, {
			q: '西洋镇',
			page: 1,
			pageSize: 100,
			revealContacts: false
		});
		expect(search.rows.map((r) => r.uscc)).toEqual(['91350481MA2XK0002Y']);
		// `%` is a literal character in a search, not a wildcard.
		expect(
			(await enterprises.list(t.db, { q: '%', page: 1, pageSize: 100, revealContacts: false }))
				.total
		).toBe(0);

		const p1 = await enterprises.list(t.db, { page: 1, pageSize: 2, revealContacts: false });
		const p3 = await enterprises.list(t.db, { page: 3, pageSize: 2, revealContacts: false });
		expect(p1.rows).toHaveLength(2);
		expect(p3.rows).toHaveLength(1);
		expect(p1.total).toBe(5);
	});
});
