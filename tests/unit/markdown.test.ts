// The help pages' Markdown: the subset docs/ uses, everything escaped, links to another document
// of docs/ sent to its help page, nothing but web addresses and anchors as links.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { doc, isDocName, type DocName } from '$lib/server/docs';
import { renderMarkdown, slug } from '$lib/server/docs/markdown';

const docPath = (name: string) => `/help/${name}`;
const render = (md: string) => renderMarkdown(md, docPath);

describe('renderMarkdown', () => {
	it.each([
		['# Data formats', '<h1 id="data-formats">Data formats</h1>'],
		[
			'## The standard questionnaire',
			'<h2 id="the-standard-questionnaire">The standard questionnaire</h2>'
		],
		[
			'a `code <b>` and **bold** and *it*',
			'<p>a <code>code &lt;b&gt;</code> and <strong>bold</strong> and <em>it</em></p>'
		],
		['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
		['see [scoring](scoring.md#3-total)', '<p>see <a href="/help/scoring#3-total">scoring</a></p>'],
		[
			'[x](#cases) [y](https://example.org/a)',
			'<p><a href="#cases">x</a> <a href="https://example.org/a">y</a></p>'
		],
		['[bad](javascript:alert(1))', '<p><a href="#">bad</a>)</p>'],
		['- one\n  continued\n- two', '<ul><li>one continued</li><li>two</li></ul>'],
		[
			'```json\n{"a": "<b>"}\n```',
			'<pre><code>{&quot;a&quot;: &quot;&lt;b&gt;&quot;}</code></pre>'
		],
		[
			'| a | b |\n| --- | --- |\n| `x` | 1 |',
			'<div class="table-scroll"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td><code>x</code></td><td>1</td></tr></tbody></table></div>'
		],
		['one\ntwo\n\nthree', '<p>one two</p>\n<p>three</p>']
	])('%s', (md, html) => {
		expect(render(md)).toBe(html);
	});

	it('gives headings GitHub’s anchors', () => {
		expect(slug('`POST /api/v1/cases` and more')).toBe('post-apiv1cases-and-more');
		expect(slug('2.4 Democratic appraisal (民主评议)')).toBe('24-democratic-appraisal-民主评议');
	});

	it('renders docs/formats.md with an anchor per import file', () => {
		const html = render(readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8'));
		for (const kind of ['departments', 'cases', 'complaints', 'responses'])
			expect(html).toContain(`<h2 id="${kind}">`);
		expect(html).toContain('<a href="/help/scoring">');
		expect(html).not.toMatch(/<(script|iframe)/);
	});

	it('serves every user document of docs/, and every link between them reaches one served', () => {
		const served = [
			'formats',
			'scoring',
			'questionnaires',
			'consoles',
			'review-export',
			'anonymity',
			'enterprise-accounts',
			'home',
			'dashboard',
			'announcement',
			'demo',
			'second-factor'
		];
		for (const name of served) {
			expect(isDocName(name), name).toBe(true);
			const { title, html } = doc(name as DocName);
			expect(title.length, name).toBeGreaterThan(0);
			for (const [, target, anchor] of html.matchAll(/href="\/help\/([a-z-]+)(#[^"]*)?"/g)) {
				expect(isDocName(target!), `${name} → ${target}`).toBe(true);
				if (anchor)
					expect(doc(target as DocName).html, `${name} → ${target}${anchor}`).toContain(
						`id="${anchor.slice(1)}"`
					);
			}
		}
	});
});
