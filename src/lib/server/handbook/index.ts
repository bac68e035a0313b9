// The handbook of approval items (filled in by issue 9 §7).
export {};
