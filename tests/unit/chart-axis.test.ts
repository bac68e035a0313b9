import { describe, expect, it } from 'vitest';
import { fittedAxis } from '$lib/components/evaluation/chart-axis';
import { outcomeGroup } from '$lib/components/evaluation/outcome-style';

describe('fittedAxis', () => {
	it.each([
		[[78.2, 95.1], { min: 70, max: 100 }],
		[[81, 84.5], { min: 75, max: 85 }],
		[[85, 85], { min: 80, max: 90 }],
		[[2, 40], { min: 0, max: 45 }],
		[[90, 100], { min: 85, max: 100 }],
		[[96, 104], { min: 90, max: 105 }],
		[[], { min: 0, max: 100 }]
	])('%j → %j', (values, axis) => {
		expect(fittedAxis(values)).toEqual(axis);
	});

	it('leaves room under the lowest bar so that it is seen', () => {
		for (const low of [0.5, 33.3, 70, 79.99, 80]) {
			const { min } = fittedAxis([low, 99]);
			expect(low - min >= 5 || min === 0).toBe(true);
		}
	});
});

describe('outcomeGroup', () => {
	it.each([
		[[], 'none'],
		[['commended'], 'commended'],
		[['rectification'], 'rectification'],
		[['rectification', 'criticism'], 'criticism'],
		[['rectification', 'criticism', 'reassignment'], 'criticism'],
		[['rectification', 'criticism', 'superior_report'], 'criticism']
	] as const)('%j → %s', (outcomes, group) => {
		expect(outcomeGroup(outcomes)).toBe(group);
	});
});
