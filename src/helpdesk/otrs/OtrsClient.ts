import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { OtrsSettings } from '../../../settings/HelpdeskSettings';
import { permanentFailure, transientFailure } from '../../delivery/DeliveryFailure';
import { excerpt, isRetryableStatus, retryAfterMs, sendJson } from '../../lib/http';

/** OTRS answers business errors with HTTP 200 and this object (contracts/otrs.md §6). */
export interface OtrsError {
    ErrorCode: string;
    ErrorMessage: string;
}

export type OtrsResult<T> = { ok: true; data: T } | { ok: false; error: OtrsError };

/** Znuny is slow on writes (0.4-0.6 s measured); a minute covers big transcripts. */
const TIMEOUT_MS = 60000;

/**
 * One GenericTicketConnectorREST web service. Credentials go in the X-OTRS-Header-* headers
 * (Znuny >= 6.1) or in the JSON body / query (older OTRS); never in a URL that gets logged when a
 * header will do. Transport failures become delivery failures: 5xx, 413, 408, 429, timeouts and
 * connection errors are transient; business errors come back as `{ok: false}` for the caller to judge.
 */
export class OtrsClient {
    constructor(private readonly http: IHttp, private readonly settings: OtrsSettings) {}

    private authHeaders(): Record<string, string> {
        return this.settings.auth === 'header'
            ? { 'X-OTRS-Header-UserLogin': this.settings.user, 'X-OTRS-Header-Password': this.settings.password }
            : {};
    }

    private authFields(): Record<string, string> {
        return this.settings.auth === 'body' ? { UserLogin: this.settings.user, Password: this.settings.password } : {};
    }

    public post<T>(route: string, body: Record<string, unknown>): Promise<OtrsResult<T>> {
        return this.call<T>('post', route, { ...this.authFields(), ...body });
    }

    public patch<T>(route: string, body: Record<string, unknown>): Promise<OtrsResult<T>> {
        return this.call<T>('patch', route, { ...this.authFields(), ...body });
    }

    /** GET carries no body in OTRS's REST transport: filters (and body-style auth) go in the query. */
    public get<T>(route: string, query: Record<string, string>): Promise<OtrsResult<T>> {
        const params = { ...query, ...this.authFields() };
        const search = Object.keys(params).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`).join('&');
        return this.call<T>('get', search ? `${route}?${search}` : route);
    }

    private async call<T>(method: 'get' | 'post' | 'patch', route: string, body?: Record<string, unknown>): Promise<OtrsResult<T>> {
        const response = await sendJson(this.http, {
            method,
            url: `${this.settings.url}${route}`,
            body,
            headers: this.authHeaders(),
            timeoutMs: TIMEOUT_MS,
        });
        const status = response.statusCode;
        if (status === 200) {
            const data = response.data as (T & { Error?: OtrsError }) | undefined;
            if (!data || typeof data !== 'object') {
                throw permanentFailure(`OTRS answered 200 with a body that is not JSON (is otrs_url the web service URL?): ${excerpt(response.content, 200)}`);
            }
            if (data.Error && typeof data.Error === 'object') {
                return { ok: false, error: { ErrorCode: String(data.Error.ErrorCode ?? ''), ErrorMessage: String(data.Error.ErrorMessage ?? '') } };
            }
            return { ok: true, data };
        }
        const reason = `OTRS answered ${status}: ${excerpt(response.content, 300)}`;
        if (isRetryableStatus(status) || status === 413) {
            throw transientFailure(reason, retryAfterMs(response.headers));
        }
        throw permanentFailure(`${reason} (check otrs_url: the full web service URL, e.g. https://helpdesk/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST)`);
    }
}

/**
 * A business error that no retry will fix: wrong credentials, no permission, a queue, state,
 * priority, customer or From that OTRS does not accept. The message says what to change.
 */
export function otrsConfigurationFailure(error: OtrsError, context: string) {
    const kind = error.ErrorCode.split('.').pop() ?? '';
    const hint = kind === 'AuthFail' ? ' (check otrs_user, otrs_password and otrs_auth)'
        : kind === 'AccessDenied' ? ' (the OTRS agent lacks permission on the queue or ticket)'
            : kind === 'InvalidParameter' || kind === 'MissingParameter' ? ' (check the OTRS settings named in the message)' : '';
    return permanentFailure(`${context}: ${error.ErrorCode} ${error.ErrorMessage}${hint}`);
}
