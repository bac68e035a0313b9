// summary of enterprise visits (filled in by issue 9).
export {};
