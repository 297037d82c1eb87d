/**
 * A fake GLPI legacy REST API (`apirest.php`) for the sandbox, faithful to
 * shared/contracts/glpi.md (GLPI 10.0.15, cited below as §n), quirks included.
 *
 * Mount: `app.use('/fakes/glpi', fake.router)`; the app's `glpi_url` is
 * `<origin>/fakes/glpi/apirest.php` (`<origin>/fakes/glpi/api.php/v1` is served too, as GLPI 11 does).
 *
 * API (all under apirest.php; errors are `["ERROR_CODE", "message"]` arrays, §1.5):
 * - `GET initSession` (`Authorization: user_token <t>` with exactly one space, or `Basic`), `GET killSession`,
 *   `GET getGlpiConfig` → `{"cfg_glpi": {"version", ...}}`, `GET getFullSession`, `GET getMyEntities`,
 *   `GET getActiveEntities`, `POST changeActiveEntities`;
 * - `GET search/User|search/Ticket` (criteria/forcedisplay/range/sort/order), `GET listSearchOptions/:type`;
 * - `GET|POST User`, `GET User/:id`, `GET User/:id/UserEmail`, `GET|POST UserEmail`;
 * - `GET|POST Ticket`, `GET|PUT|PATCH Ticket/:id`, `GET|POST Ticket/:id/ITILFollowup`, `GET Ticket/:id/Ticket_User`;
 * - `GET|POST ITILFollowup` (and the deprecated `TicketFollowup` alias with `tickets_id`).
 *
 * Control routes (never faulted, never recorded): `GET /_inspect`, `POST /_reset`, `GET|POST /_faults`,
 * `GET|POST /_config`, `POST /_ticketStatus {id, status}` (an agent changes a ticket's status).
 */
import { mountControlRoutes } from './controlRoutes';
import { randomBytes } from 'crypto';
import express, { NextFunction, Request, Response, Router } from 'express';
import { createFaultInjector, FaultInjector } from './faults';
import {
    containsMatch,
    GlpiHtmlMode,
    parseQuery,
    QueryObject,
    queryList,
    queryString,
    sanitizeForStorage,
    unsanitize10,
} from './glpi/text';

const CONTROL_PATHS = ['/_inspect', '/_faults', '/_reset', '/_config', '/_ticketStatus'];
export const GLPI_MAX_CALLS = 1000;
export const GLPI_DEFAULT_VERSION = '10.0.15';
export const GLPI_DEFAULT_USER_TOKEN = 'glpi-user-token';
/** The user's `list_limit` (§1.6): the page size when no `range` is given. */
export const GLPI_LIST_LIMIT = 20;
/** `Accept-Range: <itemtype> <max>` */
export const GLPI_MAX_RANGE = 1000;
const BODY_LIMIT = '20mb';

export const GLPI_MESSAGES = {
    ERROR_LOGIN_PARAMETERS_MISSING: 'parameter(s) login, password or user_token are missing',
    ERROR_GLPI_LOGIN_USER_TOKEN: 'parameter user_token seems invalid',
    ERROR_GLPI_LOGIN: 'Incorrect username or password',
    ERROR_LOGIN_WITH_CREDENTIALS_DISABLED: 'cannot use basic authentication with this API',
    ERROR_APP_TOKEN_PARAMETERS_MISSING: 'missing parameter app_token',
    ERROR_WRONG_APP_TOKEN_PARAMETER: 'parameter app_token seems wrong',
    ERROR_SESSION_TOKEN_MISSING: 'parameter session_token is missing or empty',
    ERROR_SESSION_TOKEN_INVALID: 'session_token seems invalid',
    ERROR_ITEM_NOT_FOUND: 'Item not found',
    ERROR_RIGHT_MISSING: "You don't have permission to perform this action.",
    ERROR_BAD_ARRAY: 'input parameter must be an array of objects',
    ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM: 'resource not found or not an instance of CommonDBTM',
    ERROR_RESOURCE_MISSING: 'resource parameter is missing',
    ERROR_RANGE_EXCEED_TOTAL: 'Provided range exceed total count of data',
    ERROR_JSON_PAYLOAD_INVALID: 'JSON payload seems not valid',
    ERROR_JSON_PAYLOAD_FORBIDDEN: 'GET Request should not have json payload (http body)',
    ERROR_METHOD_NOT_ALLOWED: 'Method Not Allowed',
    MANDATORY: 'Mandatory fields are not filled. Please correct: ',
    NO_FOLLOWUP_DESCRIPTION: "You can't add a followup without description",
    INVALID_EMAIL: 'Invalid email address',
    USER_EXISTS: 'Unable to add. The user already exists.',
    INVALID_LOGIN: 'The login is not valid. Unable to add the user.',
} as const;

/** Codes whose message GLPI suffixes with "; view documentation in your browser at <api>/#CODE". */
const DOC_CODES = new Set([
    'ERROR_LOGIN_PARAMETERS_MISSING',
    'ERROR_LOGIN_WITH_CREDENTIALS_DISABLED',
    'ERROR_APP_TOKEN_PARAMETERS_MISSING',
    'ERROR_WRONG_APP_TOKEN_PARAMETER',
    'ERROR_SESSION_TOKEN_MISSING',
    'ERROR_BAD_ARRAY',
    'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM',
    'ERROR_RESOURCE_MISSING',
    'ERROR_RANGE_EXCEED_TOTAL',
    'ERROR_JSON_PAYLOAD_INVALID',
    'ERROR_JSON_PAYLOAD_FORBIDDEN',
    'ERROR_METHOD_NOT_ALLOWED',
]);

export type GlpiRights = 'all' | 'self-service';

export interface GlpiUserTokenConfig {
    token: string;
    userId: number;
    /** 'all' (default) or 'self-service': 403 ERROR_RIGHT_MISSING on users (§6). */
    rights?: GlpiRights;
}

export interface GlpiSeedUser {
    id?: number;
    /** The login. */
    name: string;
    realname?: string;
    firstname?: string;
    phone?: string;
    phone2?: string;
    mobile?: string;
    /** The default e-mail (shortcut for `emails: [email]`). */
    email?: string;
    emails?: string[];
    /** The default entity. Default 0. */
    entities_id?: number;
    /** Login/password for `Authorization: Basic`. */
    password?: string;
}

export interface GlpiEntity {
    id: number;
    name: string;
}

/** `configure(cfg)` / `POST _config`: absent keys stay as they are. */
export interface GlpiFakeConfig {
    userTokens?: GlpiUserTokenConfig[];
    /** null: no API client token required (default). */
    appToken?: string | null;
    version?: string;
    /** Replaces the user table (user 2 "glpi" is kept unless the list has id 2). */
    users?: GlpiSeedUser[];
    entities?: GlpiEntity[];
    /** Creates answer 201 with an empty body and only the Location header (#16177). */
    emptyCreateBody?: boolean;
    /** The next N API calls answer 200 text/html (the login page of a misconfigured server, §1.5). */
    htmlLoginPageCount?: number;
    /** Invalidates every current session now. */
    expireSessions?: true;
    /** Every item call answers 403 ERROR_RIGHT_MISSING (creates included). */
    rightMissing?: boolean;
    /** 'auto' (default) follows the version: 9.5/10 sanitized, 11 raw. */
    html?: 'auto' | 'sanitized' | 'raw';
    /** Ticket template: these Ticket input keys must be non-empty, else 400 ERROR_GLPI_ADD "Mandatory fields…". */
    mandatoryTicketFields?: string[];
    /** The configured API URL used for Location headers (§1.6); default: the URL that was called. */
    urlBaseApi?: string | null;
    /** Basic login/password allowed (default true); false → 400 ERROR_LOGIN_WITH_CREDENTIALS_DISABLED. */
    loginWithCredentials?: boolean;
}

export interface GlpiCallRecord {
    at: string;
    method: string;
    /** Under the mount, e.g. `/apirest.php/Ticket/3`. */
    path: string;
    /** session_token / app_token redacted. */
    query: Record<string, string>;
    /** Lower-cased; session-token and app-token as "***", authorization as "<scheme> ***". */
    headers: Record<string, string>;
    /** null when nothing was answered (fault down/timeout). */
    status: number | null;
    fault: string | null;
}

export interface GlpiFollowupView {
    id: number;
    content: string;
    is_private: number;
    users_id: number;
}

export interface GlpiTicketView {
    id: number;
    name: string;
    content: string;
    entities_id: number;
    type: number;
    urgency: number;
    requesttypes_id: number;
    itilcategories_id: number;
    requesters: number[];
    status: number;
    followups: GlpiFollowupView[];
}

export interface GlpiUserView {
    id: number;
    name: string;
    realname: string;
    firstname: string;
    phone: string;
    phone2: string;
    mobile: string;
    /** The default e-mail, or "" when none. */
    email: string;
    emails: string[];
    entities_id: number;
}

export interface GlpiInspection {
    calls: GlpiCallRecord[];
    /** created = successful initSession; initSessionCalls = every initSession call. */
    sessions: { created: number; active: number; initSessionCalls: number };
    tickets: GlpiTicketView[];
    users: GlpiUserView[];
    config: GlpiConfigState;
}

export interface GlpiConfigState {
    version: string;
    appTokenRequired: boolean;
    userTokens: number;
    emptyCreateBody: boolean;
    htmlLoginPageRemaining: number;
    rightMissing: boolean;
    html: 'sanitized' | 'raw';
    mandatoryTicketFields: string[];
    loginWithCredentials: boolean;
}

export interface GlpiFake {
    router: Router;
    faults: FaultInjector;
    reset(): void;
    inspect(): GlpiInspection;
    /** Throws GlpiConfigError when invalid (then nothing changes). */
    configure(config: GlpiFakeConfig): GlpiConfigState;
    close(): void;
}

export class GlpiConfigError extends Error {}

// ---------------------------------------------------------------- internal state

interface UserRow {
    id: number;
    name: string;
    realname: string;
    firstname: string;
    phone: string;
    phone2: string;
    mobile: string;
    entities_id: number;
    is_active: number;
    password: string | null;
}

interface EmailRow {
    id: number;
    users_id: number;
    email: string;
    is_default: number;
    is_dynamic: number;
}

interface FollowupRow {
    id: number;
    itemtype: 'Ticket';
    items_id: number;
    content: string;
    is_private: number;
    users_id: number;
    requesttypes_id: number;
    date: string;
    date_creation: string;
    date_mod: string;
}

interface TicketRow {
    id: number;
    entities_id: number;
    name: string;
    date: string;
    closedate: string | null;
    solvedate: string | null;
    date_mod: string;
    date_creation: string;
    status: number;
    users_id_recipient: number;
    requesttypes_id: number;
    content: string;
    urgency: number;
    impact: number;
    priority: number;
    itilcategories_id: number;
    type: number;
    is_deleted: number;
    requesters: number[];
}

interface Session {
    userId: number;
    rights: GlpiRights;
    activeEntity: number;
}

interface Settings {
    userTokens: Required<GlpiUserTokenConfig>[];
    appToken: string | null;
    version: string;
    entities: GlpiEntity[];
    emptyCreateBody: boolean;
    rightMissing: boolean;
    html: 'auto' | 'sanitized' | 'raw';
    mandatoryTicketFields: string[];
    urlBaseApi: string | null;
    loginWithCredentials: boolean;
}

const DEFAULT_ENTITIES: GlpiEntity[] = [
    { id: 0, name: 'Root entity' },
    { id: 1, name: 'Cliente Exemplo' },
];

export const GLPI_DEFAULT_USERS: GlpiSeedUser[] = [
    { id: 2, name: 'glpi', realname: '', firstname: '', entities_id: 0, password: 'glpi' },
    {
        id: 7,
        name: 'maria.silva',
        realname: 'Silva',
        firstname: 'Maria',
        phone: '+55 (11) 99999-0000',
        email: 'maria@cliente.com.br',
        entities_id: 1,
    },
    {
        id: 8,
        name: 'joao.souza',
        realname: 'Souza',
        firstname: 'João',
        mobile: '+55 21 98888-1111',
        email: 'joao@matriz.com.br',
        entities_id: 0,
    },
];

class ApiError extends Error {
    constructor(readonly status: number, readonly code: string, readonly detail: unknown) {
        super(code);
    }
}

const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const toInt = (v: unknown): number | null => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    if (typeof v === 'boolean') return v ? 1 : 0;
    return null;
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** `Auth::isValidLogin`: letters, digits, `'@.-_` and space, or a valid e-mail. */
const VALID_LOGIN = /^[\p{L}\p{N}'@.\-_ ]+$/u;

// ---------------------------------------------------------------- the fake

export function createGlpiFake(): GlpiFake {
    let settings: Settings;
    let users: Map<number, UserRow>;
    let emails: EmailRow[];
    let tickets: Map<number, TicketRow>;
    let followups: FollowupRow[];
    let sessions: Map<string, Session>;
    let calls: GlpiCallRecord[];
    let sessionsCreated: number;
    let initSessionCalls: number;
    let htmlLoginPageRemaining: number;
    let nextId: { user: number; email: number; ticket: number; followup: number };
    const callOf = new WeakMap<Request, GlpiCallRecord>();

    const faults = createFaultInjector({
        controlPaths: CONTROL_PATHS,
        error200Body: () => ['ERROR', 'injected fault: error200'],
        onFault: (req, _res, mode) => {
            const call = callOf.get(req);
            if (call) call.fault = mode;
        },
    });

    function initState(): void {
        settings = {
            userTokens: [{ token: GLPI_DEFAULT_USER_TOKEN, userId: 2, rights: 'all' }],
            appToken: null,
            version: GLPI_DEFAULT_VERSION,
            entities: DEFAULT_ENTITIES.map((e) => ({ ...e })),
            emptyCreateBody: false,
            rightMissing: false,
            html: 'auto',
            mandatoryTicketFields: [],
            urlBaseApi: null,
            loginWithCredentials: true,
        };
        tickets = new Map();
        followups = [];
        sessions = new Map();
        calls = [];
        sessionsCreated = 0;
        initSessionCalls = 0;
        htmlLoginPageRemaining = 0;
        nextId = { user: 1, email: 1, ticket: 1, followup: 1 };
        seedUsers(GLPI_DEFAULT_USERS);
    }

    function seedUsers(seed: GlpiSeedUser[]): void {
        users = new Map();
        emails = [];
        nextId.user = 1;
        nextId.email = 1;
        const list = seed.some((u) => u.id === 2) ? seed : [GLPI_DEFAULT_USERS[0], ...seed];
        for (const u of list) {
            const id = u.id ?? Math.max(9, nextId.user);
            users.set(id, {
                id,
                name: u.name,
                realname: u.realname ?? '',
                firstname: u.firstname ?? '',
                phone: u.phone ?? '',
                phone2: u.phone2 ?? '',
                mobile: u.mobile ?? '',
                entities_id: u.entities_id ?? 0,
                is_active: 1,
                password: u.password ?? null,
            });
            nextId.user = Math.max(nextId.user, id + 1);
            const list = [...(u.email ? [u.email] : []), ...(u.emails ?? [])];
            list.forEach((email, i) => {
                emails.push({ id: nextId.email++, users_id: id, email, is_default: i === 0 ? 1 : 0, is_dynamic: 0 });
            });
        }
    }

    initState();

    const htmlMode = (): GlpiHtmlMode => {
        const major = Number(settings.version.split('.')[0]);
        const mode = settings.html === 'auto' ? (major >= 11 ? 'raw' : 'sanitized') : settings.html;
        if (mode === 'raw') return 'raw';
        return major <= 9 ? 'sanitized95' : 'sanitized10';
    };

    function configure(config: GlpiFakeConfig): GlpiConfigState {
        const valid = parseGlpiConfig(config);
        if (valid.userTokens) settings.userTokens = valid.userTokens.map((t) => ({ rights: 'all', ...t }));
        if (valid.appToken !== undefined) settings.appToken = valid.appToken;
        if (valid.version !== undefined) settings.version = valid.version;
        if (valid.entities) settings.entities = valid.entities.map((e) => ({ ...e }));
        if (valid.emptyCreateBody !== undefined) settings.emptyCreateBody = valid.emptyCreateBody;
        if (valid.htmlLoginPageCount !== undefined) htmlLoginPageRemaining = valid.htmlLoginPageCount;
        if (valid.expireSessions) sessions.clear();
        if (valid.rightMissing !== undefined) settings.rightMissing = valid.rightMissing;
        if (valid.html !== undefined) settings.html = valid.html;
        if (valid.mandatoryTicketFields) settings.mandatoryTicketFields = [...valid.mandatoryTicketFields];
        if (valid.urlBaseApi !== undefined) settings.urlBaseApi = valid.urlBaseApi;
        if (valid.loginWithCredentials !== undefined) settings.loginWithCredentials = valid.loginWithCredentials;
        if (valid.users) seedUsers(valid.users);
        return configState();
    }

    function configState(): GlpiConfigState {
        return {
            version: settings.version,
            appTokenRequired: settings.appToken !== null,
            userTokens: settings.userTokens.length,
            emptyCreateBody: settings.emptyCreateBody,
            htmlLoginPageRemaining,
            rightMissing: settings.rightMissing,
            html: htmlMode() === 'raw' ? 'raw' : 'sanitized',
            mandatoryTicketFields: [...settings.mandatoryTicketFields],
            loginWithCredentials: settings.loginWithCredentials,
        };
    }

    // ------------------------------------------------------------ views

    const userEmails = (userId: number) =>
        emails.filter((e) => e.users_id === userId).sort((a, b) => b.is_default - a.is_default || a.id - b.id);

    function inspect(): GlpiInspection {
        const view: GlpiInspection = {
            calls,
            sessions: { created: sessionsCreated, active: sessions.size, initSessionCalls },
            tickets: [...tickets.values()].map((t) => ({
                id: t.id,
                name: t.name,
                content: t.content,
                entities_id: t.entities_id,
                type: t.type,
                urgency: t.urgency,
                requesttypes_id: t.requesttypes_id,
                itilcategories_id: t.itilcategories_id,
                requesters: [...t.requesters],
                status: t.status,
                followups: followups
                    .filter((f) => f.items_id === t.id)
                    .map((f) => ({ id: f.id, content: f.content, is_private: f.is_private, users_id: f.users_id })),
            })),
            users: [...users.values()].map((u) => {
                const list = userEmails(u.id).map((e) => e.email);
                return {
                    id: u.id,
                    name: u.name,
                    realname: u.realname,
                    firstname: u.firstname,
                    phone: u.phone,
                    phone2: u.phone2,
                    mobile: u.mobile,
                    email: list[0] ?? '',
                    emails: list,
                    entities_id: u.entities_id,
                };
            }),
            config: configState(),
        };
        return JSON.parse(JSON.stringify(view)) as GlpiInspection;
    }

    function reset(): void {
        initState();
        faults.reset();
    }

    // ------------------------------------------------------------ router

    const router = express.Router();
    router.use(express.raw({ type: () => true, limit: BODY_LIMIT }));

    mountControlRoutes<GlpiFakeConfig>(router, {
        faults,
        readBody: controlBody,
        inspect,
        reset,
        describeConfig: () => configState(),
        configure,
        isConfigError: (err) => err instanceof GlpiConfigError,
    });
    router.post('/_ticketStatus', (req, res) => {
        const parsed = controlBody(req);
        const body = parsed.ok ? parsed.value : null;
        const id = isPlainObject(body) ? toInt(body.id) : null;
        const status = isPlainObject(body) ? toInt(body.status) : null;
        const ticket = id === null ? undefined : tickets.get(id);
        if (!ticket || status === null || status < 1 || status > 6) {
            res.status(400).json({ error: 'expected {"id": <existing ticket id>, "status": 1..6}' });
            return;
        }
        setTicketStatus(ticket, status);
        res.json({ id: ticket.id, status: ticket.status });
    });
    router.all(CONTROL_PATHS, (req, res) => {
        res.status(405).json({ error: `method ${req.method} not allowed on ${req.path}` });
    });

    // Record every API call, then faults, then the misconfigured-server login page.
    router.use((req, res, next) => {
        const call: GlpiCallRecord = {
            at: new Date().toISOString(),
            method: req.method,
            path: req.path,
            query: recordedQuery(req),
            headers: recordedHeaders(req),
            status: null,
            fault: null,
        };
        calls.push(call);
        if (calls.length > GLPI_MAX_CALLS) calls.splice(0, calls.length - GLPI_MAX_CALLS);
        callOf.set(req, call);
        res.on('finish', () => {
            call.status = res.statusCode;
        });
        next();
    });
    router.use(faults.middleware);
    router.use((_req, res, next) => {
        if (htmlLoginPageRemaining <= 0) {
            next();
            return;
        }
        htmlLoginPageRemaining -= 1;
        res.status(200).type('text/html').send(LOGIN_PAGE);
    });

    const api = express.Router();
    router.use(['/apirest.php', '/api.php/v1'], api);
    api.all('*', (req, res) => {
        try {
            handleApi(req, res);
        } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            sendError(req, res, err);
        }
    });

    router.use((req, res) => {
        res.status(404).type('text/html').send(`<html><body><h1>Not Found</h1><p>${req.path}</p></body></html>`);
    });
    router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
        if (res.headersSent) return;
        const status = (err as { status?: unknown }).status;
        if (typeof status === 'number' && status === 413) {
            res.status(400).json(['ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE', 'The file seems too big']);
            return;
        }
        res.status(500).json(['ERROR', err instanceof Error ? err.message : String(err)]);
        void req;
    });

    function apiBase(req: Request): string {
        return settings.urlBaseApi ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
    }

    function sendError(req: Request, res: Response, err: ApiError): void {
        let detail = err.detail;
        if (typeof detail === 'string' && DOC_CODES.has(err.code)) {
            detail = `${detail}; view documentation in your browser at ${apiBase(req)}/#${err.code}`;
        }
        res.status(err.status).json([err.code, detail]);
    }

    const fail = (status: number, code: string, detail?: unknown): never => {
        throw new ApiError(status, code, detail ?? (GLPI_MESSAGES as Record<string, string>)[code] ?? code);
    };

    // ------------------------------------------------------------ API dispatch

    function handleApi(req: Request, res: Response): void {
        const query = parseQuery(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '');
        const raw = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
        let body: unknown = undefined;
        if (req.method === 'GET' && raw.length > 0) fail(400, 'ERROR_JSON_PAYLOAD_FORBIDDEN');
        if (raw.length > 0) {
            try {
                body = JSON.parse(raw.toString('utf8'));
            } catch {
                fail(400, 'ERROR_JSON_PAYLOAD_INVALID');
            }
        }
        checkAppToken(req, query);

        const segments = req.path.split('/').filter((s) => s !== '').map(decodeURIComponent);
        const first = (segments[0] ?? '').toLowerCase();
        if (first === '') fail(400, 'ERROR_RESOURCE_MISSING');
        if (first === 'initsession') {
            requireMethod(req, ['GET', 'POST']);
            initSession(req, res, query, body);
            return;
        }
        const sessionToken = req.header('session-token') ?? queryString(query.session_token) ?? '';
        if (sessionToken === '') fail(400, 'ERROR_SESSION_TOKEN_MISSING');
        const session = sessions.get(sessionToken);
        if (!session) fail(401, 'ERROR_SESSION_TOKEN_INVALID');
        const s = session as Session;
        const ctx: Ctx = { req, res, query, body, session: s, decode: wantsDecoded(req) };

        switch (first) {
            case 'killsession':
                requireMethod(req, ['GET']);
                sessions.delete(sessionToken);
                res.status(200).json(true);
                return;
            case 'getglpiconfig':
                requireMethod(req, ['GET']);
                res.json({
                    cfg_glpi: {
                        version: settings.version,
                        dbversion: settings.version,
                        url_base: apiBase(req).replace(/\/(apirest\.php|api\.php\/v1)$/, ''),
                        url_base_api: apiBase(req),
                        list_limit: GLPI_LIST_LIMIT,
                        list_limit_max: 50,
                        enable_api: 1,
                        enable_api_login_credentials: settings.loginWithCredentials ? 1 : 0,
                        enable_api_login_external_token: 1,
                    },
                });
                return;
            case 'getfullsession':
                requireMethod(req, ['GET']);
                res.json({ session: fullSession(s) });
                return;
            case 'getmyentities':
                requireMethod(req, ['GET']);
                res.json({ myentities: settings.entities.map((e) => ({ id: e.id, name: e.name })) });
                return;
            case 'getactiveentities':
                requireMethod(req, ['GET']);
                res.json({
                    active_entity: {
                        id: s.activeEntity,
                        active_entity_recursive: true,
                        active_entities: settings.entities.map((e) => ({ id: e.id })),
                    },
                });
                return;
            case 'changeactiveentities': {
                requireMethod(req, ['POST']);
                const input = isPlainObject(body) ? body : {};
                if (input.is_recursive !== undefined && typeof input.is_recursive !== 'boolean') {
                    fail(400, 'ERROR', 'Bad Request');
                }
                const target = input.entities_id === 'all' ? 0 : toInt(input.entities_id);
                if (target === null || !settings.entities.some((e) => e.id === target)) fail(400, 'ERROR', 'Bad Request');
                s.activeEntity = target as number;
                res.status(200).json(true);
                return;
            }
            case 'search':
                requireMethod(req, ['GET']);
                search(ctx, segments[1]);
                return;
            case 'listsearchoptions':
                requireMethod(req, ['GET']);
                listSearchOptions(ctx, segments[1]);
                return;
            default:
                item(ctx, segments);
        }
    }

    interface Ctx {
        req: Request;
        res: Response;
        query: QueryObject;
        body: unknown;
        session: Session;
        /** `X-GLPI-Sanitized-Content: false` on 10.x: reads return decoded text. */
        decode: boolean;
    }

    function wantsDecoded(req: Request): boolean {
        return htmlMode() === 'sanitized10' && (req.header('x-glpi-sanitized-content') ?? '').toLowerCase() === 'false';
    }

    function requireMethod(req: Request, methods: string[]): void {
        if (!methods.includes(req.method)) fail(405, 'ERROR_METHOD_NOT_ALLOWED');
    }

    function checkAppToken(req: Request, query: QueryObject): void {
        if (settings.appToken === null) return;
        const given = req.header('app-token') ?? queryString(query.app_token);
        if (given === undefined || given === '') fail(400, 'ERROR_APP_TOKEN_PARAMETERS_MISSING');
        if (given !== settings.appToken) fail(400, 'ERROR_WRONG_APP_TOKEN_PARAMETER');
    }

    function initSession(req: Request, res: Response, query: QueryObject, body: unknown): void {
        initSessionCalls += 1;
        const header = req.header('authorization') ?? '';
        // APIRest::parseIncomingParams: explode(' ', header) and take the second piece.
        const parts = header.split(' ');
        const scheme = (parts[0] ?? '').toLowerCase();
        const credential = parts[1] ?? '';
        let userToken = queryString(query.user_token) ?? (isPlainObject(body) && typeof body.user_token === 'string' ? body.user_token : '');
        let login = queryString(query.login) ?? '';
        let password = queryString(query.password) ?? '';
        if (scheme === 'user_token' && credential !== '') userToken = credential;
        if (scheme === 'basic' && credential !== '') {
            const decoded = Buffer.from(credential, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon > 0) {
                login = decoded.slice(0, colon);
                password = decoded.slice(colon + 1);
            }
        }
        let userId: number;
        let rights: GlpiRights = 'all';
        if (userToken !== '') {
            const known = settings.userTokens.find((t) => t.token === userToken);
            if (!known || !users.has(known.userId)) fail(401, 'ERROR_GLPI_LOGIN_USER_TOKEN');
            userId = (known as Required<GlpiUserTokenConfig>).userId;
            rights = (known as Required<GlpiUserTokenConfig>).rights;
        } else if (login !== '' && password !== '') {
            if (!settings.loginWithCredentials) fail(400, 'ERROR_LOGIN_WITH_CREDENTIALS_DISABLED');
            const user = [...users.values()].find((u) => u.name === login && u.password !== null && u.password === password);
            if (!user) fail(401, 'ERROR_GLPI_LOGIN');
            userId = (user as UserRow).id;
            rights = settings.userTokens.find((t) => t.userId === userId)?.rights ?? 'all';
        } else {
            fail(400, 'ERROR_LOGIN_PARAMETERS_MISSING');
            return;
        }
        const token = randomBytes(13).toString('hex'); // a PHP session id: 26 [0-9a-f]
        const session: Session = { userId, rights, activeEntity: users.get(userId)?.entities_id ?? 0 };
        sessions.set(token, session);
        sessionsCreated += 1;
        const answer: Record<string, unknown> = { session_token: token };
        if (queryString(query.get_full_session) === 'true') answer.session = fullSession(session);
        res.status(200).json(answer);
    }

    function fullSession(s: Session): Record<string, unknown> {
        const user = users.get(s.userId);
        return {
            glpiID: s.userId,
            glpiname: user?.name ?? '',
            glpi_currenttime: now(),
            glpidefault_entity: user?.entities_id ?? 0,
            glpiactive_entity: s.activeEntity,
            glpiactiveentities: settings.entities.map((e) => e.id),
            glpiactiveprofile: { id: s.rights === 'all' ? 4 : 1, name: s.rights === 'all' ? 'Super-Admin' : 'Self-Service' },
            glpilist_limit: GLPI_LIST_LIMIT,
        };
    }

    // ------------------------------------------------------------ items

    const ITEMTYPES: Record<string, string> = {
        ticket: 'Ticket',
        user: 'User',
        useremail: 'UserEmail',
        itilfollowup: 'ITILFollowup',
        ticketfollowup: 'TicketFollowup',
        ticket_user: 'Ticket_User',
        entity: 'Entity',
    };

    function itemtypeOf(segment: string | undefined, code = 'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM'): string {
        if (segment === undefined || segment === '') fail(400, 'ERROR_RESOURCE_MISSING');
        const type = ITEMTYPES[(segment as string).toLowerCase()];
        if (!type) fail(400, code, GLPI_MESSAGES.ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM);
        return type;
    }

    function checkRead(ctx: Ctx, itemtype: string): void {
        if (settings.rightMissing) fail(403, 'ERROR_RIGHT_MISSING');
        if (ctx.session.rights === 'self-service' && (itemtype === 'User' || itemtype === 'UserEmail')) fail(403, 'ERROR_RIGHT_MISSING');
    }

    function item(ctx: Ctx, segments: string[]): void {
        const { req } = ctx;
        const itemtype = itemtypeOf(segments[0]);
        const idSeg = segments[1];
        const subSeg = segments[2];
        if (segments.length > 3) fail(400, 'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM');
        checkRead(ctx, itemtype);

        if (idSeg === undefined) {
            if (req.method === 'GET') return listItems(ctx, itemtype);
            if (req.method === 'POST') return createItems(ctx, itemtype, null);
            fail(405, 'ERROR_METHOD_NOT_ALLOWED');
        }
        const id = toInt(idSeg);
        if (id === null) fail(400, 'ERROR_ITEM_NOT_FOUND', GLPI_MESSAGES.ERROR_ITEM_NOT_FOUND);
        if (subSeg !== undefined) {
            const subtype = itemtypeOf(subSeg, 'ERROR_ITEMTYPE_NOT_FOUND_NOR_COMMONDBTM');
            checkRead(ctx, subtype);
            if (!getRow(itemtype, id as number)) fail(404, 'ERROR_ITEM_NOT_FOUND');
            if (req.method === 'GET') return listItems(ctx, subtype, { itemtype, id: id as number });
            if (req.method === 'POST') return createItems(ctx, subtype, { itemtype, id: id as number });
            fail(405, 'ERROR_METHOD_NOT_ALLOWED');
        }
        if (req.method === 'GET') {
            const row = getRow(itemtype, id as number);
            if (!row) fail(404, 'ERROR_ITEM_NOT_FOUND');
            const out = render(ctx, itemtype, row as Record<string, unknown>);
            if (queryString(ctx.query.get_hateoas) !== 'false') out.links = links(ctx, itemtype, row as Record<string, unknown>);
            if (typeof out.date_mod === 'string') ctx.res.setHeader('Last-Modified', new Date(`${out.date_mod}Z`).toUTCString());
            ctx.res.status(200).json(out);
            return;
        }
        if (req.method === 'PUT' || req.method === 'PATCH') return updateItem(ctx, itemtype, id as number);
        fail(405, 'ERROR_METHOD_NOT_ALLOWED');
    }

    function getRow(itemtype: string, id: number): object | undefined {
        switch (itemtype) {
            case 'Ticket':
                return publicTicket(tickets.get(id));
            case 'User':
                return publicUser(users.get(id));
            case 'UserEmail':
                return emails.find((e) => e.id === id);
            case 'ITILFollowup':
            case 'TicketFollowup': {
                const f = followups.find((x) => x.id === id);
                if (!f) return undefined;
                return itemtype === 'TicketFollowup' ? deprecatedFollowup(f) : f;
            }
            case 'Ticket_User':
                return ticketUsers().find((r) => r.id === id);
            case 'Entity': {
                const e = settings.entities.find((x) => x.id === id);
                return e && { id: e.id, name: e.name, completename: entityName(e.id), entities_id: e.id === 0 ? -1 : 0 };
            }
        }
        return undefined;
    }

    function publicTicket(t: TicketRow | undefined): object | undefined {
        if (!t) return undefined;
        const { requesters: _r, ...rest } = t;
        void _r;
        return rest;
    }

    function publicUser(u: UserRow | undefined): object | undefined {
        if (!u) return undefined;
        const { password: _p, ...rest } = u;
        void _p;
        return { ...rest, api_token: null, personal_token: null, password: '' };
    }

    function deprecatedFollowup(f: FollowupRow): object {
        const { itemtype: _t, items_id, ...rest } = f;
        void _t;
        return { ...rest, tickets_id: items_id };
    }

    function ticketUsers(): Array<{ id: number; tickets_id: number; users_id: number; type: number; use_notification: number; alternative_email: string }> {
        const rows: Array<{ id: number; tickets_id: number; users_id: number; type: number; use_notification: number; alternative_email: string }> = [];
        for (const t of tickets.values()) {
            for (const u of t.requesters) {
                rows.push({ id: t.id * 1000 + u, tickets_id: t.id, users_id: u, type: 1, use_notification: 1, alternative_email: '' });
            }
        }
        return rows;
    }

    function entityName(id: number): string {
        if (id === 0) return settings.entities.find((e) => e.id === 0)?.name ?? 'Root entity';
        const e = settings.entities.find((x) => x.id === id);
        return `${entityName(0)} > ${e?.name ?? `Entity ${id}`}`;
    }

    /** Text fields decoded for `X-GLPI-Sanitized-Content: false`. */
    function render(ctx: Ctx, _itemtype: string, row: Record<string, unknown>): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) out[k] = ctx.decode && typeof v === 'string' ? unsanitize10(v) : v;
        return out;
    }

    function links(ctx: Ctx, itemtype: string, row: Record<string, unknown>): Array<{ rel: string; href: string }> {
        const base = apiBase(ctx.req);
        const out: Array<{ rel: string; href: string }> = [];
        if (typeof row.entities_id === 'number') out.push({ rel: 'Entity', href: `${base}/Entity/${row.entities_id}` });
        if (itemtype === 'Ticket') {
            out.push({ rel: 'ITILFollowup', href: `${base}/Ticket/${String(row.id)}/ITILFollowup/` });
            out.push({ rel: 'Ticket_User', href: `${base}/Ticket/${String(row.id)}/Ticket_User/` });
        }
        if (itemtype === 'User') out.push({ rel: 'UserEmail', href: `${base}/User/${String(row.id)}/UserEmail/` });
        return out;
    }

    /** Columns `searchText[...]` may filter on, per itemtype (anything else is an SQL error, §6). */
    function listRows(itemtype: string, parent: { itemtype: string; id: number } | null): Array<Record<string, unknown>> {
        const all = (): object[] => {
            switch (itemtype) {
                case 'Ticket':
                    return [...tickets.values()].map((t) => publicTicket(t) as object);
                case 'User':
                    return [...users.values()].map((u) => publicUser(u) as object);
                case 'UserEmail':
                    return emails;
                case 'ITILFollowup':
                    return followups;
                case 'TicketFollowup':
                    return followups.map(deprecatedFollowup);
                case 'Ticket_User':
                    return ticketUsers();
                case 'Entity':
                    return settings.entities.map((e) => getRow('Entity', e.id) as object);
            }
            return [];
        };
        let rows = all() as Array<Record<string, unknown>>;
        if (parent) {
            rows = rows.filter((r) => {
                if (parent.itemtype === 'Ticket') {
                    if (itemtype === 'ITILFollowup') return r.items_id === parent.id;
                    if (itemtype === 'TicketFollowup' || itemtype === 'Ticket_User') return r.tickets_id === parent.id;
                }
                if (parent.itemtype === 'User' && itemtype === 'UserEmail') return r.users_id === parent.id;
                if (parent.itemtype === 'User' && itemtype === 'Ticket_User') return r.users_id === parent.id;
                return false;
            });
        }
        return rows;
    }

    function parseRange(ctx: Ctx): { start: number; end: number } {
        const range = queryString(ctx.query.range);
        const m = range === undefined ? null : /^(\d+)-(\d+)$/.exec(range);
        if (!m) return { start: 0, end: GLPI_LIST_LIMIT - 1 };
        const start = Number(m[1]);
        return { start, end: Math.max(start, Math.min(Number(m[2]), start + GLPI_MAX_RANGE - 1)) };
    }

    function listItems(ctx: Ctx, itemtype: string, parent: { itemtype: string; id: number } | null = null): void {
        let rows = listRows(itemtype, parent);
        const searchText = ctx.query.searchText;
        if (isPlainObject(searchText)) {
            for (const [field, value] of Object.entries(searchText)) {
                if (typeof value !== 'string') continue;
                if (rows.length > 0 && !(field in rows[0])) {
                    // §6: an unknown column (e.g. Ticket externalid on 10.0.15) → 200 with an empty body.
                    ctx.res.status(200).end();
                    return;
                }
                if (value === '') continue;
                rows = rows.filter((r) => containsMatch(String(r[field] ?? ''), value));
            }
        }
        const sortField = queryString(ctx.query.sort) ?? 'id';
        const desc = (queryString(ctx.query.order) ?? 'ASC').toUpperCase() === 'DESC';
        rows = [...rows].sort((a, b) => compare(a[sortField], b[sortField]) * (desc ? -1 : 1));
        if (queryString(ctx.query.only_id) === 'true') rows = rows.map((r) => ({ id: r.id }));
        page(ctx, itemtype, rows.map((r) => render(ctx, itemtype, r)), (slice, range, status) => {
            ctx.res.status(status).json(slice);
            void range;
        });
    }

    function compare(a: unknown, b: unknown): number {
        if (typeof a === 'number' && typeof b === 'number') return a - b;
        return String(a ?? '').localeCompare(String(b ?? ''));
    }

    /** 200 when everything fits, else 206; Content-Range `start-end/total`, Accept-Range `<type> <max>`. */
    function page<T>(ctx: Ctx, itemtype: string, rows: T[], send: (slice: T[], contentRange: string, status: number) => void): void {
        const { start, end } = parseRange(ctx);
        const total = rows.length;
        if (total > 0 && start >= total) fail(400, 'ERROR_RANGE_EXCEED_TOTAL');
        const slice = rows.slice(start, end + 1);
        const last = total === 0 ? 0 : start + slice.length - 1;
        const contentRange = `${start}-${last}/${total}`;
        ctx.res.setHeader('Content-Range', contentRange);
        ctx.res.setHeader('Accept-Range', `${itemtype} ${GLPI_MAX_RANGE}`);
        send(slice, contentRange, slice.length >= total ? 200 : 206);
    }

    // ------------------------------------------------------------ create / update

    function createItems(ctx: Ctx, itemtype: string, parent: { itemtype: string; id: number } | null): void {
        if (settings.rightMissing) fail(403, 'ERROR_RIGHT_MISSING');
        const body = ctx.body;
        if (!isPlainObject(body) || !(isPlainObject(body.input) || Array.isArray(body.input))) fail(400, 'ERROR_BAD_ARRAY');
        const input = (body as Record<string, unknown>).input;
        const base = apiBase(ctx.req);
        const one = (raw: unknown): { id: number | false; message: string } => {
            if (!isPlainObject(raw)) return { id: false, message: GLPI_MESSAGES.ERROR_BAD_ARRAY };
            const fields: Record<string, unknown> = { ...raw };
            if (parent && parent.itemtype === 'Ticket' && (itemtype === 'ITILFollowup' || itemtype === 'TicketFollowup')) {
                fields.itemtype = 'Ticket';
                fields.items_id = parent.id;
                fields.tickets_id = parent.id;
            }
            if (parent && parent.itemtype === 'User' && itemtype === 'UserEmail') fields.users_id = parent.id;
            try {
                return { id: addOne(ctx, itemtype, fields), message: '' };
            } catch (err) {
                if (err instanceof ApiError) return { id: false, message: String(err.detail) };
                throw err;
            }
        };
        if (Array.isArray(input)) {
            const results = input.map(one);
            const ok = results.filter((r) => r.id !== false);
            if (ok.length === 0) fail(400, 'ERROR_GLPI_ADD', results);
            if (ok.length < results.length) {
                ctx.res.status(207).json(['ERROR_GLPI_PARTIAL_ADD', results]);
                return;
            }
            ctx.res.setHeader('Link', results.map((r) => `${base}/${itemtype}/${String(r.id)}`).join(','));
            if (settings.emptyCreateBody) ctx.res.status(201).end();
            else ctx.res.status(201).json(results);
            return;
        }
        const result = one(input);
        if (result.id === false) fail(400, 'ERROR_GLPI_ADD', result.message);
        ctx.res.setHeader('Location', `${base}/${itemtype}/${String(result.id)}`);
        if (settings.emptyCreateBody) ctx.res.status(201).end();
        else ctx.res.status(201).json(result);
    }

    function addOne(ctx: Ctx, itemtype: string, input: Record<string, unknown>): number {
        switch (itemtype) {
            case 'Ticket':
                return addTicket(ctx, input);
            case 'User':
                return addUser(ctx, input);
            case 'UserEmail':
                return addUserEmail(input);
            case 'ITILFollowup':
                return addFollowup(ctx, input);
            case 'TicketFollowup':
                // The deprecated alias maps tickets_id ↔ items_id (§1.8).
                return addFollowup(ctx, { ...input, itemtype: 'Ticket', items_id: input.items_id ?? input.tickets_id });
        }
        return fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.ERROR_RIGHT_MISSING);
    }

    const store = (v: unknown): string => sanitizeForStorage(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v), htmlMode());
    const noPermission = (): never => fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.ERROR_RIGHT_MISSING);

    function requesterIds(input: Record<string, unknown>, fallback: number): number[] {
        const out: number[] = [];
        const add = (v: unknown) => {
            const id = toInt(v);
            if (id !== null && id > 0 && !out.includes(id)) out.push(id);
        };
        const direct = input._users_id_requester;
        if (Array.isArray(direct)) direct.forEach(add);
        else if (direct !== undefined) add(direct);
        const actors = input._actors;
        if (isPlainObject(actors) && Array.isArray(actors.requester)) {
            for (const a of actors.requester) if (isPlainObject(a) && a.itemtype === 'User') add(a.items_id);
        }
        if (direct === undefined && out.length === 0) add(fallback);
        return out;
    }

    function addTicket(ctx: Ctx, input: Record<string, unknown>): number {
        const missing = settings.mandatoryTicketFields.filter((f) => {
            const v = input[f];
            return v === undefined || v === null || v === '' || v === 0 || v === '0';
        });
        if (missing.length > 0) fail(400, 'ERROR_GLPI_ADD', `${GLPI_MESSAGES.MANDATORY}${missing.join(', ')}`);
        const name = typeof input.name === 'string' ? input.name : '';
        const content = typeof input.content === 'string' ? input.content : '';
        if (name.trim() === '' && content.trim() === '') fail(400, 'ERROR_GLPI_ADD', `${GLPI_MESSAGES.MANDATORY}Title, Description`);
        const entity = input.entities_id === undefined ? ctx.session.activeEntity : toInt(input.entities_id);
        if (entity === null || !settings.entities.some((e) => e.id === entity)) noPermission();
        const notif = input._users_id_requester_notif;
        if (isPlainObject(notif) && Array.isArray(notif.alternative_email)) {
            for (const e of notif.alternative_email) {
                if (typeof e === 'string' && e !== '' && !EMAIL.test(e)) fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.INVALID_EMAIL);
            }
        }
        const int = (v: unknown, dflt: number, min: number, max: number) => {
            const n = toInt(v);
            return n === null || n < min || n > max ? dflt : n;
        };
        const urgency = int(input.urgency, 3, 1, 5);
        const impact = int(input.impact, 3, 1, 5);
        const date = now();
        // GLPI makes a title from the first 70 chars of the content's text when it is empty.
        const title = name.trim() !== '' ? name : content.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 70);
        const hasAssign = input._users_id_assign !== undefined || input._groups_id_assign !== undefined;
        const t: TicketRow = {
            id: nextId.ticket++,
            entities_id: entity as number,
            name: store(title),
            date,
            closedate: null,
            solvedate: null,
            date_mod: date,
            date_creation: date,
            status: int(input.status, hasAssign ? 2 : 1, 1, 6),
            users_id_recipient: ctx.session.userId,
            requesttypes_id: int(input.requesttypes_id, 1, 0, Number.MAX_SAFE_INTEGER),
            content: store(content),
            urgency,
            impact,
            priority: Math.min(5, Math.max(1, Math.round((urgency + impact) / 2))),
            itilcategories_id: int(input.itilcategories_id, 0, 0, Number.MAX_SAFE_INTEGER),
            type: int(input.type, 1, 1, 2),
            is_deleted: 0,
            requesters: requesterIds(input, ctx.session.userId),
        };
        tickets.set(t.id, t);
        return t.id;
    }

    function addUser(ctx: Ctx, input: Record<string, unknown>): number {
        const login = typeof input.name === 'string' ? input.name.trim() : '';
        if (login === '' || !(VALID_LOGIN.test(login) || EMAIL.test(login))) fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.INVALID_LOGIN);
        if ([...users.values()].some((u) => u.name.toLowerCase() === login.toLowerCase())) fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.USER_EXISTS);
        const entity = input.entities_id === undefined ? ctx.session.activeEntity : toInt(input.entities_id);
        if (entity === null || !settings.entities.some((e) => e.id === entity)) noPermission();
        // _useremails: a map id → email (or a list); non-existing ids become new rows; _default_email picks the default.
        const given = input._useremails;
        const list: Array<[string, string]> = Array.isArray(given)
            ? given.map((e, i) => [String(i), String(e)])
            : isPlainObject(given)
            ? Object.entries(given).map(([k, v]) => [k, String(v)])
            : [];
        for (const [, e] of list) if (e !== '' && !EMAIL.test(e)) fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.INVALID_EMAIL);
        const text = (v: unknown) => (typeof v === 'string' ? sanitizeForStorage(v, htmlMode()) : v === undefined || v === null ? '' : String(v));
        const id = nextId.user++;
        users.set(id, {
            id,
            name: sanitizeForStorage(login, htmlMode()),
            realname: text(input.realname),
            firstname: text(input.firstname),
            phone: text(input.phone),
            phone2: text(input.phone2),
            mobile: text(input.mobile),
            entities_id: entity as number,
            is_active: input.is_active === undefined ? 1 : toInt(input.is_active) ?? 1,
            password: null,
        });
        const defaultKey = input._default_email === undefined ? undefined : String(input._default_email);
        const filled = list.filter(([, e]) => e !== '');
        filled.forEach(([key, email], i) => {
            const isDefault = defaultKey === undefined ? i === 0 : key === defaultKey;
            emails.push({ id: nextId.email++, users_id: id, email, is_default: isDefault ? 1 : 0, is_dynamic: 0 });
        });
        if (filled.length > 0 && !emails.some((e) => e.users_id === id && e.is_default === 1)) {
            const firstRow = emails.find((e) => e.users_id === id);
            if (firstRow) firstRow.is_default = 1;
        }
        return id;
    }

    function addUserEmail(input: Record<string, unknown>): number {
        const userId = toInt(input.users_id);
        if (userId === null || !users.has(userId)) noPermission();
        const email = typeof input.email === 'string' ? input.email.trim() : '';
        if (!EMAIL.test(email)) fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.INVALID_EMAIL);
        const isDefault = toInt(input.is_default) === 1;
        if (isDefault) for (const e of emails) if (e.users_id === userId) e.is_default = 0;
        const first = !emails.some((e) => e.users_id === userId);
        const row: EmailRow = { id: nextId.email++, users_id: userId as number, email, is_default: isDefault || first ? 1 : 0, is_dynamic: 0 };
        emails.push(row);
        return row.id;
    }

    function addFollowup(ctx: Ctx, input: Record<string, unknown>): number {
        if (input.itemtype !== 'Ticket') noPermission();
        const ticketId = toInt(input.items_id);
        const ticket = ticketId === null ? undefined : tickets.get(ticketId);
        // The parent must exist (and be open to follow-ups): the can(CREATE) check fails first.
        if (!ticket || ticket.status === 6) return noPermission();
        const content = typeof input.content === 'string' ? input.content : '';
        if (content.trim() === '') fail(400, 'ERROR_GLPI_ADD', GLPI_MESSAGES.NO_FOLLOWUP_DESCRIPTION);
        const date = now();
        const f: FollowupRow = {
            id: nextId.followup++,
            itemtype: 'Ticket',
            items_id: ticket.id,
            content: store(content),
            is_private: toInt(input.is_private) === 1 ? 1 : 0,
            users_id: ctx.session.userId,
            requesttypes_id: toInt(input.requesttypes_id) ?? 1,
            date,
            date_creation: date,
            date_mod: date,
        };
        followups.push(f);
        ticket.date_mod = date;
        // §1.8: only a requester who is not an assignee reopens; `add_reopen` forces it.
        const reopen = toInt(input.add_reopen) === 1 || (ticket.requesters.includes(ctx.session.userId) && ticket.status >= 4);
        if (reopen && ticket.status >= 4 && ticket.status <= 6) setTicketStatus(ticket, 1);
        if (toInt(input.pending) === 1) setTicketStatus(ticket, 4);
        return f.id;
    }

    function setTicketStatus(ticket: TicketRow, status: number): void {
        const date = now();
        ticket.status = status;
        ticket.date_mod = date;
        ticket.solvedate = status >= 5 ? ticket.solvedate ?? date : null;
        ticket.closedate = status === 6 ? date : null;
    }

    function updateItem(ctx: Ctx, itemtype: string, id: number): void {
        if (settings.rightMissing) fail(403, 'ERROR_RIGHT_MISSING');
        const body = ctx.body;
        if (!isPlainObject(body) || !isPlainObject(body.input)) fail(400, 'ERROR_BAD_ARRAY');
        const input = (body as { input: Record<string, unknown> }).input;
        if (itemtype !== 'Ticket') fail(400, 'ERROR_GLPI_UPDATE', GLPI_MESSAGES.ERROR_RIGHT_MISSING);
        const t = tickets.get(id);
        if (!t) fail(400, 'ERROR_GLPI_UPDATE', GLPI_MESSAGES.ERROR_ITEM_NOT_FOUND);
        const ticket = t as TicketRow;
        if (input.name !== undefined) ticket.name = store(input.name);
        if (input.content !== undefined) ticket.content = store(input.content);
        for (const key of ['urgency', 'impact', 'type', 'requesttypes_id', 'itilcategories_id', 'entities_id'] as const) {
            const n = toInt(input[key]);
            if (n !== null) ticket[key] = n;
        }
        const status = toInt(input.status);
        if (status !== null && status >= 1 && status <= 6) setTicketStatus(ticket, status);
        else ticket.date_mod = now();
        ctx.res.status(200).json([{ [String(id)]: true, message: '' }]);
    }

    // ------------------------------------------------------------ search

    interface SearchOption {
        name: string;
        field: string;
        /** Values a criterion matches against. */
        values: (row: Record<string, unknown>) => string[];
        /** What the result row shows. */
        display: (row: Record<string, unknown>) => unknown;
        equals?: (row: Record<string, unknown>, value: string) => boolean;
    }

    const column = (field: string): Pick<SearchOption, 'values' | 'display'> => ({
        values: (r) => [String(r[field] ?? '')],
        display: (r) => r[field] ?? null,
    });

    const STATUS_GROUPS: Record<string, number[]> = {
        notold: [1, 2, 3, 4],
        notclosed: [1, 2, 3, 4, 5],
        process: [2, 3],
        old: [5, 6],
        all: [1, 2, 3, 4, 5, 6],
    };

    const userName = (id: number) => users.get(id)?.name ?? '';

    const SEARCH_OPTIONS: Record<string, Record<string, SearchOption>> = {
        User: {
            '1': { name: 'Login', field: 'name', ...column('name') },
            '2': { name: 'ID', field: 'id', ...column('id') },
            '34': { name: 'Last name', field: 'realname', ...column('realname') },
            '9': { name: 'First name', field: 'firstname', ...column('firstname') },
            '5': {
                name: 'Emails',
                field: 'email',
                values: (r) => userEmails(Number(r.id)).map((e) => e.email),
                display: (r) => userEmails(Number(r.id))[0]?.email ?? null,
            },
            '6': { name: 'Phone', field: 'phone', ...column('phone') },
            '10': { name: 'Phone 2', field: 'phone2', ...column('phone2') },
            '11': { name: 'Mobile phone', field: 'mobile', ...column('mobile') },
            '8': { name: 'Active', field: 'is_active', ...column('is_active') },
            '80': {
                name: 'Entity',
                field: 'completename',
                values: (r) => [entityName(Number(r.entities_id))],
                display: (r) => entityName(Number(r.entities_id)),
                equals: (r, v) => String(r.entities_id) === v,
            },
        },
        Ticket: {
            '1': { name: 'Title', field: 'name', ...column('name') },
            '2': { name: 'ID', field: 'id', ...column('id') },
            '21': { name: 'Description', field: 'content', ...column('content') },
            '12': {
                name: 'Status',
                field: 'status',
                ...column('status'),
                equals: (r, v) => (STATUS_GROUPS[v] ?? [Number(v)]).includes(Number(r.status)),
            },
            '15': { name: 'Opening date', field: 'date', ...column('date') },
            '19': { name: 'Last update', field: 'date_mod', ...column('date_mod') },
            '4': {
                name: 'Requester',
                field: 'name',
                values: (r) => (r.requesters as number[]).map(userName),
                display: (r) => {
                    const names = (r.requesters as number[]).map(userName);
                    return names.length === 0 ? null : names.length === 1 ? names[0] : names;
                },
                equals: (r, v) => (r.requesters as number[]).map(String).includes(v),
            },
            '80': {
                name: 'Entity',
                field: 'completename',
                values: (r) => [entityName(Number(r.entities_id))],
                display: (r) => entityName(Number(r.entities_id)),
                equals: (r, v) => String(r.entities_id) === v,
            },
            '7': { name: 'Category', field: 'itilcategories_id', ...column('itilcategories_id') },
            '14': { name: 'Type', field: 'type', ...column('type') },
            '10': { name: 'Urgency', field: 'urgency', ...column('urgency') },
            '3': { name: 'Priority', field: 'priority', ...column('priority') },
            '9': { name: 'Request source', field: 'requesttypes_id', ...column('requesttypes_id') },
        },
    };

    function searchableType(segment: string | undefined): 'User' | 'Ticket' {
        const type = itemtypeOf(segment);
        if (type !== 'User' && type !== 'Ticket') fail(400, 'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM');
        return type as 'User' | 'Ticket';
    }

    function listSearchOptions(ctx: Ctx, segment: string | undefined): void {
        const type = searchableType(segment);
        checkRead(ctx, type);
        const out: Record<string, unknown> = { common: 'Characteristics' };
        for (const [id, o] of Object.entries(SEARCH_OPTIONS[type])) {
            out[id] = { name: o.name, table: `glpi_${type.toLowerCase()}s`, field: o.field, datatype: 'string', available_searchtypes: ['contains', 'notcontains', 'equals', 'notequals'], uid: `${type}.${o.field}` };
        }
        ctx.res.json(out);
    }

    function search(ctx: Ctx, segment: string | undefined): void {
        const type = searchableType(segment);
        checkRead(ctx, type);
        const options = SEARCH_OPTIONS[type];
        const rows: Array<Record<string, unknown>> =
            type === 'Ticket'
                ? [...tickets.values()].map((t) => ({ ...t }))
                : [...users.values()].map((u) => publicUser(u) as Record<string, unknown>);

        interface Criterion {
            link: string;
            test: (row: Record<string, unknown>) => boolean;
            field: string;
        }
        const criteria: Criterion[] = [];
        for (const c of queryList(ctx.query.criteria)) {
            if (!isPlainObject(c)) continue;
            const field = queryString(c.field) ?? '';
            const searchtype = (queryString(c.searchtype) ?? 'contains').toLowerCase();
            const value = queryString(c.value) ?? '';
            const link = (queryString(c.link) ?? 'AND').toUpperCase();
            const option = options[field];
            if (!option) fail(400, 'ERROR', `Bad Request: unknown search option ${JSON.stringify(field)} for ${type}`);
            const o = option as SearchOption;
            const equals = (r: Record<string, unknown>) => (o.equals ? o.equals(r, value) : o.values(r).includes(value));
            let test: (r: Record<string, unknown>) => boolean;
            switch (searchtype) {
                case 'contains':
                    test = (r) => value === '' || o.values(r).some((v) => containsMatch(v, value));
                    break;
                case 'notcontains':
                    test = (r) => value === '' || !o.values(r).some((v) => containsMatch(v, value));
                    break;
                case 'equals':
                case 'under':
                    test = equals;
                    break;
                case 'notequals':
                case 'notunder':
                    test = (r) => !equals(r);
                    break;
                case 'lessthan':
                    test = (r) => o.values(r).some((v) => compare(numOr(v), numOr(value)) < 0);
                    break;
                case 'morethan':
                    test = (r) => o.values(r).some((v) => compare(numOr(v), numOr(value)) > 0);
                    break;
                default:
                    fail(400, 'ERROR', `Bad Request: unknown searchtype ${JSON.stringify(searchtype)}`);
                    return;
            }
            criteria.push({ link, test, field });
        }
        // SQL precedence: AND binds tighter than OR; "AND NOT" / "OR NOT" negate their term.
        const matches = (row: Record<string, unknown>): boolean => {
            if (criteria.length === 0) return true;
            let any = false;
            let group = true;
            criteria.forEach((c, i) => {
                const negate = c.link.endsWith('NOT');
                const result = negate ? !c.test(row) : c.test(row);
                if (i > 0 && c.link.startsWith('OR')) {
                    any = any || group;
                    group = result;
                } else {
                    group = group && result;
                }
            });
            return any || group;
        };
        let found = rows.filter(matches);

        const forced = queryList(ctx.query.forcedisplay).map(String);
        const columns: string[] = [];
        for (const id of ['1', ...criteria.map((c) => c.field), ...forced]) {
            if (options[id] && !columns.includes(id)) columns.push(id);
        }
        const sort = queryString(ctx.query.sort);
        const order = (queryString(ctx.query.order) ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
        const sortOption = sort !== undefined && options[sort] ? options[sort] : options['2'];
        found = [...found].sort((a, b) => compare(sortOption.display(a), sortOption.display(b)) * (order === 'DESC' ? -1 : 1));
        const data = found.map((r) => {
            const out: Record<string, unknown> = {};
            for (const id of columns) {
                const v = options[id].display(r);
                out[id] = ctx.decode && typeof v === 'string' ? unsanitize10(v) : v;
            }
            return out;
        });
        page(ctx, type, data, (slice, contentRange, status) => {
            const answer: Record<string, unknown> = {
                totalcount: data.length,
                count: slice.length,
                sort: [sort !== undefined && options[sort] ? Number(sort) : 2],
                order: [order],
            };
            // §6: a search with no match has no `data` key at all.
            if (slice.length > 0) answer.data = slice;
            answer['content-range'] = contentRange;
            ctx.res.status(status).json(answer);
        });
    }

    return { router, faults, reset, inspect, configure, close: () => faults.close() };
}

function numOr(v: string): number | string {
    return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>GLPI - Authentication</title></head>
<body><div id="firstboxlogin"><form action="/front/login.php" method="post">
<input type="text" name="login_name" id="login_name"><input type="password" name="login_password">
<button type="submit" name="submit">Sign in</button></form></div></body></html>
`;

/** Validates an untrusted `_config` body (or a `configure()` argument). */
export function parseGlpiConfig(input: unknown): GlpiFakeConfig {
    if (!isPlainObject(input)) throw new GlpiConfigError('expected a JSON object');
    const keys = [
        'userTokens',
        'appToken',
        'version',
        'users',
        'entities',
        'emptyCreateBody',
        'htmlLoginPageCount',
        'expireSessions',
        'rightMissing',
        'html',
        'mandatoryTicketFields',
        'urlBaseApi',
        'loginWithCredentials',
    ];
    const unknown = Object.keys(input).filter((k) => !keys.includes(k));
    if (unknown.length > 0) throw new GlpiConfigError(`unknown config key(s) ${unknown.join(', ')}; expected ${keys.join(', ')}`);
    const c = input as GlpiFakeConfig & Record<string, unknown>;
    const bool = (k: string) => {
        if (c[k] !== undefined && typeof c[k] !== 'boolean') throw new GlpiConfigError(`${k} must be a boolean`);
    };
    ['emptyCreateBody', 'rightMissing', 'loginWithCredentials'].forEach(bool);
    if (c.expireSessions !== undefined && c.expireSessions !== true) throw new GlpiConfigError('expireSessions must be true');
    if (c.userTokens !== undefined) {
        if (!Array.isArray(c.userTokens)) throw new GlpiConfigError('userTokens must be a list of {token, userId, rights?}');
        for (const t of c.userTokens) {
            if (!isPlainObject(t) || typeof t.token !== 'string' || t.token === '' || !Number.isInteger(t.userId)) {
                throw new GlpiConfigError('userTokens entries must be {token: non-empty string, userId: integer, rights?}');
            }
            if (t.rights !== undefined && t.rights !== 'all' && t.rights !== 'self-service') {
                throw new GlpiConfigError('userTokens[].rights must be "all" or "self-service"');
            }
        }
    }
    if (c.appToken !== undefined && c.appToken !== null && (typeof c.appToken !== 'string' || c.appToken === '')) {
        throw new GlpiConfigError('appToken must be a non-empty string or null');
    }
    if (c.version !== undefined && (typeof c.version !== 'string' || !/^(9|10|11)\.\d+\.\d+$/.test(c.version))) {
        throw new GlpiConfigError('version must look like 9.5.13, 10.0.15 or 11.0.0');
    }
    if (c.users !== undefined) {
        if (!Array.isArray(c.users)) throw new GlpiConfigError('users must be a list');
        const ids = new Set<number>();
        for (const u of c.users) {
            if (!isPlainObject(u) || typeof u.name !== 'string' || u.name === '') throw new GlpiConfigError('users entries need a login "name"');
            if (u.id !== undefined) {
                if (!Number.isInteger(u.id) || (u.id as number) < 1 || ids.has(u.id as number)) throw new GlpiConfigError('users[].id must be unique positive integers');
                ids.add(u.id as number);
            }
            for (const k of ['realname', 'firstname', 'phone', 'phone2', 'mobile', 'email', 'password']) {
                if (u[k] !== undefined && typeof u[k] !== 'string') throw new GlpiConfigError(`users[].${k} must be a string`);
            }
            if (u.emails !== undefined && (!Array.isArray(u.emails) || u.emails.some((e) => typeof e !== 'string'))) {
                throw new GlpiConfigError('users[].emails must be a list of strings');
            }
            if (u.entities_id !== undefined && !Number.isInteger(u.entities_id)) throw new GlpiConfigError('users[].entities_id must be an integer');
        }
        if (c.users.some((u) => u.id === undefined)) {
            // ids are assigned after the highest given one
            let next = Math.max(9, ...[...ids].map((i) => i + 1));
            c.users = c.users.map((u) => (u.id === undefined ? { ...u, id: next++ } : u));
        }
    }
    if (c.entities !== undefined) {
        if (!Array.isArray(c.entities) || c.entities.some((e) => !isPlainObject(e) || !Number.isInteger(e.id) || typeof e.name !== 'string')) {
            throw new GlpiConfigError('entities must be a list of {id: integer, name: string}');
        }
    }
    if (c.htmlLoginPageCount !== undefined && (!Number.isSafeInteger(c.htmlLoginPageCount) || c.htmlLoginPageCount < 0)) {
        throw new GlpiConfigError('htmlLoginPageCount must be a non-negative integer');
    }
    if (c.html !== undefined && !['auto', 'sanitized', 'raw'].includes(c.html)) throw new GlpiConfigError('html must be auto, sanitized or raw');
    if (c.mandatoryTicketFields !== undefined && (!Array.isArray(c.mandatoryTicketFields) || c.mandatoryTicketFields.some((f) => typeof f !== 'string'))) {
        throw new GlpiConfigError('mandatoryTicketFields must be a list of strings');
    }
    if (c.urlBaseApi !== undefined && c.urlBaseApi !== null && typeof c.urlBaseApi !== 'string') throw new GlpiConfigError('urlBaseApi must be a string or null');
    return c;
}

/** Query as recorded: the token parameters redacted. */
function recordedQuery(req: Request): Record<string, string> {
    const out: Record<string, string> = {};
    const i = req.originalUrl.indexOf('?');
    if (i < 0) return out;
    for (const [k, v] of new URLSearchParams(req.originalUrl.slice(i + 1))) {
        out[k] = ['session_token', 'app_token', 'user_token', 'password'].includes(k.toLowerCase()) ? '***' : v;
    }
    return out;
}

/** Headers as recorded: never a token. */
function recordedHeaders(req: Request): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const text = Array.isArray(value) ? value.join(', ') : value;
        if (name === 'authorization') {
            const scheme = /^(\S+)\s/.exec(text);
            headers[name] = scheme ? `${scheme[1]} ***` : '***';
        } else if (name === 'session-token' || name === 'app-token') {
            headers[name] = '***';
        } else {
            headers[name] = text;
        }
    }
    return headers;
}

/** A control route's body: JSON, and an empty body counts as `{}`. */
function controlBody(req: Request): { ok: true; value: unknown } | { ok: false; error: string } {
    const raw = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    if (raw.length === 0) return { ok: true, value: {} };
    try {
        return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
    } catch (err) {
        return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
}
