/**
 * Validators for the bodies of the RapidPro-compatible endpoints (contract: shared/contracts/rapidpro.md §3).
 *
 * Pure functions: the body arrives as `unknown` (already-parsed JSON, or `{}`/undefined when no JSON
 * was sent) and comes back either typed or with one clear English message naming the field(s).
 * Endpoints call these BEFORE any side effect (§3.0 REC "validate before doing any side effect").
 *
 * Decisions where the contract leaves a choice (each is also noted where it is applied):
 * - Errors are plain strings (`{"error": "<msg>"}` on the wire), never validate.js JSON-in-a-string (§3.0 REC).
 *   When several fields are wrong, their messages are joined with "; ".
 * - Unknown fields are ignored, as [T] does (§3.0 step 3).
 * - Optional string fields that are null, or empty after trimming, count as absent: mailroom omits
 *   empty values (`omitempty`, §3.3), so an empty string carries no information.
 * - `visitor.token` is a string in mailroom (§1: "contact ID as a decimal string"). A non-negative safe
 *   integer is accepted too and converted with String() (friendlier for hand-written callers; the
 *   value is the same contact ID). Anything else (float, boolean, array, object) is rejected.
 * - `ticketID` keeps the case it arrived in: it is echoed back in callbacks, and mailroom looks the
 *   ticket up by that exact value (§4.3 step 4).
 * - Length caps (characters): token, name, department, priority 256; contactUUID/ticketID 36 (UUID);
 *   email 254 (RFC 5321 path limit); phone 64; customFields at most 100 entries, key 256, value 4,096;
 *   message text 20,000 (well above WhatsApp's 4,096, far below the 100 kB body limit); attachment
 *   type 255 (RFC 6838), attachment url 4,096 (signed media URLs are long); at most 20 attachments;
 *   webhook url 2,048. Exceeding a cap is an error, never a silent truncation.
 */
import { URL } from 'url';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const LIMITS = {
    token: 256,
    name: 256,
    email: 254,
    phone: 64,
    department: 256,
    priority: 256,
    customFieldCount: 100,
    customFieldKey: 256,
    customFieldValue: 4096,
    text: 20000,
    attachmentCount: 20,
    attachmentType: 255,
    attachmentUrl: 4096,
    webhookUrl: 2048,
} as const;

export interface VisitorRef {
    token: string;
}

/** `GET /room` (§3.3). Weni's extras (department, customFields, sessionStart) are optional. */
export interface RoomRequest {
    ticketID: string;
    visitor: RoomVisitor;
    /** RFC 3339 date-time as sent, with `t`/`z` upper-cased so Date.parse reads it the same everywhere. */
    sessionStart?: string;
    priority?: string;
}

export interface RoomVisitor {
    token: string;
    contactUUID?: string;
    name?: string;
    email?: string;
    phone?: string;
    department?: string;
    customFields?: Record<string, string>;
}

/** `POST /visitor-message` (§3.4). */
export interface VisitorMessageRequest {
    visitor: VisitorRef;
    /** Kept exactly as sent (leading spaces can matter, e.g. code); absent when missing or blank. */
    text?: string;
    attachments: VisitorAttachment[];
}

export interface VisitorAttachment {
    /** Full MIME type (`image/jpeg`), or `geo` for a location (§3.4). */
    type: string;
    /** Absolute http(s) URL, or `"<lat>,<lng>"` when type is `geo`. */
    url: string;
}

/** `GET /room.close` (§3.5). */
export interface RoomCloseRequest {
    visitor: VisitorRef;
}

/** `PUT /settings` (§3.2). */
export interface SettingsRequest {
    webhookUrl: string;
}

type JsonObject = Record<string, unknown>;

const BODY_NOT_OBJECT = 'Request body must be a JSON object';
export const EMPTY_MESSAGE_ERROR = 'Could not send message with empty text and attachments'; // [T] wording, §3.4 step 5

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Same shape as Rocket.Chat's own validateEmail (a TLD of 2+ letters is required): accepting an
// address RC refuses would only move the failure to after a side effect (registerGuest).
const EMAIL_PATTERN =
    /^(([^<>()[\]\\.,;:\s@"]+(\.[^<>()[\]\\.,;:\s@"]+)*)|(".+"))@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$/;
const RFC3339_PATTERN =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

// ---------------------------------------------------------------------------------------------
// Public validators
// ---------------------------------------------------------------------------------------------

export function validateRoomRequest(body: unknown): ValidationResult<RoomRequest> {
    if (!isJsonObject(body)) {
        return fail(BODY_NOT_OBJECT);
    }
    const errors: string[] = [];

    const ticketID = readUuid(body, 'ticketID', 'ticketID', true, errors);
    const visitorBody = readVisitorObject(body, errors);
    const token = visitorBody ? readToken(visitorBody, errors) : undefined;

    const visitor: RoomVisitor = { token: token ?? '' };
    if (visitorBody) {
        const contactUUID = readUuid(visitorBody, 'contactUUID', 'visitor.contactUUID', false, errors);
        const name = readOptionalString(visitorBody, 'name', 'visitor.name', LIMITS.name, errors);
        const email = readEmail(visitorBody, errors);
        const phone = readOptionalString(visitorBody, 'phone', 'visitor.phone', LIMITS.phone, errors);
        assignIfDefined(visitor, 'contactUUID', contactUUID);
        assignIfDefined(visitor, 'name', name);
        assignIfDefined(visitor, 'email', email);
        assignIfDefined(visitor, 'phone', phone);
    }

    // Weni sends department/customFields inside `visitor` (§3.3); other callers put them at the top
    // level. Both are read and validated; the visitor's value wins for department, and for
    // customFields the two maps are merged with the visitor's keys winning.
    const topDepartment = readOptionalString(body, 'department', 'department', LIMITS.department, errors);
    const visitorDepartment = visitorBody
        ? readOptionalString(visitorBody, 'department', 'visitor.department', LIMITS.department, errors)
        : undefined;
    assignIfDefined(visitor, 'department', visitorDepartment ?? topDepartment);

    const topCustomFields = readCustomFields(body, 'customFields', errors);
    const visitorCustomFields = visitorBody
        ? readCustomFields(visitorBody, 'visitor.customFields', errors)
        : undefined;
    if (topCustomFields || visitorCustomFields) {
        const merged: Record<string, string> = { ...(topCustomFields ?? {}), ...(visitorCustomFields ?? {}) };
        if (Object.keys(merged).length > LIMITS.customFieldCount) {
            errors.push(`customFields may hold at most ${LIMITS.customFieldCount} entries in total`);
        } else if (Object.keys(merged).length > 0) {
            visitor.customFields = merged;
        }
    }

    const sessionStart = readSessionStart(body, errors);
    const priority = readOptionalString(body, 'priority', 'priority', LIMITS.priority, errors);

    if (errors.length > 0 || ticketID === undefined || token === undefined) {
        return fail(errors.join('; '));
    }
    const value: RoomRequest = { ticketID, visitor };
    assignIfDefined(value, 'sessionStart', sessionStart);
    assignIfDefined(value, 'priority', priority);
    return { ok: true, value };
}

export function validateVisitorMessageRequest(body: unknown): ValidationResult<VisitorMessageRequest> {
    if (!isJsonObject(body)) {
        return fail(BODY_NOT_OBJECT);
    }
    const errors: string[] = [];
    const visitorBody = readVisitorObject(body, errors);
    const token = visitorBody ? readToken(visitorBody, errors) : undefined;
    const text = readMessageText(body, errors);
    const attachments = readAttachments(body, errors);

    if (errors.length > 0 || token === undefined || attachments === undefined) {
        return fail(errors.join('; '));
    }
    // mailroom omits text for attachment-only messages and attachments when there are none (§3.4);
    // with neither there is nothing to post. Unlike [T], an empty array does not count as content.
    if (text === undefined && attachments.length === 0) {
        return fail(EMPTY_MESSAGE_ERROR);
    }
    const value: VisitorMessageRequest = { visitor: { token }, attachments };
    assignIfDefined(value, 'text', text);
    return { ok: true, value };
}

export function validateRoomCloseRequest(body: unknown): ValidationResult<RoomCloseRequest> {
    if (!isJsonObject(body)) {
        return fail(BODY_NOT_OBJECT);
    }
    const errors: string[] = [];
    const visitorBody = readVisitorObject(body, errors);
    const token = visitorBody ? readToken(visitorBody, errors) : undefined;
    if (errors.length > 0 || token === undefined) {
        return fail(errors.join('; '));
    }
    return { ok: true, value: { visitor: { token } } };
}

/**
 * `{"webhook":{"url":...}}` (§3.2). Any http/https URL with a host is accepted, including loopback,
 * private addresses and TLD-less hosts such as `http://mailroom:8090/...` (§3.2 REC, §8 item 10).
 * Decision: credentials in the URL (`user:pass@`) are rejected. Callbacks authenticate with the shared
 * secret (§4.1); a password in the URL would sit in plain app persistence, in `GET /settings` and in
 * logs. The URL is returned trimmed, otherwise as sent.
 */
export function validateSettingsRequest(body: unknown): ValidationResult<SettingsRequest> {
    if (!isJsonObject(body)) {
        return fail(BODY_NOT_OBJECT);
    }
    const webhook = body.webhook;
    if (!isJsonObject(webhook)) {
        return fail('webhook is required and must be an object like {"url": "https://..."}');
    }
    const raw = webhook.url;
    if (typeof raw !== 'string' || raw.trim() === '') {
        return fail('webhook.url is required and must be a non-empty string');
    }
    const url = raw.trim();
    const problem = describeHttpUrlProblem(url, LIMITS.webhookUrl);
    if (problem) {
        return fail(`webhook.url ${problem}`);
    }
    if (hasCredentials(url)) {
        return fail('webhook.url must not contain credentials (user:password@); the app secret authenticates callbacks');
    }
    return { ok: true, value: { webhookUrl: url } };
}

/**
 * True for `application/json`, with or without parameters (`; charset=utf-8`), media type compared
 * case-insensitively (§3.0 REC; [T] compared the whole header exactly and refused `; charset=utf-8`).
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
    if (typeof contentType !== 'string') {
        return false;
    }
    return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

// ---------------------------------------------------------------------------------------------
// Field readers: each pushes its own message into `errors` and returns undefined on failure.
// ---------------------------------------------------------------------------------------------

function readVisitorObject(body: JsonObject, errors: string[]): JsonObject | undefined {
    const visitor = body.visitor;
    if (!isJsonObject(visitor)) {
        errors.push('visitor is required and must be an object like {"token": "..."}');
        return undefined;
    }
    return visitor;
}

function readToken(visitor: JsonObject, errors: string[]): string | undefined {
    const raw = visitor.token;
    // A non-negative safe integer is the same contact ID mailroom would send as a string (§1).
    const asString = typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : raw;
    if (typeof asString !== 'string' || asString.trim() === '') {
        errors.push('visitor.token is required and must be a non-empty string');
        return undefined;
    }
    const token = asString.trim();
    if (token.length > LIMITS.token) {
        errors.push(tooLong('visitor.token', LIMITS.token, token.length));
        return undefined;
    }
    if (CONTROL_CHARS.test(token)) {
        errors.push('visitor.token must not contain control characters');
        return undefined;
    }
    return token;
}

function readUuid(
    obj: JsonObject,
    key: string,
    path: string,
    required: boolean,
    errors: string[],
): string | undefined {
    const raw = obj[key];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
        if (required) {
            errors.push(`${path} is required and must be a UUID string`);
        }
        return undefined;
    }
    if (typeof raw !== 'string') {
        errors.push(`${path} must be a UUID string`);
        return undefined;
    }
    const value = raw.trim();
    if (!UUID_PATTERN.test(value)) {
        const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
        errors.push(`${path} must be a UUID like 59d74b86-3e2f-4a93-aece-b05d2fdcde0c (got "${shown}")`);
        return undefined;
    }
    return value;
}

function readOptionalString(
    obj: JsonObject,
    key: string,
    path: string,
    max: number,
    errors: string[],
): string | undefined {
    const raw = obj[key];
    if (raw === undefined || raw === null) {
        return undefined;
    }
    if (typeof raw !== 'string') {
        errors.push(`${path} must be a string`);
        return undefined;
    }
    const value = raw.trim();
    if (value === '') {
        return undefined;
    }
    if (value.length > max) {
        errors.push(tooLong(path, max, value.length));
        return undefined;
    }
    return value;
}

function readEmail(visitor: JsonObject, errors: string[]): string | undefined {
    const errorCount = errors.length;
    const email = readOptionalString(visitor, 'email', 'visitor.email', LIMITS.email, errors);
    if (email === undefined || errors.length > errorCount) {
        return undefined;
    }
    if (!EMAIL_PATTERN.test(email)) {
        errors.push('visitor.email must be a valid e-mail address like name@example.com');
        return undefined;
    }
    return email;
}

/**
 * Custom fields are a flat map (Weni sends string→string, §3.3). Numbers and booleans are converted
 * to strings; nested objects and arrays are rejected; null values are skipped (treated as "not
 * set"). Values are kept untrimmed: they are opaque data for Rocket.Chat's custom fields.
 */
function readCustomFields(obj: JsonObject, path: string, errors: string[]): Record<string, string> | undefined {
    const raw = obj.customFields;
    if (raw === undefined || raw === null) {
        return undefined;
    }
    if (!isJsonObject(raw)) {
        errors.push(`${path} must be an object of string values`);
        return undefined;
    }
    const entries = Object.keys(raw);
    if (entries.length > LIMITS.customFieldCount) {
        errors.push(`${path} may hold at most ${LIMITS.customFieldCount} entries (got ${entries.length})`);
        return undefined;
    }
    const result: Record<string, string> = {};
    let valid = true;
    for (const key of entries) {
        const fieldPath = `${path}.${key.length > 40 ? `${key.slice(0, 40)}...` : key}`;
        if (key.trim() === '' || key.length > LIMITS.customFieldKey || key === '__proto__') {
            errors.push(`${path} has an invalid key "${key.slice(0, 40)}" (keys must be 1-${LIMITS.customFieldKey} characters)`);
            valid = false;
            continue;
        }
        const value = raw[key];
        if (value === null || value === undefined) {
            continue;
        }
        let text: string;
        if (typeof value === 'string') {
            text = value;
        } else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
            text = String(value);
        } else {
            errors.push(`${fieldPath} must be a string, number or boolean (nested objects and arrays are not allowed)`);
            valid = false;
            continue;
        }
        if (text.length > LIMITS.customFieldValue) {
            errors.push(tooLong(fieldPath, LIMITS.customFieldValue, text.length));
            valid = false;
            continue;
        }
        result[key] = text;
    }
    return valid ? result : undefined;
}

/** Weni's `sessionStart` (§3.3): RFC 3339, e.g. `2019-10-07T15:20:30Z`; every component is range-checked. */
function readSessionStart(body: JsonObject, errors: string[]): string | undefined {
    const raw = body.sessionStart;
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
        return undefined;
    }
    const message = 'sessionStart must be an RFC 3339 date-time like 2019-10-07T15:20:30Z';
    if (typeof raw !== 'string' || raw.length > 64) {
        errors.push(message);
        return undefined;
    }
    const value = raw.trim().toUpperCase();
    if (parseRfc3339(value) === undefined) {
        errors.push(message);
        return undefined;
    }
    return value;
}

/** Milliseconds since the epoch, or undefined when the string is not a real RFC 3339 instant. */
export function parseRfc3339(value: string): number | undefined {
    const m = RFC3339_PATTERN.exec(value.toUpperCase());
    if (!m) {
        return undefined;
    }
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
        return undefined;
    }
    let offsetMinutes = 0;
    if (m[8] !== 'Z') {
        const offsetHours = Number(m[10]);
        const offsetMins = Number(m[11]);
        if (offsetHours > 23 || offsetMins > 59) {
            return undefined;
        }
        offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
    }
    const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 literal, Date.UTC does not
    utc.setUTCHours(hour, minute, second, fraction);
    return utc.getTime() - offsetMinutes * 60000;
}

function daysInMonth(year: number, month: number): number {
    if (month === 2) {
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        return leap ? 29 : 28;
    }
    return [4, 6, 9, 11].indexOf(month) >= 0 ? 30 : 31;
}

/** Text is kept as sent; missing, null or blank text counts as absent. */
function readMessageText(body: JsonObject, errors: string[]): string | undefined {
    const raw = body.text;
    if (raw === undefined || raw === null) {
        return undefined;
    }
    if (typeof raw !== 'string') {
        errors.push('text must be a string');
        return undefined;
    }
    if (raw.length > LIMITS.text) {
        errors.push(tooLong('text', LIMITS.text, raw.length));
        return undefined;
    }
    return raw.trim() === '' ? undefined : raw;
}

function readAttachments(body: JsonObject, errors: string[]): VisitorAttachment[] | undefined {
    const raw = body.attachments;
    if (raw === undefined || raw === null) {
        return [];
    }
    if (!Array.isArray(raw)) {
        errors.push('attachments must be an array of {"type", "url"} objects');
        return undefined;
    }
    if (raw.length > LIMITS.attachmentCount) {
        errors.push(`attachments may hold at most ${LIMITS.attachmentCount} items (got ${raw.length})`);
        return undefined;
    }
    const result: VisitorAttachment[] = [];
    const errorCount = errors.length;
    raw.forEach((item: unknown, index: number) => {
        const attachment = readAttachment(item, `attachments[${index}]`, errors);
        if (attachment) {
            result.push(attachment);
        }
    });
    return errors.length > errorCount ? undefined : result;
}

function readAttachment(item: unknown, path: string, errors: string[]): VisitorAttachment | undefined {
    if (!isJsonObject(item)) {
        errors.push(`${path} must be an object with "type" and "url" strings`);
        return undefined;
    }
    const rawType = item.type;
    const rawUrl = item.url;
    if (typeof rawType !== 'string' || rawType.trim() === '') {
        errors.push(`${path}.type is required and must be a non-empty string`);
        return undefined;
    }
    if (typeof rawUrl !== 'string' || rawUrl.trim() === '') {
        errors.push(`${path}.url is required and must be a non-empty string`);
        return undefined;
    }
    const type = rawType.trim();
    const url = rawUrl.trim();
    if (type.length > LIMITS.attachmentType) {
        errors.push(tooLong(`${path}.type`, LIMITS.attachmentType, type.length));
        return undefined;
    }
    if (type.toLowerCase() === 'geo') {
        // RapidPro's `geo:<lat>,<lng>` arrives as type "geo" with a url that is not a URL (§3.4).
        const coordinates = parseGeoCoordinates(url);
        if (!coordinates) {
            errors.push(`${path}.url must be "<latitude>,<longitude>" for a geo attachment (latitude -90..90, longitude -180..180)`);
            return undefined;
        }
        return { type, url: `${coordinates.latitude},${coordinates.longitude}` };
    }
    const problem = describeHttpUrlProblem(url, LIMITS.attachmentUrl);
    if (problem) {
        errors.push(`${path}.url ${problem}`);
        return undefined;
    }
    return { type, url };
}

export interface GeoCoordinates {
    /** Decimal strings exactly as sent (trimmed), so no precision is lost or invented. */
    latitude: string;
    longitude: string;
}

/** `"<lat>,<lng>"` with both parts decimal numbers in range; undefined otherwise. */
export function parseGeoCoordinates(value: string): GeoCoordinates | undefined {
    const parts = value.split(',');
    if (parts.length !== 2) {
        return undefined;
    }
    const latitude = parts[0].trim();
    const longitude = parts[1].trim();
    if (!DECIMAL_PATTERN.test(latitude) || !DECIMAL_PATTERN.test(longitude)) {
        return undefined;
    }
    const lat = Number(latitude);
    const lng = Number(longitude);
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) {
        return undefined;
    }
    return { latitude, longitude };
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/**
 * Why `value` is not an absolute http(s) URL with a host, as the tail of a sentence ("must ..."),
 * or undefined when it is one. Uses Node's built-in `url` module (allowed inside the app, see
 * shared/contracts/apps-engine.md) rather than a global that the sandbox may not provide.
 */
export function describeHttpUrlProblem(value: string, max: number): string | undefined {
    if (value.length > max) {
        return `must be at most ${max} characters (got ${value.length})`;
    }
    // The WHATWG parser silently drops tabs/newlines; refuse them instead of storing a different URL.
    if (WHITESPACE_OR_CONTROL.test(value)) {
        return 'must not contain spaces or control characters';
    }
    if (!/^https?:\/\//i.test(value)) {
        return 'must be an absolute http:// or https:// URL';
    }
    let parsed: URL;
    try {
        parsed = new URL(value);
    } catch {
        return 'must be a valid http:// or https:// URL';
    }
    if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
        return 'must be a valid http:// or https:// URL';
    }
    return undefined;
}

function hasCredentials(value: string): boolean {
    try {
        const parsed = new URL(value);
        return parsed.username !== '' || parsed.password !== '';
    } catch {
        return false;
    }
}

function isJsonObject(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tooLong(path: string, max: number, actual: number): string {
    return `${path} must be at most ${max} characters (got ${actual})`;
}

function fail(error: string): { ok: false; error: string } {
    return { ok: false, error };
}

/** Sets an optional key only when it has a value, so results compare equal to the contract's shapes. */
function assignIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
    if (value !== undefined) {
        target[key] = value as T[K];
    }
}
