/**
 * Compares a presented secret with the configured one in time that does not depend on where they
 * differ, nor (beyond the loop bound) on the secret's length. An empty configured secret never
 * matches: the app fails closed.
 */
export function secretMatches(presented: string | undefined, configured: string): boolean {
    if (!configured || presented === undefined) {
        return false;
    }
    const length = Math.max(presented.length, configured.length);
    let difference = presented.length ^ configured.length;
    for (let i = 0; i < length; i++) {
        difference |= (presented.charCodeAt(i) | 0) ^ (configured.charCodeAt(i) | 0);
    }
    return difference === 0;
}

/** The secret of an `Authorization: Token <secret>` header, or undefined for any other shape. */
export function tokenFromAuthorization(header: unknown): string | undefined {
    if (typeof header !== 'string') {
        return undefined;
    }
    const match = /^Token ([^\s]+)$/.exec(header.trim());
    return match ? match[1] : undefined;
}
