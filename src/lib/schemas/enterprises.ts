// The enterprises list's query string, and a row of the enterprises file.
import { z } from 'zod';
import { normaliseUscc, usccCheckChar, usccProblem, USCC_LENGTH } from '$lib/domain/uscc';
import { problem } from '$lib/errors';
import { optionalText, requiredText } from './record-rows';
import { pageNumber } from './query';

export const listQuerySchema = z.object({
	q: z.string().trim().max(100).catch(''),
	page: pageNumber
});

// --- The enterprises file (spec/exchange.md), keyed by USCC ----------------------------------

export const ENTERPRISE_COLUMNS = [
	'uscc',
	'name',
	'address',
	'township',
	'contact_name',
	'contact_phone',
	'industry'
] as const;

/** Columns added to the format later: a file without them keeps what is stored. */
export const ENTERPRISE_OPTIONAL_COLUMNS = ['industry'] as const;

/** The template's Chinese headers; a file may use them instead of the codes. */
export const ENTERPRISE_HEADER_LABELS = {
	uscc: '统一社会信用代码',
	name: '企业名称',
	address: '地址',
	township: '乡镇',
	contact_name: '联系人',
	contact_phone: '联系电话',
	industry: '行业'
} as const satisfies Record<(typeof ENTERPRISE_COLUMNS)[number], string>;

/** One row as the downloadable template shows it (the standard's own example code). */
export const ENTERPRISE_EXAMPLE = {
	uscc: '91350100M000100Y43',
	name: '永安市星辰机械有限公司',
	address: '燕西街道工业路8号',
	township: '燕西街道',
	contact_name: '张三',
	contact_phone: '0598-3601234',
	industry: '制造业'
} as const satisfies Record<(typeof ENTERPRISE_COLUMNS)[number], string>;

export const ENTERPRISE_TEXT_MAX = {
	name: 200,
	address: 300,
	township: 100,
	contact_name: 100,
	contact_phone: 30,
	industry: 100
} as const;
/** What a phone number may hold: digits, spaces and `+ - ( ) #`. */
export const PHONE = /^[0-9+\-() #]*$/;

/**
 * A USCC as typed (any case, spaces around), checked per GB 32100-2015; stored upper case. (The
 * length limit only keeps a pasted paragraph out of the message; 18 is checked below.)
 */
export const usccCell = requiredText(100).transform((raw, ctx) => {
	const value = normaliseUscc(raw);
	switch (usccProblem(value)) {
		case null:
			return value;
		case 'length':
			return problem(ctx, 'uscc_length', { value, length: USCC_LENGTH });
		case 'charset':
			return problem(ctx, 'uscc_charset', { value });
		case 'division':
			return problem(ctx, 'uscc_division', { value });
		case 'checksum':
			return problem(ctx, 'uscc_checksum', { value, expected: usccCheckChar(value.slice(0, 17))! });
	}
});

export const enterpriseRowSchema = z
	.object({
		uscc: usccCell,
		name: requiredText(ENTERPRISE_TEXT_MAX.name),
		address: optionalText(ENTERPRISE_TEXT_MAX.address),
		township: optionalText(ENTERPRISE_TEXT_MAX.township),
		contact_name: optionalText(ENTERPRISE_TEXT_MAX.contact_name),
		contact_phone: optionalText(ENTERPRISE_TEXT_MAX.contact_phone).transform((v, ctx) =>
			PHONE.test(v) ? v : problem(ctx, 'phone_format', { value: v })
		),
		// Absent (not empty) when the file has no such column: the stored industry stays.
		industry: optionalText(ENTERPRISE_TEXT_MAX.industry).optional()
	})
	.transform((v) => ({
		uscc: v.uscc,
		name: v.name,
		address: v.address,
		township: v.township,
		contactName: v.contact_name,
		contactPhone: v.contact_phone,
		industry: v.industry
	}));
export type EnterpriseRow = z.output<typeof enterpriseRowSchema>;
