// Test tooling only, preloaded with `node --import ./tests/helpers/fake-clock.js build`: shifts
// `Date.now()` and `new Date()` by the offset (milliseconds) written in the file FAKE_CLOCK_FILE,
// so a test can move the built app's clock forward without any test switch in the app itself.
import { readFileSync } from 'node:fs';

const file = process.env.FAKE_CLOCK_FILE;

if (file) {
	const RealDate = Date;
	const realNow = RealDate.now.bind(RealDate);

	// Read on every call: a tiny file, and the test changes it between requests.
	const offset = () => {
		try {
			return Number(readFileSync(file, 'utf8')) || 0;
		} catch {
			return 0;
		}
	};
	const now = () => realNow() + offset();

	class FakeDate extends RealDate {
		/** @param {...any} args */
		constructor(...args) {
			if (args.length === 0) super(now());
			else super(.../** @type {[any]} */ (args));
		}

		static now() {
			return now();
		}

		// Dates made before the swap, or by code holding the real constructor, are still dates.
		/** @param {unknown} value */
		static [Symbol.hasInstance](value) {
			return value instanceof RealDate;
		}
	}

	// Called as a function, Date returns the current time as a string.
	const FakeDateFn = new Proxy(FakeDate, {
		apply: () => new FakeDate().toString()
	});
	globalThis.Date = FakeDateFn;
}
