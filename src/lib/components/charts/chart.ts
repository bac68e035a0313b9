// The one Chart.js wrapper: an attachment that draws a chart on its <canvas> and destroys it when
// the element goes (or the configuration changes). Chart.js is loaded on first use, in the
// browser only, so pages without charts and the server never carry it.
import type { ChartConfiguration } from 'chart.js';
import type { Attachment } from 'svelte/attachments';

type ChartModule = typeof import('chart.js');
let loading: Promise<ChartModule> | undefined;

/** Chart.js with only the parts our charts use registered (bars on category/linear axes). */
function loadChartJs(): Promise<ChartModule> {
	loading ??= import('chart.js').then((c) => {
		c.Chart.register(
			c.BarController,
			c.BarElement,
			c.CategoryScale,
			c.LinearScale,
			c.Tooltip,
			c.Legend
		);
		return c;
	});
	return loading;
}

/** `<canvas {@attach chart(config)}>`: the chart lives exactly as long as the canvas. */
export function chart(config: ChartConfiguration): Attachment<HTMLCanvasElement> {
	return (canvas) => {
		let instance: InstanceType<ChartModule['Chart']> | undefined;
		let gone = false;
		loadChartJs()
			.then(({ Chart }) => {
				if (!gone) instance = new Chart(canvas, config);
			})
			// Without the chart the table beside it still shows every figure.
			.catch((e: unknown) => console.error('chart failed to load', e));
		return () => {
			gone = true;
			instance?.destroy();
		};
	};
}
