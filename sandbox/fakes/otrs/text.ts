/**
 * Small pure helpers of the fake OTRS: Perl's notion of truth, Znuny's e-mail and charset checks,
 * the database's character loss (§7), HTML to text (§3), and ticket numbers (§3).
 */
import type { OtrsDatabase } from './types';

/** Perl truth as Znuny's `if ( !$Param{X} )` sees a decoded JSON value (booleans are already 1/0). */
export function perlTrue(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (typeof value === 'string') return value !== '' && value !== '0';
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'boolean') return value;
    return true; // array and hash references are true, even when empty
}

/** Kernel::System::VariableCheck IsStringWithData: a defined, non-reference, non-empty scalar. */
export function isStringWithData(value: unknown): boolean {
    return (typeof value === 'string' && value !== '') || typeof value === 'number';
}

export function isHashRefWithData(value: unknown): value is Record<string, unknown> {
    return isPlainObject(value) && Object.keys(value).length > 0;
}

export function isArrayRefWithData(value: unknown): value is unknown[] {
    return Array.isArray(value) && value.length > 0;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as Perl would print it ('' for undef). */
export function scalar(value: unknown): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return Array.isArray(value) ? 'ARRAY(0x55d0c0ffee00)' : 'HASH(0x55d0c0ffee00)';
}

/** Perl's numeric view of a scalar ("12abc" -> 12, "abc" -> 0). */
export function perlNumber(value: unknown): number {
    if (typeof value === 'number') return value;
    const match = /^\s*[+-]?\d+(\.\d+)?/.exec(scalar(value));
    return match ? Number(match[0]) : 0;
}

/** §3 "Leading and trailing whitespace on every scalar field is trimmed" (only string values change). */
export function trimScalars(hash: Record<string, unknown>): void {
    for (const key of Object.keys(hash)) {
        const value = hash[key];
        if (typeof value === 'string') hash[key] = value.replace(/^\s+/u, '').replace(/\s+$/u, '');
    }
}

/** JSON booleans become 1/0, as Kernel::System::JSON::Decode does. */
export function sanitizeBooleans(value: unknown): unknown {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (Array.isArray(value)) return value.map(sanitizeBooleans);
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = sanitizeBooleans(item);
        return out;
    }
    return value;
}

/** JSON with keys sorted at every level, as Znuny encodes responses (`SortKeys => 1`). */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
        return out;
    }
    return value;
}

// ---- §7: what the database keeps ----

const ASTRAL = /[\u{10000}-\u{10FFFF}]/gu;

/** On MySQL/MariaDB (3-byte utf8) every character above U+FFFF is stored as U+FFFD; PostgreSQL keeps it. */
export function storedText(text: string, database: OtrsDatabase): string {
    return database === 'mysql' ? text.replace(ASTRAL, '\uFFFD') : text;
}

/** The first `max` characters (code points, as Perl counts them). */
export function cutCharacters(text: string, max: number): string {
    const chars = Array.from(text);
    return chars.length <= max ? text : chars.slice(0, max).join('');
}

// ---- e-mail checks (Kernel::System::CheckItem::CheckEmail, Ticket::Common::ValidateFrom) ----

const EMAIL_SYNTAX =
    /^(()|([a-zA-Z0-9]+([a-zA-Z0-9_+.&%-]*[a-zA-Z0-9_'.+-]+)?@([a-zA-Z0-9]+([a-zA-Z0-9.-]*[a-zA-Z0-9]+)?\.+[a-zA-Z]{2,63})))$/;
/** SysConfig CheckEmailInvalidAddress (default): reserved/example domains. */
const EMAIL_INVALID_DOMAIN =
    /@(aa|aaa|aaaa|aaaaa|abc|any|anywhere|anonymous|bar|demo|example|foo|hello|hallo|nobody|test)\.(..|...)$/i;

/** CheckEmail: syntax (needs a dotted domain, so `x@localhost` fails), no `..`/`.@`, no example domains. */
export function checkEmail(address: string): boolean {
    if (!EMAIL_SYNTAX.test(address)) return false;
    if (/(\.\.)|(\.@)/.test(address)) return false;
    return !EMAIL_INVALID_DOMAIN.test(address);
}

/**
 * ValidateFrom: Mail::Address parses the value and only the FIRST address is checked (§3: a bare
 * name such as `Rocket.Chat Livechat` is invalid, `Livechat <livechat@acme.com.br>` is valid).
 */
export function validateFrom(from: string): boolean {
    if (!from) return false;
    const address = firstAddress(from);
    return address === null ? true : checkEmail(address);
}

/** The address Mail::Address would give for the first entry of an address list (null: none at all). */
function firstAddress(text: string): string | null {
    // Drop quoted phrases and (comments); an <angle-addr> wins; else the first comma-separated word group.
    const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, ' ').replace(/\([^()]*\)/g, ' ');
    const angle = /<([^<>]*)>/.exec(unquoted);
    if (angle) return angle[1].trim();
    const first = unquoted.split(',').map((part) => part.trim()).find((part) => part !== '');
    return first === undefined ? null : first;
}

// ---- charsets and MIME types (Ticket::Common) ----

const EXTRA_CHARSETS = new Set(['utf8', 'utf-8', 'ascii', 'us-ascii', 'latin1', 'latin-1', 'iso-8859-1', 'iso-8859-15', 'cp1252', 'windows-1252']);

/** ValidateCharset: Encode::resolve_alias knows the name. */
export function validCharset(charset: string): boolean {
    if (!charset) return false;
    if (EXTRA_CHARSETS.has(charset.toLowerCase())) return true;
    try {
        new TextDecoder(charset);
        return true;
    } catch {
        return false;
    }
}

/** ValidateMimeType: `\w+/\w+` and nothing else. */
export function validMimeType(mimeType: string): boolean {
    return /^\w+\/\w+$/.test(mimeType);
}

/** The charset part of a ContentType the way the operation's substitutions extract it ('' when absent). */
export function charsetOf(contentType: string): string {
    if (!/charset=/i.test(contentType)) return '';
    let charset = contentType.replace(/.+?charset=("|'|)(\w+)/gi, '$2');
    charset = charset.replace(/"|'/g, '');
    charset = charset.replace(/(.+?);.*/g, '$1');
    return charset;
}

/** The `type/subtype` prefix of a ContentType ('' when there is none). */
export function mimeTypeOf(contentType: string): string {
    const match = /^(\w+\/\w+)/i.exec(contentType);
    return match ? match[1].replace(/"|'/g, '') : '';
}

/** Decodes a request body in the charset its Content-Type names (§1: "a `; charset=` value is honoured"). */
export function decodeBody(bytes: Buffer, contentType: string | undefined): string {
    const match = /^.*charset=["']?([^"']+)["']?$/is.exec(contentType ?? '');
    const charset = match ? match[1].trim() : '';
    if (!charset || /^utf-?8$/i.test(charset)) return bytes.toString('utf8');
    try {
        return new TextDecoder(charset).decode(bytes);
    } catch {
        return bytes.toString('utf8');
    }
}

// ---- HTML to text (Kernel::System::HTMLUtils::ToAscii, simplified) ----

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function htmlToText(html: string): string {
    let text = html
        .replace(/\r\n?/g, '\n')
        .replace(/<(head|style|script)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/\n/g, ' ')
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<li\b[^>]*>/gi, '\n - ')
        .replace(/<\/(p|div|h[1-6]|tr|table|ul|ol|blockquote|pre)\s*>/gi, '\n\n')
        .replace(/<(p|div|h[1-6]|tr|table|ul|ol|blockquote|pre)\b[^>]*>/gi, '\n')
        .replace(/<[^>]*>/g, '');
    text = text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
        const lower = name.toLowerCase();
        if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16), whole);
        if (lower.startsWith('#')) return safeCodePoint(parseInt(lower.slice(1), 10), whole);
        return ENTITIES[lower] ?? whole;
    });
    return text
        .split('\n')
        .map((line) => line.replace(/[ \t]+/g, ' ').trim())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}

function safeCodePoint(code: number, fallback: string): string {
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

// ---- ticket numbers (§3: DateChecksum generator, 16 digits) ----

/** `yyyymmdd` + SystemID `10` + a 5-digit counter + a check digit, e.g. 2026112210000013. */
export function dateChecksumNumber(date: Date, counter: number): string {
    const day = date.toISOString().slice(0, 10).replace(/-/g, '');
    const base = `${day}10${String(counter).padStart(5, '0')}`;
    let sum = 0;
    let mult = 1;
    for (const digit of base) {
        sum += mult * Number(digit);
        mult = mult === 2 ? 1 : mult + 1;
    }
    let check = 10 - (sum % 10);
    if (check === 10) check = 1;
    return `${base}${check}`;
}

/** Znuny's timestamp format: `2026-11-22 10:00:00` (the fake's server clock is UTC). */
export function otrsTimestamp(date: Date): string {
    return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** `*` wildcards of TicketNumber/Title searches, matched case-insensitively as MySQL's LIKE does. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
    const source = pattern
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    const regex = new RegExp(`^${source}$`, 'is');
    return (value) => regex.test(value);
}
