#!/usr/bin/env node
// Merges messages into messages/zh-CN.json and messages/en.json in one quick read-modify-write.
// Input (stdin or a file argument): {"key": ["中文", "English"], ...}. Keys are kept sorted.
// Use: node scripts/add-messages.js <<'EOF' ... EOF
import { readFileSync, writeFileSync } from 'node:fs';

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
	writeFileSync(path, JSON.stringify(sorted, null, '\t') + '\n');
}
console.log(`added ${Object.keys(input).length} message(s)`);
