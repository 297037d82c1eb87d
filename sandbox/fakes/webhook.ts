/**
 * A generic webhook receiver for the app's "webhook" helpdesk adapter, embedded in the sandbox.
 *
 * The app POSTs a closed room's transcript as JSON to the admin's URL with `Authorization: Token <token>`
 * (when a token is set), `Idempotency-Key: <room id>`, `X-Ticket-Bridge-Signature: sha256=<hex
 * HMAC-SHA256 of the exact body bytes, key = the token>` and `Content-Type: application/json`.
 *
 * Mount: `app.use('/fakes/webhook', fake.router)`; any POST under the mount that is not a control
 * route is a delivery (e.g. `<origin>/fakes/webhook/tickets`). What a well-behaved receiver does:
 * - 201 `{"ticket": {id, number, url}}` with a new ticket per delivery;
 * - 200 with the same ticket when the delivery's `Idempotency-Key` already got a ticket (a retry is
 *   dropped, and counted in `duplicates`). The ticket exists as soon as the fake decided to create
 *   it, so a retry after fault `lostReply` (ticket made, answer lost) is a duplicate too.
 * - `_config {respond}` overrides the answer (a 400, a 429 with Retry-After, a 500, ...). Such an
 *   answer never creates a ticket and is never a duplicate, whatever its status.
 * - The body is read as raw bytes, so the signature is checked over exactly what was sent.
 *
 * Control routes (never faulted, never recorded): `GET /_inspect`, `POST /_reset`,
 * `GET|POST /_faults`, `GET|POST /_config`.
 */
import { mountControlRoutes } from './controlRoutes';
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IncomingMessage } from 'http';
import express, { NextFunction, Request, Response, Router } from 'express';
import { createFaultInjector, FaultInjector, FaultMode } from './faults';

const CONTROL_PATHS = ['/_inspect', '/_faults', '/_reset', '/_config'];
export const WEBHOOK_MAX_DELIVERIES = 500;
/** Idempotency keys remembered (oldest forgotten first); far more rooms than any session closes. */
export const WEBHOOK_MAX_TICKETS = 10_000;
/** A delivery's parsed body is kept only up to this size; bigger ones keep bodyBytes and rawSha256. */
export const WEBHOOK_MAX_STORED_BODY_BYTES = 2 * 1024 * 1024;
export const SIGNATURE_HEADER = 'x-ticket-bridge-signature';
const BODY_LIMIT = '20mb';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface WebhookFakeOptions {
    /** Signatures are checked against this until `_config` changes it (and again after a reset). */
    secret?: string | null;
    /** Deliveries kept by `_inspect` (the oldest dropped first). Default WEBHOOK_MAX_DELIVERIES (500). */
    maxDeliveries?: number;
}

export interface WebhookTicketRef {
    id: string;
    number: string;
    url: string;
}

export interface WebhookDelivery {
    at: string;
    /** Path under the fake's mount. */
    path: string;
    /** Lower-cased; authorization shown as "Token ***" (another scheme as "<scheme> ***"), the secret never. */
    headers: Record<string, string>;
    idempotencyKey: string | null;
    bodyBytes: number;
    /** Parsed JSON; null when the body is not JSON or bigger than 2 MB. */
    body: unknown;
    /** Hex SHA-256 of the raw body bytes. */
    rawSha256: string;
    /** Null when no secret is configured; else whether the signature header matches the raw bytes. */
    signatureValid: boolean | null;
    /**
     * What the fake answered; null when it answered nothing (fault "down" or "timeout"). With fault
     * "lostReply" it is what the fake decided (the ticket exists) although the client got a reset.
     */
    status: number | null;
    fault: FaultMode | null;
    /** The ticket this delivery created or was answered with; null for other answers. */
    ticket: WebhookTicketRef | null;
    duplicate: boolean;
}

export interface WebhookTicket extends WebhookTicketRef {
    /** Deliveries answered with this ticket: the one that created it plus its duplicates. */
    deliveries: number;
}

export interface WebhookInspection {
    deliveries: WebhookDelivery[];
    /** By Idempotency-Key; tickets of deliveries without the header are only in `deliveries`. */
    tickets: Record<string, WebhookTicket>;
    duplicates: number;
}

export interface WebhookRespond {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    /** The next `count` deliveries only; absent: every delivery until changed. */
    count?: number;
}

/** `_config` / `configure()`: absent keys stay as they are, null clears. */
export interface WebhookConfig {
    secret?: string | null;
    respond?: WebhookRespond | null;
}

/** What `GET|POST _config` shows: never the secret itself. */
export interface WebhookConfigState {
    secretSet: boolean;
    respond: (Omit<WebhookRespond, 'count'> & { remaining: number | null }) | null;
}

export interface WebhookFake {
    router: Router;
    faults: FaultInjector;
    /** Forgets deliveries, tickets, duplicates, faults and `respond`; the secret goes back to the option's. */
    reset(): void;
    inspect(): WebhookInspection;
    /** Throws WebhookConfigError when invalid (then nothing changes). */
    configure(config: WebhookConfig): WebhookConfigState;
    /** Releases held sockets (the server is going away). */
    close(): void;
}

export class WebhookConfigError extends Error {}

interface RespondState {
    status: number;
    body: unknown;
    headers: Record<string, string>;
    remaining: number | null;
}

export function createWebhookFake(options: WebhookFakeOptions = {}): WebhookFake {
    const initialSecret = options.secret ? options.secret : null;
    const maxDeliveries = options.maxDeliveries ?? WEBHOOK_MAX_DELIVERIES;
    let secret: string | null = initialSecret;
    let respond: RespondState | null = null;
    let deliveries: WebhookDelivery[] = [];
    let tickets = new Map<string, WebhookTicket>();
    let duplicates = 0;
    let lastTicketNumber = 0;
    const deliveryOf = new WeakMap<IncomingMessage, WebhookDelivery>();

    const faults = createFaultInjector({
        controlPaths: CONTROL_PATHS,
        onFault: (req, _res, mode) => {
            const delivery = deliveryOf.get(req);
            if (delivery) delivery.fault = mode;
        },
    });

    function configure(config: WebhookConfig): WebhookConfigState {
        const valid = parseWebhookConfig(config);
        if (valid.secret !== undefined) secret = valid.secret;
        if (valid.respond !== undefined) {
            respond =
                valid.respond === null
                    ? null
                    : {
                          status: valid.respond.status,
                          body: valid.respond.body,
                          headers: valid.respond.headers ?? {},
                          remaining: valid.respond.count ?? null,
                      };
        }
        return configState();
    }

    function configState(): WebhookConfigState {
        return JSON.parse(
            JSON.stringify({
                secretSet: secret !== null,
                respond: respond && { status: respond.status, body: respond.body, headers: respond.headers, remaining: respond.remaining },
            }),
        ) as WebhookConfigState;
    }

    // ---- request pipeline: read the raw body, control routes, record the delivery, faults, answer ----

    const router = express.Router();

    // Every body as raw bytes, whatever its Content-Type (or none), so the signature covers exactly them.
    router.use(express.raw({ type: () => true, limit: BODY_LIMIT }));
    router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const status = (err as { status?: unknown }).status;
        res.status(typeof status === 'number' && status >= 400 && status < 600 ? status : 400).json({
            error: err instanceof Error ? err.message : String(err),
        });
    });

    mountControlRoutes<WebhookConfig>(router, {
        faults,
        readBody: controlBody,
        inspect,
        reset,
        describeConfig: () => configState(),
        configure,
        isConfigError: (err) => err instanceof WebhookConfigError,
    });
    // A control path is never a delivery, whatever the method.
    router.all(CONTROL_PATHS, (req, res) => {
        res.status(405).json({ error: `method ${req.method} not allowed on ${req.path}` });
    });

    router.use((req, res, next) => {
        if (req.method !== 'POST') {
            next();
            return;
        }
        const raw = rawBody(req);
        const delivery: WebhookDelivery = {
            at: new Date().toISOString(),
            path: req.path,
            headers: recordedHeaders(req, secret),
            idempotencyKey: req.header('idempotency-key') ?? null,
            bodyBytes: raw.length,
            body: raw.length <= WEBHOOK_MAX_STORED_BODY_BYTES ? parseJson(raw) : null,
            rawSha256: createHash('sha256').update(raw).digest('hex'),
            signatureValid: secret === null ? null : isSignatureValid(req.header(SIGNATURE_HEADER), raw, secret),
            status: null,
            fault: null,
            ticket: null,
            duplicate: false,
        };
        deliveries.push(delivery);
        if (deliveries.length > maxDeliveries) deliveries.splice(0, deliveries.length - maxDeliveries);
        deliveryOf.set(req, delivery);
        res.on('finish', () => {
            delivery.status = res.statusCode;
        });
        next();
    });

    router.use(faults.middleware);

    router.post('*', (req, res) => {
        const delivery = deliveryOf.get(req);
        if (!delivery) throw new Error('delivery not recorded'); // cannot happen: every POST is recorded above
        answer(delivery, res);
    });

    router.use((req, res) => {
        res.status(404).json({ error: `not found: ${req.method} ${req.url} (deliveries are POSTs)` });
    });

    router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        if (!res.headersSent) res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    });

    function answer(delivery: WebhookDelivery, res: Response): void {
        if (respond) {
            const custom = respond;
            if (custom.remaining !== null) {
                custom.remaining -= 1;
                if (custom.remaining <= 0) respond = null;
            }
            delivery.status = custom.status;
            res.status(custom.status);
            for (const [name, value] of Object.entries(custom.headers)) res.setHeader(name, value);
            if (custom.body === undefined) {
                res.end();
            } else if (typeof custom.body === 'string') {
                // Sent as it is (an HTML error page, a plain text), text/plain unless a header says otherwise.
                if (!res.getHeader('content-type')) res.type('text/plain');
                res.send(Buffer.from(custom.body, 'utf8'));
            } else {
                res.json(custom.body);
            }
            return;
        }

        const key = delivery.idempotencyKey;
        const known = key === null ? undefined : tickets.get(key);
        if (known) {
            known.deliveries += 1;
            duplicates += 1;
            delivery.duplicate = true;
            delivery.ticket = ticketRef(known);
            delivery.status = 200;
            res.status(200).json({ ticket: ticketRef(known) });
            return;
        }

        lastTicketNumber += 1;
        const n = String(lastTicketNumber);
        const ticket: WebhookTicket = { id: n, number: `WH-${n}`, url: `http://127.0.0.1/tickets/${n}`, deliveries: 1 };
        if (key !== null) {
            tickets.set(key, ticket);
            if (tickets.size > WEBHOOK_MAX_TICKETS) tickets.delete(tickets.keys().next().value as string);
        }
        delivery.ticket = ticketRef(ticket);
        delivery.status = 201;
        res.status(201).json({ ticket: ticketRef(ticket) });
    }

    function inspect(): WebhookInspection {
        // A deep copy in plain JSON: callers can keep it while the fake goes on.
        return JSON.parse(JSON.stringify({ deliveries, tickets: Object.fromEntries(tickets), duplicates })) as WebhookInspection;
    }

    function reset(): void {
        deliveries = [];
        tickets = new Map();
        duplicates = 0;
        lastTicketNumber = 0;
        respond = null;
        secret = initialSecret;
        faults.reset();
    }

    return { router, faults, reset, inspect, configure, close: () => faults.close() };
}

/** Validates an untrusted `_config` body (or a `configure()` argument). */
export function parseWebhookConfig(input: unknown): WebhookConfig {
    if (!isPlainObject(input)) throw new WebhookConfigError('expected a JSON object {"secret"?: ..., "respond"?: ...}');
    const unknown = Object.keys(input).filter((key) => key !== 'secret' && key !== 'respond');
    if (unknown.length > 0) throw new WebhookConfigError(`unknown config key(s) ${unknown.join(', ')}; expected secret, respond`);

    const config: WebhookConfig = {};
    if (input.secret !== undefined) {
        if (input.secret !== null && (typeof input.secret !== 'string' || input.secret === '')) {
            throw new WebhookConfigError('secret must be a non-empty string, or null for none');
        }
        config.secret = input.secret;
    }
    if (input.respond !== undefined) config.respond = input.respond === null ? null : parseRespond(input.respond);
    return config;
}

function parseRespond(input: unknown): WebhookRespond {
    if (!isPlainObject(input)) throw new WebhookConfigError('respond must be an object {status, body?, headers?, count?} or null');
    const unknown = Object.keys(input).filter((key) => !['status', 'body', 'headers', 'count'].includes(key));
    if (unknown.length > 0) throw new WebhookConfigError(`unknown respond key(s) ${unknown.join(', ')}; expected status, body, headers, count`);

    const { status, body, headers, count } = input;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
        throw new WebhookConfigError(`respond.status must be an integer from 200 to 599, got ${JSON.stringify(status)}`);
    }
    const respond: WebhookRespond = { status };
    if (body !== undefined) respond.body = body;
    if (headers !== undefined) {
        if (!isPlainObject(headers)) throw new WebhookConfigError('respond.headers must be an object of strings');
        const checked: Record<string, string> = {};
        for (const [name, value] of Object.entries(headers)) {
            if (!HEADER_NAME.test(name)) throw new WebhookConfigError(`respond.headers: invalid header name ${JSON.stringify(name)}`);
            if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
                throw new WebhookConfigError(`respond.headers.${name} must be a string without line breaks`);
            }
            checked[name] = value;
        }
        respond.headers = checked;
    }
    if (count !== undefined && count !== null) {
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
            throw new WebhookConfigError(`respond.count must be a positive integer, got ${JSON.stringify(count)}`);
        }
        respond.count = count;
    }
    return respond;
}

/** `sha256=<hex HMAC-SHA256(raw, secret)>`, compared in constant time (the length is not a secret). */
export function isSignatureValid(header: string | undefined, raw: Buffer, secret: string): boolean {
    if (header === undefined) return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`, 'utf8');
    const given = Buffer.from(header, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Headers as recorded by `_inspect`: never echo a token or the secret. */
function recordedHeaders(req: Request, secret: string | null): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const text = Array.isArray(value) ? value.join(', ') : value;
        if (name === 'authorization') {
            const scheme = /^(\S+)\s/.exec(text);
            headers[name] = scheme ? `${scheme[1]} ***` : '***';
        } else {
            headers[name] = secret && text.includes(secret) ? '<redacted>' : text;
        }
    }
    return headers;
}

function rawBody(req: Request): Buffer {
    return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function parseJson(raw: Buffer): unknown {
    if (raw.length === 0) return null;
    try {
        return JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
        return null;
    }
}

/** A control route's body: JSON, and an empty body counts as `{}`. */
function controlBody(req: Request): { ok: true; value: unknown } | { ok: false; error: string } {
    const raw = rawBody(req);
    if (raw.length === 0) return { ok: true, value: {} };
    try {
        return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
    } catch (err) {
        return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
}

function ticketRef(ticket: WebhookTicketRef): WebhookTicketRef {
    return { id: ticket.id, number: ticket.number, url: ticket.url };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
