// Pattern fills for charts, so that categories told apart by colour (outcomes) differ in pattern
// too (WCAG 1.4.1, readers with colour-vision deficiency, grey-scale prints). The same patterns
// exist as CSS backgrounds for legends and badges (`patternCss`), so a legend swatch looks like
// its bars.
export type Pattern = 'solid' | 'stripes' | 'dots' | 'cross';

const TILE = 8;

/** A canvas fill of `pattern` over `colour`: the colour itself for `solid` or outside a browser. */
export function patternFill(pattern: Pattern, colour: string): string | CanvasPattern {
	if (pattern === 'solid' || typeof document === 'undefined') return colour;
	const tile = document.createElement('canvas');
	tile.width = TILE;
	tile.height = TILE;
	const g = tile.getContext('2d');
	if (!g) return colour;
	g.fillStyle = colour;
	g.fillRect(0, 0, TILE, TILE);
	g.strokeStyle = 'rgba(255, 255, 255, 0.85)';
	g.fillStyle = 'rgba(255, 255, 255, 0.85)';
	g.lineWidth = 2;
	if (pattern === 'stripes') {
		g.beginPath();
		g.moveTo(0, TILE);
		g.lineTo(TILE, 0);
		g.moveTo(-TILE / 2, TILE / 2);
		g.lineTo(TILE / 2, -TILE / 2);
		g.moveTo(TILE / 2, TILE + TILE / 2);
		g.lineTo(TILE + TILE / 2, TILE / 2);
		g.stroke();
	} else if (pattern === 'dots') {
		g.beginPath();
		g.arc(TILE / 2, TILE / 2, 1.6, 0, 2 * Math.PI);
		g.fill();
	} else {
		g.beginPath();
		g.moveTo(0, 0);
		g.lineTo(TILE, TILE);
		g.moveTo(TILE, 0);
		g.lineTo(0, TILE);
		g.stroke();
	}
	return g.createPattern(tile, 'repeat') ?? colour;
}

/** The same fill as a CSS `background` value, for legend swatches. */
export function patternCss(pattern: Pattern, colour: string): string {
	const w = 'rgba(255, 255, 255, 0.85)';
	switch (pattern) {
		case 'solid':
			return colour;
		case 'stripes':
			return `repeating-linear-gradient(-45deg, ${colour} 0 3px, ${w} 3px 5px)`;
		case 'dots':
			return `radial-gradient(circle, ${w} 1.6px, transparent 1.8px) 0 0 / ${TILE}px ${TILE}px, ${colour}`;
		case 'cross':
			return `repeating-linear-gradient(45deg, transparent 0 4px, ${w} 4px 5px), repeating-linear-gradient(-45deg, ${colour} 0 4px, ${w} 4px 5px)`;
	}
}
