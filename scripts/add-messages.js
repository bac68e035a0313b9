#!/usr/bin/env node
// Merges messages into messages/zh-CN.json and messages/en.json in one quick read-modify-write.
// Input (stdin or a file argument): {"key": ["中文", "English"], ...}. Keys are kept sorted.
// A value may also be a message with variants (plurals; docs/messages.md shows the shape).
// Use: node scripts/add-messages.js <<'EOF' ... EOF
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const input = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8'));
for (const [index, locale] of ['zh-CN', 'en'].entries()) {
	const path = new URL(`../messages/${locale}.json`, import.meta.url);
	const current = JSON.parse(readFileSync(path, 'utf8'));
	for (const [key, values] of Object.entries(input)) {
		if (!Array.isArray(values) || values.length !== 2) throw new Error(`${key}: want [zh, en]`);
		current[key] = values[index];
	}
	const sorted = Object.fromEntries(
		Object.entries(current).sort(([a], [b]) =>
			a === '$schema' ? -1 : b === '$schema' ? 1 : a.localeCompare(b)
		)
	);
	// Written as `npm run check` wants it: JSON.stringify alone spreads a variant message's short
	// arrays over several lines, which Prettier then refuses.
	const file = fileURLToPath(path);
	const options = { ...(await prettier.resolveConfig(file)), filepath: file };
	writeFileSync(path, await prettier.format(JSON.stringify(sorted, null, '\t') + '\n', options));
}
console.log(`added ${Object.keys(input).length} message(s)`);
