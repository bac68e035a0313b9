// The Markdown of docs/ as HTML, for the help pages: the subset those files use (headings with
// GitHub's anchors, paragraphs, lists, tables, fenced code, `code`, **bold**, *emphasis* and
// links). Everything is escaped first; only the markup made here is HTML. Links to another
// document of docs/ (`scoring.md#x`) become links to its help page.

const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as `-`. */
export function slug(heading: string): string {
	return heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.trim()
		.replace(/\s/g, '-');
}

function href(target: string, docPath: (name: string) => string): string {
	const doc = /^([a-z-]+)\.md(#.*)?$/.exec(target);
	if (doc) return docPath(doc[1]!) + (doc[2] ?? '');
	// Anchors on the page and web addresses; nothing else (no `javascript:`).
	return /^(#|https?:\/\/)/.test(target) ? target : '#';
}

/** Inline markup of one line of text (already a whole paragraph, cell or item). */
function inline(text: string, docPath: (name: string) => string): string {
	// Code spans first, kept out of the other rules.
	return text
		.split(/(`[^`]*`)/)
		.map((part) => {
			if (part.startsWith('`') && part.endsWith('`') && part.length > 1)
				return `<code>${escape(part.slice(1, -1))}</code>`;
			return escape(part)
				.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
				.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?![*\w])/g, '$1<em>$2</em>')
				.replace(
					/\[([^\]]+)\]\(([^)\s]+)\)/g,
					(_, label: string, target: string) =>
						`<a href="${href(target.replace(/&amp;/g, '&'), docPath)}">${label}</a>`
				);
		})
		.join('');
}

const cells = (row: string) =>
	row
		.trim()
		.replace(/^\||\|$/g, '')
		.split(/(?<!\\)\|/)
		.map((c) => c.trim());

/** The document as HTML; `docPath` gives the address of another document by its name. */
export function renderMarkdown(source: string, docPath: (name: string) => string): string {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const out: string[] = [];
	const text = (s: string) => inline(s, docPath);
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		if (line.trim() === '') {
			i++;
			continue;
		}
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		if (heading) {
			const level = heading[1]!.length;
			const title = heading[2]!;
			out.push(`<h${level} id="${escape(slug(title))}">${text(title)}</h${level}>`);
			i++;
			continue;
		}
		if (line.startsWith('```')) {
			const body: string[] = [];
			i++;
			while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!);
			i++;
			out.push(`<pre><code>${escape(body.join('\n'))}</code></pre>`);
			continue;
		}
		if (line.startsWith('|') && /^\|[\s:|-]+\|$/.test(lines[i + 1]?.trim() ?? '')) {
			const head = cells(line);
			i += 2;
			const body: string[][] = [];
			while (i < lines.length && lines[i]!.startsWith('|')) body.push(cells(lines[i++]!));
			out.push(
				'<div class="table-scroll"><table><thead><tr>' +
					head.map((c) => `<th>${text(c)}</th>`).join('') +
					'</tr></thead><tbody>' +
					body.map((r) => `<tr>${r.map((c) => `<td>${text(c)}</td>`).join('')}</tr>`).join('') +
					'</tbody></table></div>'
			);
			continue;
		}
		if (/^[-*]\s/.test(line)) {
			const items: string[] = [];
			while (i < lines.length && /^([-*]\s|\s+\S)/.test(lines[i]!)) {
				const l = lines[i++]!;
				if (/^[-*]\s/.test(l)) items.push(l.slice(2).trim());
				else items[items.length - 1] += ' ' + l.trim();
			}
			out.push(`<ul>${items.map((it) => `<li>${text(it)}</li>`).join('')}</ul>`);
			continue;
		}
		const paragraph: string[] = [];
		while (
			i < lines.length &&
			lines[i]!.trim() !== '' &&
			!/^(#{1,6}\s|```|\||[-*]\s)/.test(lines[i]!)
		)
			paragraph.push(lines[i++]!.trim());
		out.push(`<p>${text(paragraph.join(' '))}</p>`);
	}
	return out.join('\n');
}
