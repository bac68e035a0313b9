// What every response of the built app carries (src/lib/server/security-headers.js), for the
// security tests of each kind of response.
import { expect } from 'vitest';

/** The headers every response carries, static files included; HSTS only when `https`. */
export function expectSecurityHeaders(response: Response, what: string, https = false): void {
	const h = response.headers;
	expect(h.get('x-content-type-options'), what).toBe('nosniff');
	expect(h.get('referrer-policy'), what).toBe('same-origin');
	expect(h.get('x-frame-options'), what).toBe('DENY');
	expect(h.get('cross-origin-opener-policy'), what).toBe('same-origin');
	expect(h.get('cross-origin-resource-policy'), what).toBe('same-origin');
	const features = h.get('permissions-policy') ?? '';
	for (const f of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
		expect(features, what).toContain(`${f}=()`);
	if (https)
		expect(h.get('strict-transport-security'), what).toBe('max-age=31536000; includeSubDomains');
	else expect(h.get('strict-transport-security'), what).toBeNull();
}

/** The directives of a Content-Security-Policy header, by name. */
export function cspDirectives(response: Response): Map<string, string[]> {
	const csp = response.headers.get('content-security-policy') ?? '';
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter(([name]) => name)
			.map(([name, ...values]) => [name!, values])
	);
}

/** A dynamic response's policy: none may frame it, and what is not a page may load nothing. */
export function expectCsp(response: Response, what: string, page: boolean): void {
	const csp = cspDirectives(response);
	expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
	expect(csp.get('default-src'), what).toEqual(page ? ["'self'"] : ["'none'"]);
}
