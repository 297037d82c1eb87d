/**
 * Copies a value that crossed from the app's vm2 context. Those are proxies, which structuredClone
 * refuses, so this goes through JSON, like a database round trip (dates become ISO strings).
 */
export function clone<T>(value: T): T {
    return value === undefined ? value : JSON.parse(JSON.stringify(value));
}
