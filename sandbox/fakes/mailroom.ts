/**
 * A mailroom-style receiver for the app's RapidPro callbacks, embedded in the sandbox.
 *
 * Faithful to shared/contracts/rapidpro.md §4.3 (mailroom `web.go`, `testdata/event_callback.json`):
 * same route, same order of checks, same statuses and bodies. What the fake does differently, and why:
 * - Every ticketer UUID exists (created on first use): the sandbox has no RapidPro to create one.
 * - Every ticketID that is a UUID exists (open until close-room): tests open tickets through the
 *   app's `/room` with random UUIDs and expect the callbacks to be accepted. Other ticketIDs exist
 *   only once registered with `POST /_tickets {ticketID}`.
 * - Attachment URLs are fetched only on loopback hosts (the sandbox serves uploads there), so no test
 *   ever reaches outside 127.0.0.1; other attachments are recorded with `fetched: false`. No retries
 *   (mailroom retries after 5 s and 10 s) so that a failing fetch answers at once.
 *
 * Control routes (never faulted, never recorded as calls): `GET /_inspect`, `POST /_faults`,
 * `POST /_reset`, `POST /_tickets`.
 */
import { timingSafeEqual } from 'crypto';
import { isIPv4, isIPv6 } from 'net';
import type { IncomingMessage } from 'http';
import axios from 'axios';
import express, { NextFunction, Request, Response, Router } from 'express';
import { createFaultInjector, FaultInjector, FaultMode } from './faults';

export const MAILROOM_CALLBACK_ROUTE = '/mr/tickets/types/rocketchat/event_callback/:ticketer';
/** chi's `{ticketer:[a-f0-9\-]+}`: anchored, lower-case only (§4.3). */
const TICKETER_PATTERN = /^[a-f0-9-]+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL_PATHS = ['/_inspect', '/_faults', '/_reset', '/_tickets'];
const MAX_FILE_BYTES = 10 * 1024 * 1024; // mailroom's fetch limit (§4.3)
const MAX_REDIRECTS = 3;
const MAX_RECORDS = 1000; // bounds memory in a long `npm start` session; tests reset long before

export interface MailroomFakeOptions {
    /** The app's current secret; unset or empty means every callback is unauthorized (fail closed). */
    secret: () => string | undefined;
    /** Per attachment fetch. Default 5000 ms. */
    fetchTimeoutMs?: number;
}

export interface MailroomCall {
    at: string;
    method: string;
    /** Path under the fake's mount. */
    path: string;
    /** Lower-cased; authorization shown as "Token ***" (matches the secret) or "<invalid>". */
    headers: Record<string, string>;
    /** Parsed JSON, or the raw text when it is not JSON, or null when there was no body. */
    body: unknown;
    /** What the fake answered; null when it answered nothing (fault "down" or "timeout"). */
    status: number | null;
    fault: FaultMode | null;
}

export interface MailroomTicket {
    status: 'open' | 'closed';
    /** close-room callbacks handled for this ticket, the no-op ones included. */
    closedCount: number;
}

export interface MailroomAttachment {
    /** The type the app declared; mailroom ignores it and uses the fetched Content-Type. */
    type: string;
    url: string;
    fetched: boolean;
    /** From the response's Content-Type header, parameters dropped; null when absent. */
    contentType?: string | null;
    byteLength?: number;
}

export interface MailroomMessage {
    at: string;
    ticketID: string;
    text: string;
    attachments: MailroomAttachment[];
}

export interface MailroomInspection {
    calls: MailroomCall[];
    tickets: Record<string, MailroomTicket>;
    messages: MailroomMessage[];
    ticketers: string[];
}

export interface MailroomFake {
    router: Router;
    faults: FaultInjector;
    /** Makes a ticketID known (any string); an existing ticket is left as it is. */
    addTicket(ticketID: string): MailroomTicket;
    inspect(): MailroomInspection;
    calls(): MailroomCall[];
    reset(): void;
    close(): void;
}

interface CallbackRequest {
    type: string;
    ticketID: string;
    data: unknown;
}

interface AgentMessageData {
    text: string;
    attachments: Array<{ type: string; url: string }>;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function createMailroomFake(options: MailroomFakeOptions): MailroomFake {
    const fetchTimeoutMs = options.fetchTimeoutMs ?? 5000;
    let calls: MailroomCall[] = [];
    let messages: MailroomMessage[] = [];
    let tickets = new Map<string, MailroomTicket>();
    let ticketers = new Set<string>();
    const inFlightFetches = new Set<AbortController>();

    const rawBodies = new WeakMap<IncomingMessage, string>();
    const bodyErrors = new WeakMap<IncomingMessage, string>();
    const callOf = new WeakMap<IncomingMessage, MailroomCall>();

    const faults = createFaultInjector({
        controlPaths: CONTROL_PATHS,
        // mailroom never answers 200 with an error; the body only has to differ from {"status":"handled"}.
        error200Body: () => ({ status: 'error' }),
        onFault: (req, _res, mode) => {
            const call = callOf.get(req);
            if (call) call.fault = mode;
        },
    });

    function secret(): string {
        return options.secret() ?? '';
    }

    function addTicket(ticketID: string): MailroomTicket {
        let ticket = tickets.get(ticketID);
        if (!ticket) {
            ticket = { status: 'open', closedCount: 0 };
            tickets.set(ticketID, ticket);
        }
        return ticket;
    }

    /** §4.3 step 4: unknown ticket -> 404. A UUID counts as a ticket that RapidPro opened. */
    function findTicket(ticketID: string): MailroomTicket | undefined {
        return tickets.get(ticketID) ?? (UUID_PATTERN.test(ticketID) ? addTicket(ticketID) : undefined);
    }

    function pushBounded<T>(list: T[], item: T): void {
        list.push(item);
        if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
    }

    // ---- request pipeline: read the body, record the call, apply faults ----

    const router = express.Router({ caseSensitive: true, strict: true }); // chi routes are exact

    // mailroom reads the body whatever the Content-Type, up to a limit (rapidpro.md §4.3 step 3).
    router.use(
        express.json({
            type: () => true,
            limit: '1mb',
            verify: (req, _res, buf) => {
                rawBodies.set(req, buf.toString('utf8'));
            },
        }),
    );
    // A bad body is answered only after the secret check (§4.3 order), so remember it and go on.
    router.use((err: unknown, req: Request, _res: Response, next: NextFunction) => {
        bodyErrors.set(req, err instanceof Error ? err.message : String(err));
        req.body = undefined;
        next();
    });

    router.use((req, res, next) => {
        if (CONTROL_PATHS.includes(req.path)) {
            next();
            return;
        }
        const call: MailroomCall = {
            at: new Date().toISOString(),
            method: req.method,
            path: req.path,
            headers: recordedHeaders(req, secret()),
            body: recordedBody(req),
            status: null,
            fault: null,
        };
        pushBounded(calls, call);
        callOf.set(req, call);
        res.on('finish', () => {
            call.status = res.statusCode;
        });
        next();
    });

    router.use(faults.middleware);

    function recordedBody(req: Request): unknown {
        const raw = rawBodies.get(req);
        if (raw === undefined || raw === '') return null;
        return bodyErrors.has(req) ? raw : req.body;
    }

    // ---- control routes ----

    router.get('/_inspect', (_req, res) => {
        res.json(inspect());
    });

    router.get('/_faults', faults.controlHandler);
    router.post('/_faults', (req, res, next) => {
        const bodyError = bodyErrors.get(req);
        if (bodyError !== undefined) res.status(400).json({ error: bodyError });
        else faults.controlHandler(req, res, next);
    });

    router.post('/_reset', (_req, res) => {
        reset();
        res.json({ status: 'reset' });
    });

    router.post('/_tickets', (req, res) => {
        const ticketID = (req.body as { ticketID?: unknown } | undefined)?.ticketID;
        if (typeof ticketID !== 'string' || ticketID === '') {
            res.status(400).json({ error: "field 'ticketID' is required (a non-empty string)" });
            return;
        }
        res.json({ ticketID, ...addTicket(ticketID) });
    });

    // ---- the callback (§4.3) ----

    router.post(MAILROOM_CALLBACK_ROUTE, (req, res, next) => {
        handleCallback(req, res).catch(next);
    });

    // chi answers a known route with the wrong method with 405 (web/server.go handle405).
    router.all(MAILROOM_CALLBACK_ROUTE, (req, res, next) => {
        if (!TICKETER_PATTERN.test(req.params.ticketer)) next();
        else res.status(405).json({ error: `illegal method: ${req.method}` });
    });

    // mailroom's NotFound handler prints r.URL.String(): the path (and query) under the mount.
    router.use((req, res) => {
        res.status(404).json({ error: `not found: ${req.url}` });
    });

    router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        if (!res.headersSent) res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    });

    async function handleCallback(req: Request, res: Response): Promise<void> {
        const ticketer = req.params.ticketer;
        if (!TICKETER_PATTERN.test(ticketer)) {
            res.status(404).json({ error: `not found: ${req.url}` });
            return;
        }
        ticketers.add(ticketer); // step 1: every ticketer exists in the sandbox

        if (!isAuthorized(req.header('authorization'), secret())) {
            res.status(401).json({ status: 'unauthorized' }); // step 2, missing or wrong header alike
            return;
        }

        const parsed = parseCallbackRequest(req);
        if (!parsed.ok) {
            res.status(400).json({ error: parsed.error }); // step 3
            return;
        }
        const { type, ticketID, data } = parsed.value;

        const ticket = findTicket(ticketID);
        if (!ticket) {
            res.status(404).json({ error: `no such ticket ${ticketID}` }); // step 4
            return;
        }

        switch (type) {
            case 'agent-message': {
                const message = parseAgentMessageData(data);
                if (!message.ok) {
                    res.status(400).json({ error: message.error });
                    return;
                }
                // Every file is fetched before anything is sent; one failure loses the whole message.
                const attachments: MailroomAttachment[] = [];
                for (const attachment of message.value.attachments) {
                    try {
                        attachments.push(await fetchAttachment(attachment));
                    } catch (err) {
                        const reason = err instanceof Error ? err.message : String(err);
                        res.status(400).json({ error: `error fetching ticket file '${attachment.url}': ${reason}` });
                        return;
                    }
                }
                pushBounded(messages, { at: new Date().toISOString(), ticketID, text: message.value.text, attachments });
                break;
            }
            case 'close-room':
                // Closing a closed ticket is a no-op for mailroom; the count lets tests see duplicates.
                ticket.status = 'closed';
                ticket.closedCount += 1;
                break;
            default:
                res.status(400).json({ error: 'invalid event type' });
                return;
        }
        res.status(200).json({ status: 'handled' });
    }

    /** Body of the callback, as mailroom's `eventCallbackRequest` with `validate:"required"` reads it. */
    function parseCallbackRequest(req: Request): Parsed<CallbackRequest> {
        const bodyError = bodyErrors.get(req);
        if (bodyError !== undefined) return { ok: false, error: bodyError };
        const raw = rawBodies.get(req);
        if (raw === undefined || raw.trim() === '') return { ok: false, error: 'unexpected end of JSON input' };
        const body: unknown = req.body;
        if (!isPlainObject(body)) {
            return { ok: false, error: `json: cannot unmarshal ${jsonKind(body)} into Go value of type rocketchat.eventCallbackRequest` };
        }
        const errors: string[] = [];
        for (const field of ['type', 'ticketID'] as const) {
            const value = body[field];
            if (value !== undefined && value !== null && typeof value !== 'string') {
                return { ok: false, error: `json: cannot unmarshal ${jsonKind(value)} into Go struct field eventCallbackRequest.${field} of type string` };
            }
            if (!value) errors.push(`field '${field}' is required`);
        }
        if (errors.length > 0) return { ok: false, error: errors.join(', ') };
        return { ok: true, value: { type: body.type as string, ticketID: body.ticketID as string, data: body.data } };
    }

    async function fetchAttachment(attachment: { type: string; url: string }): Promise<MailroomAttachment> {
        const url = parseHttpUrl(attachment.url);
        if (!isLoopbackHost(url.hostname)) return { type: attachment.type, url: attachment.url, fetched: false };

        const abort = new AbortController();
        inFlightFetches.add(abort);
        try {
            const response = await axios.get<ArrayBuffer>(url.toString(), {
                responseType: 'arraybuffer',
                maxRedirects: MAX_REDIRECTS,
                maxContentLength: MAX_FILE_BYTES,
                timeout: fetchTimeoutMs,
                validateStatus: () => true,
                proxy: false,
                signal: abort.signal,
                // A loopback file must not redirect the sandbox out of 127.0.0.1.
                beforeRedirect: (redirect) => {
                    const host = String(redirect.hostname ?? '');
                    if (!isLoopbackHost(host)) throw new Error(`redirect to non-loopback host ${host} refused by the sandbox`);
                },
            });
            if (response.status < 200 || response.status > 299) throw new Error('fetch returned non-200 response');
            const contentType = response.headers['content-type'];
            return {
                type: attachment.type,
                url: attachment.url,
                fetched: true,
                contentType: contentType ? String(contentType).split(';')[0].trim().toLowerCase() : null,
                byteLength: response.data.byteLength,
            };
        } finally {
            inFlightFetches.delete(abort);
        }
    }

    function inspect(): MailroomInspection {
        // A deep copy in plain JSON: callers can keep it while the fake goes on.
        return JSON.parse(
            JSON.stringify({ calls, tickets: Object.fromEntries(tickets), messages, ticketers: [...ticketers] }),
        ) as MailroomInspection;
    }

    function reset(): void {
        calls = [];
        messages = [];
        tickets = new Map();
        ticketers = new Set();
        faults.reset();
    }

    function close(): void {
        faults.close();
        for (const abort of inFlightFetches) abort.abort();
        inFlightFetches.clear();
    }

    return { router, faults, addTicket, inspect, calls: () => inspect().calls, reset, close };
}

/** `data` of an agent-message, as mailroom's `agentMessageData` unmarshals it (no validation tags). */
function parseAgentMessageData(data: unknown): Parsed<AgentMessageData> {
    const fail = (kind: unknown, into: string): Parsed<AgentMessageData> => ({
        ok: false,
        error: `json: cannot unmarshal ${jsonKind(kind)} into ${into}`,
    });
    // json.Unmarshal of an absent RawMessage fails; of `null` it leaves the zero value.
    if (data === undefined) return { ok: false, error: 'unexpected end of JSON input' };
    if (data === null) return { ok: true, value: { text: '', attachments: [] } };
    if (!isPlainObject(data)) return fail(data, 'Go value of type rocketchat.agentMessageData');

    const text = data.text ?? '';
    if (typeof text !== 'string') return fail(text, 'Go struct field agentMessageData.text of type string');
    const list = data.attachments ?? [];
    if (!Array.isArray(list)) return fail(list, 'Go struct field agentMessageData.attachments of type []struct');

    const attachments: AgentMessageData['attachments'] = [];
    for (const item of list as unknown[]) {
        const entry = item ?? {};
        if (!isPlainObject(entry)) return fail(entry, 'Go struct field agentMessageData.attachments of type struct');
        const type = entry.type ?? '';
        const url = entry.url ?? '';
        if (typeof type !== 'string') return fail(type, 'Go struct field .attachments.type of type string');
        if (typeof url !== 'string') return fail(url, 'Go struct field .attachments.url of type string');
        attachments.push({ type, url });
    }
    return { ok: true, value: { text, attachments } };
}

/** mailroom compares `Token <secret>` exactly; here in constant time, and never with an empty secret. */
function isAuthorized(header: string | undefined, secret: string): boolean {
    if (!secret || header === undefined) return false;
    const expected = Buffer.from(`Token ${secret}`, 'utf8');
    const given = Buffer.from(header, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Headers as recorded by `_inspect`: never echo a secret (DESIGN.md, rules of the house). */
function recordedHeaders(req: Request, secret: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const text = Array.isArray(value) ? value.join(', ') : value;
        if (name === 'authorization') headers[name] = isAuthorized(text, secret) ? 'Token ***' : '<invalid>';
        else headers[name] = secret && text.includes(secret) ? '<redacted>' : text;
    }
    return headers;
}

function parseHttpUrl(text: string): URL {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new Error(`parse ${JSON.stringify(text)}: invalid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`unsupported protocol scheme ${JSON.stringify(url.protocol.slice(0, -1))}`);
    }
    return url;
}

/** 127.0.0.0/8, ::1 and localhost: where the sandbox serves uploaded files. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (host === 'localhost') return true;
    if (isIPv4(host)) return host.startsWith('127.');
    if (isIPv6(host)) return host === '::1';
    return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON kind, in the words Go's encoding/json uses in its errors. */
function jsonKind(value: unknown): string {
    if (Array.isArray(value)) return 'array';
    if (value === null) return 'null';
    if (typeof value === 'boolean') return 'bool';
    return typeof value; // string, number, object
}
