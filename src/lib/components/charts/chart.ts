// The one Chart.js wrapper: an attachment that draws a chart on its <canvas> and destroys it when
// the element goes (or the configuration changes). Chart.js is loaded on first use, in the
// browser only, so pages without charts and the server never carry it. A drawn chart marks its
// canvas `data-drawn`, which hides the skeleton shown until then (chart-figure.svelte).
import type { ChartConfiguration } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { patternFill, type Pattern } from './patterns';

type ChartModule = typeof import('chart.js');
let loading: Promise<ChartModule> | undefined;

/** Chart.js with only the parts our charts use registered (bars and lines on category/linear axes). */
function loadChartJs(): Promise<ChartModule> {
	loading ??= import('chart.js').then((c) => {
		c.Chart.register(
			c.BarController,
			c.BarElement,
			c.LineController,
			c.LineElement,
			c.PointElement,
			c.CategoryScale,
			c.LinearScale,
			c.Tooltip,
			c.Legend
		);
		return c;
	});
	return loading;
}

/**
 * Fills that differ in pattern as well as colour, for readers who cannot tell the colours apart:
 * per dataset, one pattern for every bar or one per bar. The dataset's `backgroundColor` (a
 * colour or one per bar) gives the colours; the patterns are drawn over them in the browser.
 */
export type Patterns = (Pattern | readonly Pattern[] | undefined)[];

function withPatterns(config: ChartConfiguration, patterns: Patterns): ChartConfiguration {
	return {
		...config,
		data: {
			...config.data,
			datasets: config.data.datasets.map((ds, i) => {
				const p = patterns[i];
				if (!p) return ds;
				const colours = ds.backgroundColor;
				const colourAt = (j: number) =>
					String(Array.isArray(colours) ? colours[j] : (colours ?? '#6b7280'));
				const fills = ds.data.map((_, j) =>
					patternFill(typeof p === 'string' ? p : (p[j] ?? 'solid'), colourAt(j))
				);
				return { ...ds, backgroundColor: fills } as typeof ds;
			})
		}
	} as ChartConfiguration;
}

/** `<canvas {@attach chart(config)}>`: the chart lives exactly as long as the canvas. */
export function chart(
	config: ChartConfiguration,
	patterns?: Patterns
): Attachment<HTMLCanvasElement> {
	return (canvas) => {
		let instance: InstanceType<ChartModule['Chart']> | undefined;
		let gone = false;
		loadChartJs()
			.then(({ Chart }) => {
				if (gone) return;
				instance = new Chart(canvas, patterns ? withPatterns(config, patterns) : config);
				canvas.dataset.drawn = 'true';
			})
			// Without the chart the table beside it still shows every figure.
			.catch((e: unknown) => console.error('chart failed to load', e));
		return () => {
			gone = true;
			delete canvas.dataset.drawn;
			instance?.destroy();
		};
	};
}
