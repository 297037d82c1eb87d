import { IHttp, IHttpResponse, IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { createHash } from 'crypto';
import { GlpiSettings } from '../../../settings/HelpdeskSettings';
import { permanentFailure, transientFailure } from '../../delivery/DeliveryFailure';
import { excerpt, isRetryableStatus, retryAfterMs } from '../../lib/http';
import { misc, putRecord, readRecord } from '../../lib/records';
import { describeError } from '../../lib/redact';

/** GLPI's error shape: `["ERROR_CODE", "message"]` (contracts/glpi.md §1.5). */
export interface GlpiError {
    status: number;
    code: string;
    message: string;
}

export type GlpiResult<T> = { ok: true; status: number; data: T; headers: Record<string, string> } | { ok: false; error: GlpiError };

const TIMEOUT_MS = 60000;

/** Codes no retry fixes: wrong credentials or tokens, refused IP, missing rights, refused input. */
const PERMANENT_CODES = new Set([
    'ERROR_LOGIN_PARAMETERS_MISSING', 'ERROR_GLPI_LOGIN_USER_TOKEN', 'ERROR_GLPI_LOGIN', 'ERROR_LOGIN_WITH_CREDENTIALS_DISABLED',
    'ERROR_APP_TOKEN_PARAMETERS_MISSING', 'ERROR_WRONG_APP_TOKEN_PARAMETER', 'ERROR_NOT_ALLOWED_IP', 'ERROR_RIGHT_MISSING',
    'ERROR_GLPI_ADD', 'ERROR_BAD_ARRAY', 'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM', 'ERROR_ITEMTYPE_NOT_FOUND_NOR_COMMONDBTM',
    'ERROR_RESOURCE_MISSING', 'ERROR_JSON_PAYLOAD_INVALID', 'ERROR_JSON_PAYLOAD_FORBIDDEN', 'ERROR_METHOD_NOT_ALLOWED',
]);

/** An expired PHP session or a database hiccup: trying again later can work. */
const TRANSIENT_CODES = new Set(['ERROR_SESSION_TOKEN_INVALID', 'ERROR_SQL']);

const HINTS: Record<string, string> = {
    ERROR_GLPI_LOGIN_USER_TOKEN: ' (check glpi_user_token: GLPI resets user tokens on some upgrades)',
    ERROR_LOGIN_PARAMETERS_MISSING: ' (set glpi_user_token)',
    ERROR_WRONG_APP_TOKEN_PARAMETER: ' (check glpi_app_token)',
    ERROR_APP_TOKEN_PARAMETERS_MISSING: ' (GLPI wants an App-Token: set glpi_app_token)',
    ERROR_NOT_ALLOWED_IP: ' (allow the Rocket.Chat server in GLPI Setup > General > API)',
    ERROR_RIGHT_MISSING: ' (the GLPI user lacks a right; see the README for what it needs)',
};

/** A GLPI error as a delivery failure: permanent for the codes above, transient otherwise. */
export function glpiFailure(error: GlpiError, context: string) {
    const text = `${context}: ${error.code} ${error.message.replace(/; view documentation in your browser at .*$/, '')}${HINTS[error.code] ?? ''}`;
    if (TRANSIENT_CODES.has(error.code)) return transientFailure(text);
    return PERMANENT_CODES.has(error.code) || (error.status >= 400 && error.status < 500 && !isRetryableStatus(error.status))
        ? permanentFailure(text)
        : transientFailure(text);
}

interface StoredSession {
    key: string;
    sessionToken: string;
}

const SESSION = [misc('tb-glpi-session')];

/**
 * The legacy REST API (`apirest.php`). One session token is kept in app persistence and shared by
 * every job and every server of a cluster, so a delivery normally costs no `initSession`. A 401
 * `ERROR_SESSION_TOKEN_INVALID` (PHP session expired) re-inits once and replays the request once.
 */
export class GlpiClient {
    public initSessions = 0;

    constructor(
        private readonly http: IHttp,
        private readonly settings: GlpiSettings,
        private readonly reader: IPersistenceRead,
        private readonly persis: IPersistence,
    ) {}

    /** Sessions belong to one URL and one user token: changing either starts a new one. */
    private sessionKey(): string {
        return createHash('sha256').update(`${this.settings.url}\n${this.settings.userToken}`).digest('hex').slice(0, 32);
    }

    private baseHeaders(): Record<string, string> {
        return { 'Content-Type': 'application/json', ...(this.settings.appToken ? { 'App-Token': this.settings.appToken } : {}) };
    }

    private async send(method: 'get' | 'post' | 'put', path: string, headers: Record<string, string>, body?: unknown): Promise<IHttpResponse> {
        let response: IHttpResponse | undefined;
        try {
            response = await this.http[method](`${this.settings.url}/${path}`, {
                headers,
                ...(body === undefined ? {} : { content: JSON.stringify(body) }),
                timeout: TIMEOUT_MS,
            });
        } catch (error) {
            throw transientFailure(`could not reach GLPI: ${describeError(error)}`);
        }
        if (!response) {
            throw permanentFailure('the HTTP call returned nothing: the app lacks the "networking" permission');
        }
        return response;
    }

    private parse<T>(response: IHttpResponse): GlpiResult<T> {
        const status = response.statusCode;
        const data = response.data as unknown;
        if (Array.isArray(data) && typeof data[0] === 'string' && /^ERROR/.test(data[0])) {
            return { ok: false, error: { status, code: data[0], message: typeof data[1] === 'string' ? data[1] : JSON.stringify(data[1] ?? '') } };
        }
        if (status >= 500 || status === 408 || status === 429) {
            throw transientFailure(`GLPI answered ${status}: ${excerpt(response.content, 300)}`, retryAfterMs(response.headers));
        }
        if (status >= 400) {
            return { ok: false, error: { status, code: `HTTP_${status}`, message: excerpt(response.content, 300) } };
        }
        const body = (response.content ?? '').trim();
        if (body && data === undefined) {
            // The HTML login page of a misconfigured server comes with a 200 (contracts/glpi.md §1.5).
            throw permanentFailure(`GLPI answered ${status} with something that is not JSON (is glpi_url the apirest.php URL, and is the API enabled?): ${excerpt(body, 120)}`);
        }
        return { ok: true, status, data: data as T, headers: response.headers ?? {} };
    }

    private async session(renew: boolean): Promise<string> {
        const key = this.sessionKey();
        if (!renew) {
            const stored = await readRecord<StoredSession>(this.reader, SESSION);
            if (stored && stored.key === key && stored.sessionToken) return stored.sessionToken;
        }
        this.initSessions++;
        const response = await this.send('get', 'initSession', { ...this.baseHeaders(), Authorization: `user_token ${this.settings.userToken}` });
        const result = this.parse<{ session_token?: string }>(response);
        if (!result.ok) throw glpiFailure(result.error, 'GLPI refused to open a session');
        const token = result.data?.session_token;
        if (!token) throw permanentFailure('GLPI initSession answered without a session_token');
        await putRecord(this.persis, SESSION, { key, sessionToken: token });
        return token;
    }

    public async call<T>(method: 'get' | 'post' | 'put', path: string, body?: unknown): Promise<GlpiResult<T>> {
        for (let round = 0; round < 2; round++) {
            const token = await this.session(round > 0);
            const result = this.parse<T>(await this.send(method, path, { ...this.baseHeaders(), 'Session-Token': token }, body));
            if (result.ok || result.error.code !== 'ERROR_SESSION_TOKEN_INVALID') return result;
        }
        throw transientFailure('GLPI rejected a fresh session token (ERROR_SESSION_TOKEN_INVALID twice)');
    }

    /** The id of a created item: the body's `id`, or the `Location` header when GLPI sends an empty body. */
    public static createdId(result: { data: unknown; headers: Record<string, string> }): string | undefined {
        const id = (result.data as { id?: unknown } | undefined)?.id;
        if (id !== undefined && id !== null && id !== false) return String(id);
        const location = result.headers.location ?? result.headers.Location;
        const match = location ? /\/(\d+)\/?$/.exec(location) : null;
        return match ? match[1] : undefined;
    }
}
