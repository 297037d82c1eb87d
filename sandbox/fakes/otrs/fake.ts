/**
 * A fake OTRS/Znuny GenericTicketConnectorREST, embedded in the sandbox (DESIGN.md "The sandbox").
 *
 * Faithful to shared/contracts/otrs.md (cited as §n), quirks included: business and auth errors are
 * HTTP 200 with an `Error` object (§6); transport problems are 500/413 text/plain (§6); a wrong-case
 * queue passes validation and then fails with HTTP 500 (§7); a search with a filter Znuny drops
 * answers with every ticket (§5); MySQL loses characters above U+FFFF (§7); an unknown webservice
 * gets an empty reply (§6).
 *
 * Mount: `app.use('/fakes/otrs', fake.router)`; the script URL is then
 * `<origin>/fakes/otrs/<alias>/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST` (any alias).
 * Control routes (never faulted, never recorded, no auth): `GET /_inspect`, `POST /_reset`,
 * `GET|POST /_faults`, `GET|POST /_config`.
 */
import { mountControlRoutes } from '../controlRoutes';
import type { IncomingMessage } from 'http';
import express, { NextFunction, Request, Response, Router } from 'express';
import { createFaultInjector, FaultInjector } from '../faults';
import { applyConfig, describeSetup, OtrsConfigError, parseConfig } from './config';
import { ticketGet, ticketHistoryGet, ticketSearch } from './read';
import { OtrsStore } from './store';
import { isPlainObject, otrsTimestamp } from './text';
import {
    buildInput,
    faultOutput,
    jsonOutput,
    locate,
    matchRoute,
    noOperationMessage,
    Operation,
    Output,
    parseQuery,
    RawBody,
    textOutput,
} from './transport';
import type { OperationResult, OtrsCall, OtrsFakeConfig, OtrsInspectedTicket, OtrsInspection } from './types';
import { sessionCreate, sessionGet, ticketCreate, ticketUpdate } from './write';

export interface OtrsFakeOptions {
    /** Transport MaxLength in bytes (§1); a bigger body gets 413. Default 100_000_000. */
    maxLength?: number;
    /** The fake's clock (ticket times, session expiry, time filters). Default: the real time. */
    now?: () => Date;
}

export interface OtrsFake {
    router: Router;
    faults: FaultInjector;
    /** Forgets tickets, sessions, calls and faults, and restores the default setup. */
    reset(): void;
    inspect(): OtrsInspection;
    calls(): OtrsCall[];
    /** Changes the setup (users, queues, version, database, ...); throws OtrsConfigError when invalid. */
    configure(cfg: OtrsFakeConfig): void;
    /** Releases held sockets (the server is going away). */
    close(): void;
}

export const DEFAULT_MAX_LENGTH = 100_000_000;
const CONTROL_PATHS = ['/_inspect', '/_faults', '/_reset', '/_config'];
const MAX_CALLS = 2000; // bounds memory in a long `npm start` session
const MAX_RECORDED_STRING = 16 * 1024; // longer strings in a recorded body are cut (memory bound)
const REDACTED = '***';

export function createOtrsFake(options: OtrsFakeOptions = {}): OtrsFake {
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const store = new OtrsStore(options.now);
    let calls: OtrsCall[] = [];
    const rawBodies = new WeakMap<IncomingMessage, RawBody>();
    const callOf = new WeakMap<IncomingMessage, OtrsCall>();

    const faults = createFaultInjector({
        controlPaths: CONTROL_PATHS,
        // A business error on HTTP 200, in OTRS's own shape: catches a client that ignores `Error` on 200.
        error200Body: (req) => authFailBody(operationOf(req)),
        onFault: (req, _res, mode) => {
            const call = callOf.get(req);
            if (call) call.fault = mode;
        },
    });

    function configure(cfg: OtrsFakeConfig): void {
        const valid = parseConfig(cfg);
        store.setup = applyConfig(store.setup, valid);
        if (valid.expireSessions) store.expireSessions();
    }

    // ---- request pipeline: read the body, control routes, record the call, apply faults, answer ----

    const router = express.Router();

    router.use((req, _res, next) => {
        readRawBody(req, maxLength).then((raw) => {
            rawBodies.set(req, raw);
            next();
        }, next);
    });

    mountControlRoutes<OtrsFakeConfig>(router, {
        faults,
        readBody: controlBody,
        inspect,
        reset,
        describeConfig: () => describeSetup(store.setup),
        configure,
        isConfigError: (err) => err instanceof OtrsConfigError,
    });
    router.use((req, res, next) => {
        const call: OtrsCall = {
            at: new Date().toISOString(),
            method: req.method,
            path: req.path,
            query: redact(parseQuery(queryStringOf(req.url))) as Record<string, unknown>,
            headers: recordedHeaders(req),
            body: recordedBody(rawBodies.get(req)),
            operation: operationOf(req),
            status: null,
            contentType: null,
            fault: null,
        };
        scrubKnownPasswords(call);
        calls.push(call);
        if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
        callOf.set(req, call);
        res.on('finish', () => {
            call.status = res.statusCode;
            const contentType = res.getHeader('content-type');
            call.contentType = contentType === undefined ? null : String(contentType);
        });
        next();
    });

    router.use(faults.middleware);

    router.use((req, res) => {
        try {
            answer(req, res);
        } catch (err) {
            // A bug of the fake, not an OTRS behaviour: say so plainly.
            if (!res.headersSent) send(res, textOutput(500, `fake OTRS internal error: ${err instanceof Error ? err.message : String(err)}`));
        }
    });

    router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        if (!res.headersSent) res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    });

    function answer(req: Request, res: Response): void {
        const target = locate(req.url);
        if (target.kind === 'notFound') {
            send(res, textOutput(404, 'Not Found'));
            return;
        }
        if (target.kind === 'noWebservice') {
            req.socket.destroy(); // §6: the provider exits without output; mod_perl sends an empty reply
            return;
        }
        const route = matchRoute(req.method, target.path);
        if (!route) {
            send(res, textOutput(500, noOperationMessage(target.path)));
            return;
        }
        const raw = rawBodies.get(req) ?? { kind: 'none' };
        const request = { method: req.method, headers: req.headers, body: raw };
        const input = buildInput(request, parseQuery(target.queryString), route.params, store.setup.version);
        if (input.kind === 'noReply') {
            req.socket.destroy();
            return;
        }
        if (input.kind === 'httpError') {
            send(res, textOutput(input.status, input.message));
            return;
        }
        const result = run(route.operation, input.data);
        if (result.kind === 'noReply') req.socket.destroy();
        else if (result.kind === 'fault') send(res, faultOutput(result.message));
        else send(res, jsonOutput(result.data));
    }

    function run(operation: Operation, data: Record<string, unknown>): OperationResult {
        switch (operation) {
            case 'SessionCreate':
                return sessionCreate(store, data);
            case 'SessionGet':
                return sessionGet(store, data);
            case 'TicketCreate':
                return ticketCreate(store, data);
            case 'TicketUpdate':
                return ticketUpdate(store, data);
            case 'TicketGet':
            case 'TicketGetList':
                return ticketGet(store, data);
            case 'TicketSearch':
                return ticketSearch(store, data);
            case 'TicketHistoryGet':
                return ticketHistoryGet(store, data);
        }
    }

    function operationOf(req: Request): Operation | null {
        const target = locate(req.url);
        return target.kind === 'webservice' ? matchRoute(req.method, target.path)?.operation ?? null : null;
    }

    /** JSON bodies of the control routes (an empty body counts as `{}`). */
    function controlBody(req: Request): { ok: true; value: unknown } | { ok: false; error: string } {
        const raw = rawBodies.get(req);
        if (!raw || raw.kind === 'none') return { ok: true, value: {} };
        if (raw.kind === 'tooLarge') return { ok: false, error: 'body too large' };
        const text = raw.bytes.toString('utf8');
        if (text.trim() === '') return { ok: true, value: {} };
        try {
            return { ok: true, value: JSON.parse(text) as unknown };
        } catch (err) {
            return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
        }
    }

    // ---- what the fake shows ----

    function recordedBody(raw: RawBody | undefined): unknown {
        if (!raw || raw.kind === 'none') return null;
        if (raw.kind === 'tooLarge') return `<${raw.length} bytes, over MaxLength: not read>`;
        const text = raw.bytes.toString('utf8');
        try {
            return cutLongStrings(redact(JSON.parse(text)));
        } catch {
            return cutLongStrings(text.replace(/(Password["']?\s*[:=]\s*["']?)[^"'&,}\s]*/gi, `$1${REDACTED}`));
        }
    }

    /** Every password the fake knows is replaced wherever it shows up in a recorded call. */
    function scrubKnownPasswords(call: OtrsCall): void {
        const secrets = [
            ...store.setup.users.map((user) => user.password),
            ...store.setup.customerUsers.map((customer) => customer.password ?? ''),
        ].filter((secret) => secret.length >= 4);
        if (secrets.length === 0) return;
        const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
        call.path = scrub(call.path);
        call.query = mapStrings(call.query, scrub) as Record<string, unknown>;
        call.headers = mapStrings(call.headers, scrub) as Record<string, string>;
        call.body = mapStrings(call.body, scrub);
    }

    function inspect(): OtrsInspection {
        const tickets: OtrsInspectedTicket[] = [...store.tickets.values()].map((ticket) => ({
            TicketID: ticket.TicketID,
            TicketNumber: ticket.TicketNumber,
            Title: ticket.Title,
            Queue: ticket.Queue,
            State: ticket.State,
            Priority: ticket.Priority,
            CustomerUser: ticket.CustomerUserID,
            CustomerID: ticket.CustomerID,
            Owner: ticket.Owner,
            Created: otrsTimestamp(ticket.createdAt),
            DynamicFields: { ...ticket.dynamicFields },
            articles: ticket.articles.map((article) => ({
                ArticleID: article.ArticleID,
                Subject: article.Subject,
                Body: article.Body,
                ...(article.Html !== null ? { Html: article.Html } : {}),
                ContentType: article.SentContentType,
                From: article.From,
                CommunicationChannel: article.CommunicationChannel,
                IsVisibleForCustomer: article.IsVisibleForCustomer,
                SenderType: article.SenderType,
                ...(article.ArticleType !== null ? { ArticleType: article.ArticleType } : {}),
                CreateTime: otrsTimestamp(article.createdAt),
                Attachments: article.attachments
                    .filter((attachment) => !attachment.htmlBody)
                    .map((attachment) => ({ Filename: attachment.Filename, ContentType: attachment.ContentType, size: attachment.content.length })),
            })),
        }));
        // A deep copy in plain JSON: callers can keep it while the fake goes on.
        return JSON.parse(JSON.stringify({ calls, tickets, sessions: store.liveSessionCount() })) as OtrsInspection;
    }

    function reset(): void {
        store.reset();
        calls = [];
        faults.reset();
    }

    return {
        router,
        faults,
        reset,
        inspect,
        calls: () => inspect().calls,
        configure,
        close: () => faults.close(),
    };
}

/** The AuthFail error of an operation, as Znuny words it (used by the `error200` fault). */
function authFailBody(operation: Operation | null): Record<string, unknown> {
    const op = operation === 'TicketGetList' ? 'TicketGet' : operation ?? 'TicketCreate';
    const message: Record<string, string> = {
        SessionCreate: 'SessionCreate: Authorization failing!',
        SessionGet: 'SessionGet: SessionID is Invalid!',
        TicketCreate: 'TicketCreate: User could not be authenticated!',
        TicketUpdate: 'TicketUpdate: User could not be authenticated!',
    };
    const code = op === 'SessionGet' ? 'SessionGet.SessionInvalid' : `${op}.AuthFail`;
    return { Error: { ErrorCode: code, ErrorMessage: message[op] ?? `${op}: Authorization failing!` } };
}

/** Reads the whole body before anything else (a body over MaxLength is drained, not kept). */
function readRawBody(req: IncomingMessage, maxLength: number): Promise<RawBody> {
    const lengthHeader = req.headers['content-length'];
    const sized = lengthHeader !== undefined;
    const length = sized ? Number(lengthHeader) : 0;
    if (sized && length === 0) return Promise.resolve({ kind: 'none' });
    if (!sized && req.headers['transfer-encoding'] === undefined) return Promise.resolve({ kind: 'none' });
    if (req.readableEnded) {
        // A body parser mounted before the fake already read the stream: use what it kept.
        const parsed = (req as IncomingMessage & { body?: unknown }).body;
        if (Buffer.isBuffer(parsed)) return Promise.resolve({ kind: sized ? 'sized' : 'unsized', bytes: parsed });
        if (parsed === undefined) return Promise.resolve({ kind: 'none' });
        const bytes = Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed), 'utf8');
        return Promise.resolve({ kind: sized ? 'sized' : 'unsized', bytes });
    }
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const tooLarge = sized && length > maxLength;
        let settled = false;
        const finish = () => {
            if (settled) return;
            settled = true;
            if (tooLarge) resolve({ kind: 'tooLarge', length });
            else if (!sized) resolve({ kind: 'unsized', bytes: Buffer.concat(chunks) });
            else resolve({ kind: 'sized', bytes: Buffer.concat(chunks) });
        };
        req.on('data', (chunk: Buffer) => {
            if (tooLarge || kept + chunk.length > maxLength) return; // drained, not kept
            chunks.push(chunk);
            kept += chunk.length;
        });
        req.on('end', finish);
        req.on('error', finish);
        req.on('close', finish);
    });
}

function queryStringOf(url: string): string {
    const question = url.indexOf('?');
    return question === -1 ? '' : url.slice(question + 1);
}

/** Every `Password` key, at any depth, shown as "***". */
function redact(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redact);
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = /^password$/i.test(key) ? REDACTED : redact(item);
        return out;
    }
    return value;
}

function recordedHeaders(req: Request): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const text = Array.isArray(value) ? value.join(', ') : value;
        headers[name] = name === 'x-otrs-header-password' || name === 'authorization' ? REDACTED : text;
    }
    return headers;
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
    if (typeof value === 'string') return map(value);
    if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, map);
        return out;
    }
    return value;
}

function cutLongStrings(value: unknown): unknown {
    return mapStrings(value, (text) =>
        text.length > MAX_RECORDED_STRING ? `${text.slice(0, MAX_RECORDED_STRING)}…[cut: ${text.length} characters]` : text,
    );
}

/** Sends what the transport writes (§6), with `Connection: close` as Znuny's provider does. */
function send(res: Response, output: Output): void {
    const body = Buffer.from(output.body, 'utf8');
    res.status(output.status);
    res.setHeader('Content-Type', output.contentType);
    res.setHeader('Content-Length', body.length);
    res.setHeader('Connection', 'close');
    res.end(body);
}
