// The announcement as an A4 PDF: the worded text (components/announcement/wording.ts) laid out
// by pdfkit in Noto Sans SC, embedded as a subset of the glyphs used, with "第 n 页 共 N 页" /
// "Page n of N" and the snapshot's digest in every page's footer. The font comes with the npm
// package @embedpdf/fonts-sc (SIL Open Font License 1.1), never from the system.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { AnnouncementText } from '$lib/components/announcement/wording';
import { m } from '$lib/paraglide/messages';

const FONT_PACKAGE = '@embedpdf/fonts-sc';

/** The package's font files (its exports list only the script, so from its folder). */
function fontFile(name: string): string {
	const entry = createRequire(import.meta.url).resolve(FONT_PACKAGE);
	return join(dirname(entry), '..', 'fonts', name);
}

// Read once: the files do not change while the process runs; each document embeds only the
// glyphs it uses.
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts() {
	fonts ??= {
		regular: readFileSync(fontFile('NotoSansHans-Regular.otf')),
		bold: readFileSync(fontFile('NotoSansHans-Bold.otf'))
	};
	return fonts;
}

const MM = 72 / 25.4;
// The margins of a Chinese official document (GB/T 9704): 37 mm top, 28 mm left, 26 mm right,
// 35 mm bottom; the footer sits inside the bottom margin.
const MARGINS = { top: 37 * MM, left: 28 * MM, right: 26 * MM, bottom: 35 * MM };
const BODY = 12;

/** The announcement's PDF, A4, with page numbers and the digest on every page. */
export async function announcementPdf(text: AnnouncementText): Promise<Buffer> {
	const { regular, bold } = loadFonts();
	const doc = new PDFDocument({
		size: 'A4',
		margins: MARGINS,
		bufferPages: true,
		lang: text.locale,
		displayTitle: true,
		info: { Title: text.title, Creator: m.app_name({}, { locale: text.locale }) }
	});
	doc.registerFont('body', regular);
	doc.registerFont('bold', bold);
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<void>((resolve, reject) => {
		doc.on('end', () => resolve());
		doc.on('error', reject);
	});

	const width = doc.page.width - MARGINS.left - MARGINS.right;
	const zh = text.locale !== 'en';
	// Chinese paragraphs open with a two-character indent; English ones are set flush.
	const indent = zh ? 2 * BODY : 0;
	// Justification stretches spaces only, which a Chinese line has few of: set it flush left.
	const paragraph = {
		width,
		align: zh ? ('left' as const) : ('justify' as const),
		lineGap: 5,
		indent,
		paragraphGap: 6
	};

	doc.font('bold').fontSize(20).text(text.title, { width, align: 'center', lineGap: 6 });
	doc.moveDown(1.2);
	doc.font('body').fontSize(BODY).text(text.addressee, { width, lineGap: 5, paragraphGap: 6 });
	for (const p of text.opening) doc.text(p, paragraph);
	for (const section of text.sections) {
		doc.moveDown(0.4);
		doc
			.font('bold')
			.fontSize(BODY + 1)
			.text(section.heading, { width, lineGap: 5, indent });
		doc.moveDown(0.2);
		for (const block of section.blocks) {
			if (block.kind === 'code') {
				doc.moveDown(0.3);
				doc.font('Courier').fontSize(9).text(block.text, { width, align: 'center' });
				doc.moveDown(0.5);
			} else if (block.kind === 'item')
				doc
					.font('body')
					.fontSize(BODY)
					.text(block.text, { ...paragraph, indent: indent || 12 });
			else doc.font('body').fontSize(BODY).text(block.text, paragraph);
		}
	}
	doc.moveDown(1.5);
	doc.font('body').fontSize(BODY).text(text.dateLine, { width, align: 'right' });

	const range = doc.bufferedPageRange();
	const o = { locale: text.locale };
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		// Writing in the bottom margin: without this pdfkit would start a new page.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		const y = doc.page.height - bottom + 12 * MM;
		doc
			.font('body')
			.fontSize(10)
			.text(m.announcement_page_footer({ page: i + 1, pages: range.count }, o), MARGINS.left, y, {
				width,
				align: 'center',
				lineBreak: false
			});
		doc
			.font('body')
			.fontSize(7)
			.fillColor('#555555')
			.text(text.digestLine, MARGINS.left, y + 16, { width, align: 'center', lineBreak: false })
			.fillColor('black');
		doc.page.margins.bottom = bottom;
	}
	doc.end();
	await done;
	return Buffer.concat(chunks);
}
