// Evaluation years and their settings (spec/scoring.md §1, §4). The list of years and where their
// results stand is `years` of `$lib/server/results`.
import { eq } from 'drizzle-orm';
import {
	DEFAULT_SETTINGS,
	DIMENSIONS,
	settingsProblems,
	type EvaluationSettings
} from '$lib/domain/scoring';
import { isValidYear } from '$lib/domain/years';
import * as audit from '$lib/server/audit';
import type { Database, Executor } from '$lib/server/db';
import { evaluationYear } from '$lib/server/db/schema';
import { DomainError } from '$lib/errors';

export interface YearView {
	year: number;
	settings: EvaluationSettings;
	/** Set by the first publication; from then on the settings are frozen. */
	firstPublishedAt: Date | null;
	createdAt: Date;
	updatedAt: Date;
}

function yearView(row: typeof evaluationYear.$inferSelect): YearView {
	return {
		year: row.year,
		// Stored settings of an older shape get today's defaults for keys they lack.
		settings: mergeSettings(row.settings as Partial<EvaluationSettings>),
		firstPublishedAt: row.firstPublishedAt,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt
	};
}

/** Defaults completed by whatever is given, nested groups merged key by key. */
export function mergeSettings(given: Partial<EvaluationSettings> = {}): EvaluationSettings {
	return {
		...DEFAULT_SETTINGS,
		...given,
		weights: { ...DEFAULT_SETTINGS.weights, ...given.weights },
		commended: { ...DEFAULT_SETTINGS.commended, ...given.commended },
		complaintDeductions: { ...DEFAULT_SETTINGS.complaintDeductions, ...given.complaintDeductions }
	};
}

export async function getYear(db: Executor, year: number): Promise<YearView | null> {
	if (!isValidYear(year)) return null;
	const [row] = await db.select().from(evaluationYear).where(eq(evaluationYear.year, year));
	return row ? yearView(row) : null;
}

function checkSettings(settings: EvaluationSettings) {
	const problems = settingsProblems(settings);
	if (problems.length > 0)
		throw new DomainError('settings_invalid', {
			details: problems.map((p) => ({
				field: p.field,
				code: `settings_${p.problem}` as const,
				params: { sum: DIMENSIONS.reduce((acc, d) => acc + settings.weights[d], 0) }
			}))
		});
}

/** Opens an evaluation year with its settings (the defaults of scoring.md unless given). */
export async function createYear(
	db: Database,
	input: { year: number; settings?: Partial<EvaluationSettings> },
	actor: audit.Actor
): Promise<YearView> {
	if (!isValidYear(input.year))
		throw new DomainError('year_invalid', { params: { year: input.year }, field: 'year' });
	const settings = mergeSettings(input.settings);
	checkSettings(settings);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(evaluationYear)
			.values({ year: input.year, settings })
			.onConflictDoNothing()
			.returning();
		if (!row) throw new DomainError('year_exists', { params: { year: input.year }, field: 'year' });
		await audit.record(tx, actor, {
			action: 'evaluation_year.create',
			entity: 'evaluation_year',
			entityId: input.year,
			changes: audit.diff(null, { settings })
		});
		return yearView(row);
	});
}

/** Replaces a year's settings; refused once the year has been published. */
export async function updateSettings(
	db: Database,
	year: number,
	settings: EvaluationSettings,
	actor: audit.Actor
): Promise<YearView> {
	const next = mergeSettings(settings);
	checkSettings(next);
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(evaluationYear)
			.where(eq(evaluationYear.year, year))
			.for('update');
		if (!before) throw new DomainError('year_not_found', { params: { year } });
		if (before.firstPublishedAt) throw new DomainError('settings_frozen', { params: { year } });
		const changes = audit.diff(
			{ settings: mergeSettings(before.settings as Partial<EvaluationSettings>) },
			{ settings: next }
		);
		if (Object.keys(changes).length === 0) return yearView(before);
		const [after] = await tx
			.update(evaluationYear)
			.set({ settings: next, updatedAt: new Date() })
			.where(eq(evaluationYear.year, year))
			.returning();
		await audit.record(tx, actor, {
			action: 'evaluation_year.settings',
			entity: 'evaluation_year',
			entityId: year,
			changes
		});
		return yearView(after!);
	});
}
