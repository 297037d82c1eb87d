import { excerpt, isRetryableStatus, isSuccessStatus, retryAfterMs } from '../../src/lib/http';

describe('isRetryableStatus', () => {
    it.each([408, 429, 500, 501, 502, 503, 504, 599])('%i is retryable', (status) => {
        expect(isRetryableStatus(status)).toBe(true);
    });

    // 413 is permanent for the generic helper; OTRS-specific handling, if any, lives elsewhere.
    it.each([200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 428, 431, 499])('%i is not retryable', (status) => {
        expect(isRetryableStatus(status)).toBe(false);
    });
});

describe('isSuccessStatus', () => {
    it.each([200, 201, 202, 204, 206, 299])('%i is a success', (status) => {
        expect(isSuccessStatus(status)).toBe(true);
    });

    it.each([0, 100, 199, 300, 301, 304, 400, 404, 429, 500, 503])('%i is not a success', (status) => {
        expect(isSuccessStatus(status)).toBe(false);
    });
});

describe('retryAfterMs', () => {
    const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

    it('reads delay-seconds', () => {
        expect(retryAfterMs({ 'retry-after': '120' }, NOW)).toBe(120_000);
        expect(retryAfterMs({ 'retry-after': '1' }, NOW)).toBe(1000);
        expect(retryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0);
    });

    it('reads the lower-case and the canonical header name', () => {
        expect(retryAfterMs({ 'retry-after': '30' }, NOW)).toBe(30_000);
        expect(retryAfterMs({ 'Retry-After': '30' }, NOW)).toBe(30_000);
    });

    it('prefers the lower-case name when both are present', () => {
        expect(retryAfterMs({ 'retry-after': '10', 'Retry-After': '20' }, NOW)).toBe(10_000);
    });

    it('reads an HTTP-date relative to the given now', () => {
        expect(retryAfterMs({ 'retry-after': 'Sun, 15 Jun 2025 12:01:30 GMT' }, NOW)).toBe(90_000);
        expect(retryAfterMs({ 'Retry-After': 'Sun, 15 Jun 2025 14:00:00 GMT' }, NOW)).toBe(2 * 60 * 60 * 1000);
    });

    it('treats an HTTP-date in the past as no wait', () => {
        expect(retryAfterMs({ 'retry-after': 'Sun, 15 Jun 2025 11:00:00 GMT' }, NOW)).toBe(0);
        expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, NOW)).toBe(0);
    });

    it('uses the current time by default', () => {
        const inAnHour = new Date(Date.now() + 60 * 60 * 1000).toUTCString();
        const delay = retryAfterMs({ 'retry-after': inAnHour });
        expect(delay).toBeGreaterThan(58 * 60 * 1000);
        expect(delay).toBeLessThanOrEqual(60 * 60 * 1000);
    });

    it('is undefined without headers or without the header', () => {
        expect(retryAfterMs(undefined, NOW)).toBeUndefined();
        expect(retryAfterMs({}, NOW)).toBeUndefined();
        expect(retryAfterMs({ 'content-type': 'application/json' }, NOW)).toBeUndefined();
        expect(retryAfterMs({ 'retry-after': '' }, NOW)).toBeUndefined();
    });

    it.each(['soon', 'later please', '12abc', '-5 seconds', 'NaN', 'Infinity'])('is undefined for garbage %j', (value) => {
        expect(retryAfterMs({ 'retry-after': value }, NOW)).toBeUndefined();
    });

    // V8's lenient Date.parse reads "-5" as 1 May 2001 and "abc 12" as December 2001.
    it.each(['abc 12', 'x 3'])('is undefined for garbage that Date.parse happens to accept: %j', (value) => {
        expect(retryAfterMs({ 'retry-after': value }, NOW)).toBeUndefined();
    });

    it.each(['-1', '-5', '-120', '-0.5'])('is undefined for a negative number of seconds %j', (value) => {
        expect(retryAfterMs({ 'retry-after': value }, NOW)).toBeUndefined();
    });
});

describe('excerpt', () => {
    it('folds runs of whitespace into one space and trims', () => {
        expect(excerpt('  a  b\n\n\tc \r\n d  ')).toBe('a b c d');
    });

    it('returns an empty string for undefined or blank input', () => {
        expect(excerpt(undefined)).toBe('');
        expect(excerpt('')).toBe('');
        expect(excerpt(' \n\t ')).toBe('');
    });

    it('keeps text up to max unchanged', () => {
        expect(excerpt('abc', 3)).toBe('abc');
        expect(excerpt('ab', 3)).toBe('ab');
    });

    it('cuts text longer than max and adds an ellipsis', () => {
        expect(excerpt('abcdef', 3)).toBe('abc…');
        expect(excerpt('abcd', 3)).toBe('abc…');
    });

    it('measures the length after folding whitespace', () => {
        expect(excerpt('a     b', 3)).toBe('a b');
        expect(excerpt('a \n\n b  c', 3)).toBe('a b…');
    });

    it('defaults to 500 characters', () => {
        const exact = 'x'.repeat(500);
        expect(excerpt(exact)).toBe(exact);
        const long = 'y'.repeat(501);
        expect(excerpt(long)).toBe(`${'y'.repeat(500)}…`);
        expect(excerpt('z'.repeat(10_000))).toHaveLength(501);
    });

    it('keeps an HTML error page readable on one line', () => {
        const html = '<html>\n  <body>\n    <h1>502 Bad Gateway</h1>\n  </body>\n</html>\n';
        expect(excerpt(html)).toBe('<html> <body> <h1>502 Bad Gateway</h1> </body> </html>');
    });
});
