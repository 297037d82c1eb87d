/**
 * A plain copy, owned by the app, of an object the engine handed in. Event payloads (the message
 * of IPostMessageSent, the room of IPostLivechatRoomClosed) are deep-frozen host objects wrapped
 * by engine classes:
 * - under vm2 3.12 calling any array method on their arrays, iteration included, throws
 *   "Unsafe non-extensible array passed across bridge", so arrays are copied by index;
 * - `JSON.stringify` would call the classes' `toJSON()`, which drops fields Rocket.Chat sends
 *   beyond the typed ones (`token`, `_unmappedProperties_`), so own keys are copied instead;
 * - the engine's Message keeps its room behind a `room` getter over `_ROOM`.
 * Dates stay Dates; functions and the engine's private manager reference are left out.
 */
export function detach<T>(value: T): T {
    return copy(value, 0) as T;
}

const MAX_DEPTH = 12;
const SKIPPED_KEYS = new Set(['manager']);

function copy(value: unknown, depth: number): unknown {
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) {
        return typeof value === 'function' ? undefined : value;
    }
    if (typeof (value as Date).getTime === 'function' && typeof (value as Date).toISOString === 'function') {
        return new Date((value as Date).getTime());
    }
    if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
            items.push(copy(value[i], depth + 1));
        }
        return items;
    }
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (SKIPPED_KEYS.has(key) || typeof source[key] === 'function') continue;
        result[key === '_ROOM' ? 'room' : key] = copy(source[key], depth + 1);
    }
    return result;
}
