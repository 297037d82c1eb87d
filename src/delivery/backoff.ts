/** The longest wait between two attempts, whatever the attempt number. */
export const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;

/**
 * Delay before the attempt after `attemptsMade` failed ones: base * 2^(attemptsMade - 1), capped,
 * then spread by ±25 % (never past the cap) so that a backlog (say, every room that closed while the helpdesk was down)
 * does not retry in one burst. A Retry-After asked by the receiver is honoured when it is longer.
 */
export function backoffDelayMs(attemptsMade: number, baseSeconds: number, random: () => number = Math.random, retryAfterMs?: number): number {
    const exponent = Math.max(0, attemptsMade - 1);
    const raw = Math.min(MAX_BACKOFF_MS, baseSeconds * 1000 * Math.pow(2, Math.min(exponent, 30)));
    const jittered = Math.min(MAX_BACKOFF_MS, Math.round(raw * (0.75 + 0.5 * random())));
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_BACKOFF_MS));
}
