// The limits of an import, documented in docs/formats.md and checked before a file is read: a
// module of constants only, so that the CLI and the upload pages can check a file's size before
// they load an importer or read the file into memory.

/** Bytes in a megabyte, for the caps and their messages. */
export const MB = 1024 * 1024;

/**
 * Size cap of a reference file (departments, enterprises, holidays, findings): they are
 * thousands of rows, and 20 MB is a hundred thousand and more.
 */
export const REFERENCE_FILE_MAX_BYTES = 20 * MB;

/**
 * Size cap of a cases or complaints file: they come from other systems by the year, and 50 MB
 * is some 450,000 cases, more than a city's year. Reading and checking a file that size holds
 * about half a gigabyte for the moment it takes (measured: 100 MB, 930,000 cases, 870 MB of
 * heap); more goes through the API or in several files.
 */
export const RECORDS_FILE_MAX_BYTES = 50 * MB;

/** Columns a header may have at most. The widest file has 9; Excel pads a few empty ones. */
export const MAX_COLUMNS = 64;

/** Problems reported at most per import or API call; the rest are counted (`moreErrors`). */
export const MAX_ROW_ERRORS = 1_000;

/** A size in MB as messages give it: one decimal, rounded up (20.01 MB is over 20). */
export const megabytes = (bytes: number) => Math.ceil((bytes / MB) * 10) / 10;
