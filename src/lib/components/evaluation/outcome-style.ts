// How an outcome looks in a chart: a colour from the Okabe–Ito palette (told apart with the
// common colour-vision deficiencies) and a pattern, so that commended, rectification and
// criticised departments differ in pattern and in the legend's words as well as in colour.
import type { Pattern } from '$lib/components/charts/patterns';
import type { Outcome } from '$lib/domain/scoring';
import { m } from '$lib/paraglide/messages';
import { outcomeLabel } from './labels';

/** The one outcome a bar shows: the gravest a department has, or none. */
export type OutcomeGroup = 'criticism' | 'rectification' | 'commended' | 'none';

export const OUTCOME_GROUPS: readonly OutcomeGroup[] = [
	'commended',
	'none',
	'rectification',
	'criticism'
];

/** Criticism (and what follows it two years running) over rectification over commendation. */
export function outcomeGroup(outcomes: readonly Outcome[]): OutcomeGroup {
	if (outcomes.some((o) => o === 'criticism' || o === 'reassignment' || o === 'superior_report'))
		return 'criticism';
	if (outcomes.includes('rectification')) return 'rectification';
	if (outcomes.includes('commended')) return 'commended';
	return 'none';
}

export const OUTCOME_STYLE: Record<OutcomeGroup, { colour: string; pattern: Pattern }> = {
	commended: { colour: '#009E73', pattern: 'stripes' },
	none: { colour: '#56B4E9', pattern: 'solid' },
	rectification: { colour: '#E69F00', pattern: 'dots' },
	criticism: { colour: '#D55E00', pattern: 'cross' }
};

export function outcomeGroupLabel(g: OutcomeGroup): string {
	return g === 'none' ? m.rankings_outcome_none() : outcomeLabel(g);
}
