import { backoffDelayMs, MAX_BACKOFF_MS } from '../../src/delivery/backoff';

const HALF = (): number => 0.5;
const ZERO = (): number => 0;
const ALMOST_ONE = (): number => 1 - Number.EPSILON;
const BASE_SECONDS = 30;
const BASE_MS = BASE_SECONDS * 1000;
const HOUR_MS = 60 * 60 * 1000;

describe('MAX_BACKOFF_MS', () => {
    it('is six hours', () => {
        expect(MAX_BACKOFF_MS).toBe(6 * HOUR_MS);
    });
});

describe('backoffDelayMs without jitter (random fixed at 0.5)', () => {
    it.each([
        [1, 30_000],
        [2, 60_000],
        [3, 120_000],
        [4, 240_000],
        [5, 480_000],
        [6, 960_000],
        [7, 1_920_000],
        [8, 3_840_000],
        [9, 7_680_000],
        [10, 15_360_000],
    ])('attempt %i waits exactly %i ms with a 30 s base', (attempts, expected) => {
        expect(backoffDelayMs(attempts, BASE_SECONDS, HALF)).toBe(expected);
    });

    it('doubles from one attempt to the next until the cap', () => {
        for (let attempts = 1; attempts < 10; attempts++) {
            expect(backoffDelayMs(attempts + 1, BASE_SECONDS, HALF)).toBe(2 * backoffDelayMs(attempts, BASE_SECONDS, HALF));
        }
    });

    it('scales with the base', () => {
        expect(backoffDelayMs(1, 1, HALF)).toBe(1000);
        expect(backoffDelayMs(3, 1, HALF)).toBe(4000);
        expect(backoffDelayMs(2, 45, HALF)).toBe(90_000);
    });

    it.each([0, 1, -1, -100])('attempt %i waits the base', (attempts) => {
        expect(backoffDelayMs(attempts, BASE_SECONDS, HALF)).toBe(BASE_MS);
    });

    it('reaches the six-hour cap and stays there', () => {
        // 30 s * 2^10 = 8.5 h > 6 h.
        expect(backoffDelayMs(11, BASE_SECONDS, HALF)).toBe(MAX_BACKOFF_MS);
        expect(backoffDelayMs(12, BASE_SECONDS, HALF)).toBe(MAX_BACKOFF_MS);
        expect(backoffDelayMs(31, BASE_SECONDS, HALF)).toBe(MAX_BACKOFF_MS);
    });

    it.each([40, 64, 1000, 1_000_000, Number.MAX_SAFE_INTEGER])('attempt %i is capped without overflow or NaN', (attempts) => {
        const delay = backoffDelayMs(attempts, BASE_SECONDS, HALF);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBe(MAX_BACKOFF_MS);
    });

    it('caps a huge base at the first attempt', () => {
        expect(backoffDelayMs(1, 86_400, HALF)).toBe(MAX_BACKOFF_MS);
        expect(backoffDelayMs(1000, 86_400, HALF)).toBe(MAX_BACKOFF_MS);
    });
});

describe('backoffDelayMs jitter', () => {
    it('is 25 % shorter at random() = 0', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, ZERO)).toBe(22_500);
        expect(backoffDelayMs(3, BASE_SECONDS, ZERO)).toBe(90_000);
    });

    it('is almost 25 % longer at random() close to 1', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, ALMOST_ONE)).toBe(37_500);
        expect(backoffDelayMs(3, BASE_SECONDS, ALMOST_ONE)).toBe(150_000);
    });

    it('stays within ±25 % of the un-jittered delay for any random value', () => {
        for (let attempts = 1; attempts <= 10; attempts++) {
            const centre = backoffDelayMs(attempts, BASE_SECONDS, HALF);
            for (let r = 0; r < 1; r += 0.05) {
                const delay = backoffDelayMs(attempts, BASE_SECONDS, () => r);
                expect(Number.isInteger(delay)).toBe(true);
                expect(delay).toBeGreaterThanOrEqual(Math.floor(centre * 0.75));
                expect(delay).toBeLessThanOrEqual(Math.ceil(centre * 1.25));
            }
        }
    });

    it('spreads: different random values give different delays', () => {
        const delays = new Set([0, 0.25, 0.5, 0.75, 0.99].map((r) => backoffDelayMs(4, BASE_SECONDS, () => r)));
        expect(delays.size).toBe(5);
    });

    it('is 25 % shorter than the cap at random() = 0 for large attempts', () => {
        expect(backoffDelayMs(1000, BASE_SECONDS, ZERO)).toBe(Math.round(MAX_BACKOFF_MS * 0.75));
    });

    it('never exceeds MAX_BACKOFF_MS ("the longest wait between two attempts", "at most 6 hours"), even with jitter', () => {
        for (const attempts of [11, 40, 1000]) {
            for (const random of [0, 0.5, 0.75, 0.99, 1 - Number.EPSILON]) {
                expect(backoffDelayMs(attempts, BASE_SECONDS, () => random)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
            }
        }
    });

    it('uses Math.random by default and stays within the jitter bounds', () => {
        for (let i = 0; i < 50; i++) {
            const delay = backoffDelayMs(2, BASE_SECONDS);
            expect(delay).toBeGreaterThanOrEqual(45_000);
            expect(delay).toBeLessThanOrEqual(75_000);
        }
    });
});

describe('backoffDelayMs with Retry-After', () => {
    it('honours a Retry-After longer than the computed delay', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, HALF, 120_000)).toBe(120_000);
        expect(backoffDelayMs(3, BASE_SECONDS, ALMOST_ONE, 150_001)).toBe(150_001);
    });

    it('ignores a Retry-After shorter than the computed delay', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, HALF, 5_000)).toBe(BASE_MS);
        expect(backoffDelayMs(3, BASE_SECONDS, HALF, 119_999)).toBe(120_000);
    });

    it('ignores a zero Retry-After', () => {
        expect(backoffDelayMs(2, BASE_SECONDS, HALF, 0)).toBe(60_000);
    });

    it('treats an undefined Retry-After as absent', () => {
        expect(backoffDelayMs(2, BASE_SECONDS, HALF, undefined)).toBe(60_000);
    });

    it('caps a Retry-After above six hours', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, HALF, 24 * HOUR_MS)).toBe(MAX_BACKOFF_MS);
        expect(backoffDelayMs(1, BASE_SECONDS, ZERO, Number.MAX_SAFE_INTEGER)).toBe(MAX_BACKOFF_MS);
        expect(backoffDelayMs(1, BASE_SECONDS, HALF, Infinity)).toBe(MAX_BACKOFF_MS);
    });

    it('a Retry-After exactly at the cap is kept', () => {
        expect(backoffDelayMs(1, BASE_SECONDS, HALF, MAX_BACKOFF_MS)).toBe(MAX_BACKOFF_MS);
    });
});
