// Keyboard shortcuts of the consoles: Alt + a letter presses the button or follows the link that
// announces it (`aria-keyshortcuts="Alt+C"`), the accessible replacement for `accesskey`. Keys
// are matched by their physical position (`KeyC`), so they work in any keyboard layout and IME.
export function onShortcut(e: KeyboardEvent): void {
	if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !/^Key[A-Z]$/.test(e.code)) return;
	const target = document.querySelector<HTMLElement>(
		`[aria-keyshortcuts="Alt+${e.code.slice(3)}"]:not([disabled])`
	);
	if (!target) return;
	e.preventDefault();
	target.focus();
	target.click();
}
