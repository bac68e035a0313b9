// Names of the demo city's enterprises and people, drawn from ./catalogue with the seeded
// randomness: plausible, and the same on every run.
import { GIVEN_NAME_CHARS, INDUSTRIES, SURNAMES, TRADE_NAME_CHARS } from './catalogue';
import type { Random } from './prng';

/** A person's name: a surname and one or two given-name characters. */
export function personName(random: Random): string {
	const given = random.chance(0.7)
		? random.pick(GIVEN_NAME_CHARS) + random.pick(GIVEN_NAME_CHARS)
		: random.pick(GIVEN_NAME_CHARS);
	return random.pick(SURNAMES) + given;
}

/** A mobile number of the 2000s (13x). */
export function phoneNumber(random: Random): string {
	return `13${random.int(0, 9)}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}

export interface EnterpriseName {
	name: string;
	industry: string;
}

/** `count` distinct enterprise names: 永安市 + a trade name + the industry's word + a form. */
export function enterpriseNames(random: Random, count: number): EnterpriseName[] {
	const chars = [...TRADE_NAME_CHARS];
	const industries = INDUSTRIES.map((i) => [i, i.weight] as const);
	const seen = new Set<string>();
	const out: EnterpriseName[] = [];
	while (out.length < count) {
		const industry = random.weighted(industries);
		const trade = random.pick(chars) + random.pick(chars);
		if (trade[0] === trade[1]) continue;
		const form = random.chance(0.8) ? '有限公司' : random.chance(0.5) ? '股份有限公司' : '厂';
		const name = `永安市${trade}${random.pick(industry.word)}${form}`;
		if (seen.has(name)) continue;
		seen.add(name);
		out.push({ name, industry: industry.name });
	}
	return out;
}
