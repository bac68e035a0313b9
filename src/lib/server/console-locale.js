// The language of what is printed to a terminal: the CLI, `npm start`, and the server's own
// start-up lines (the first admin, a locked database): `--lang`, else PINGYI_LANG, else English
// when LANG starts with `en`, else the base locale zh-CN. Plain JavaScript, so that
// scripts/start.js can use it before anything is built.

/** @typedef {'zh-CN' | 'en'} ConsoleLocale */

/**
 * Maps a user-given language tag to a locale: `en`, `en-US` → en; `zh`, `zh-CN` → zh-CN.
 * @param {string} tag
 * @returns {ConsoleLocale | null} null when the tag is neither
 */
export function toConsoleLocale(tag) {
	const t = tag.trim().toLowerCase();
	if (t === 'en' || t.startsWith('en-') || t.startsWith('en_')) return 'en';
	if (t === 'zh' || t.startsWith('zh-') || t.startsWith('zh_')) return 'zh-CN';
	return null;
}

/**
 * @param {string | undefined} flag the value of `--lang`, if given
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ locale: ConsoleLocale, invalid: string | null }} `invalid` names a tag that was asked
 *   for but is not supported (the caller reports it in the fallback locale)
 */
export function pickLocale(flag, env = process.env) {
	const fallback = /^en/i.test(env.LANG ?? '') ? 'en' : 'zh-CN';
	const wanted = flag ?? (env.PINGYI_LANG || undefined);
	if (wanted === undefined) return { locale: fallback, invalid: null };
	const locale = toConsoleLocale(wanted);
	return locale ? { locale, invalid: null } : { locale: fallback, invalid: wanted };
}
