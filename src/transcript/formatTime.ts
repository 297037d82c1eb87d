/**
 * Date and time of transcript lines: `dd/MM/yyyy HH:mm` (pt-BR, es) or `yyyy-MM-dd HH:mm` (en, and
 * any locale resolveLocale does not know), 24-hour clock, in an IANA time zone.
 *
 * The output is assembled from numbers, never from ICU's own patterns, so it does not change with
 * the ICU version (separators, narrow spaces, "24:00" at midnight).
 *
 * Cost: one Intl.DateTimeFormat per formatter (creating one is expensive), and formatToParts is
 * itself slow (about 13 µs a call on Node 20), so the zone's UTC offset is learned once per UTC
 * hour and the fields are then computed arithmetically. An hour whose offset differs between its
 * first and last millisecond (it holds a DST change) is formatted through Intl for every date in it.
 */
import { resolveLocale } from './labels';

export type TimeFormatter = (date: Date) => string;

const HOUR_MS = 3600000;
/** Bound on the offset cache (distinct UTC hours); it is cleared when full. */
const MAX_CACHED_HOURS = 20000;

interface WallClock {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
}

/**
 * A formatter for `timeZone` (IANA, e.g. America/Sao_Paulo) and `locale` (pt-BR, en, es, or a
 * variant). A blank zone means UTC; an invalid one falls back to UTC and calls `onInvalidZone`
 * once, here, with the zone as given.
 */
export function createTimeFormatter(
    timeZone: string,
    locale: string,
    onInvalidZone?: (zone: string) => void,
): TimeFormatter {
    const zone = (timeZone ?? '').trim() || 'UTC';
    let dtf: Intl.DateTimeFormat;
    try {
        dtf = makeFormat(zone);
    } catch {
        if (onInvalidZone) onInvalidZone(timeZone);
        dtf = makeFormat('UTC');
    }
    const dayFirst = resolveLocale(locale) !== 'en';

    const wallClock = (ms: number): WallClock => {
        const parts = dtf.formatToParts(ms);
        const w: WallClock = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
        for (let i = 0; i < parts.length; i++) {
            const p = parts[i];
            switch (p.type) {
                case 'year':
                case 'month':
                case 'day':
                case 'minute':
                case 'second':
                    w[p.type] = parseInt(p.value, 10);
                    break;
                case 'hour':
                    w.hour = parseInt(p.value, 10) % 24; // some ICU versions say 24 at midnight
                    break;
            }
        }
        return w;
    };
    /** Local wall-clock minus UTC at `ms`, to the second. */
    const offsetAt = (ms: number): number => {
        const w = wallClock(ms);
        const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
        return wallMs - Math.floor(ms / 1000) * 1000;
    };

    const offsets = new Map<number, number>(); // UTC hour -> offset, NaN when it changes inside the hour
    const offsetFor = (ms: number): number => {
        const hour = Math.floor(ms / HOUR_MS);
        let offset = offsets.get(hour);
        if (offset === undefined) {
            const start = offsetAt(hour * HOUR_MS);
            offset = start === offsetAt(hour * HOUR_MS + HOUR_MS - 1) ? start : NaN;
            if (offsets.size >= MAX_CACHED_HOURS) offsets.clear();
            offsets.set(hour, offset);
        }
        return offset;
    };

    return (date: Date): string => {
        // Any object with getTime: a Date from another realm (the engine's sandbox) is not `instanceof Date`.
        const ms = date && typeof date.getTime === 'function' ? date.getTime() : NaN;
        if (!isFinite(ms)) return '';
        const offset = offsetFor(ms);
        let w: WallClock;
        if (isNaN(offset)) {
            w = wallClock(ms);
        } else {
            const local = new Date(ms + offset);
            w = {
                year: local.getUTCFullYear(),
                month: local.getUTCMonth() + 1,
                day: local.getUTCDate(),
                hour: local.getUTCHours(),
                minute: local.getUTCMinutes(),
                second: 0,
            };
        }
        const time = `${pad2(w.hour)}:${pad2(w.minute)}`;
        return dayFirst
            ? `${pad2(w.day)}/${pad2(w.month)}/${pad4(w.year)} ${time}`
            : `${pad4(w.year)}-${pad2(w.month)}-${pad2(w.day)} ${time}`;
    };
}

function makeFormat(timeZone: string): Intl.DateTimeFormat {
    // en-US with Latin digits: only the numbers are used, whatever the transcript's locale.
    // hour12: false gives 0-23 (or 1-24 on some older ICU: wallClock's % 24 handles that).
    return new Intl.DateTimeFormat('en-US-u-nu-latn', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
    });
}

function pad2(n: number): string {
    return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
    const s = String(Math.abs(n));
    return (n < 0 ? '-' : '') + (s.length >= 4 ? s : '0000'.slice(s.length) + s);
}
