import { HttpStatusCode, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { AppSettings, readSettings, secretsOf } from '../../settings/AppSettings';
import { configuredSecrets } from '../../settings/secrets';
import { AppServices } from '../AppServices';
import { apiFailure, isApiFailure } from '../lib/ApiFailure';
import { describeError, redact } from '../lib/redact';
import { secretMatches, tokenFromAuthorization } from '../lib/secret';
import { isJsonMediaType } from '../rapidpro/validation';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';

export interface PlatformRequest {
    method: Method;
    body: unknown;
    query: Record<string, string>;
    settings: AppSettings;
    read: IRead;
    modify: IModify;
    http: IHttp;
    persis: IPersistence;
}

export interface PlatformResponse {
    status: number;
    body?: unknown;
}

export interface MethodSpec {
    /** The method reads a JSON body, so the request must say application/json. */
    jsonBody: boolean;
    handle(request: PlatformRequest): Promise<PlatformResponse>;
}

/**
 * The common pipeline of the RapidPro-compatible endpoints:
 * 1. a method the endpoint does not serve -> 405 (the engine itself would answer a plain-text 500);
 * 2. the shared secret (`Authorization: Token <secret>`), compared in constant time, refused when
 *    the app secret is unset (fail closed) -> 403, missing or wrong -> 401; never echoed;
 * 3. `application/json`, parameters allowed, for methods that read a body -> 415;
 * 4. the handler; an ApiFailure becomes `{"error"}` with its status; anything else is logged
 *    (redacted) and answered 500 with a message that says where to look.
 * Every answer is JSON, `{"error": "..."}` on failure.
 */
export abstract class PlatformEndpoint extends ApiEndpoint {
    protected abstract readonly methods: Partial<Record<Method, MethodSpec>>;

    constructor(protected readonly services: AppServices & IApp) {
        super(services);
    }

    public async get(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('get', req, read, modify, http, persis);
    }

    public async post(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('post', req, read, modify, http, persis);
    }

    public async put(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('put', req, read, modify, http, persis);
    }

    public async delete(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('delete', req, read, modify, http, persis);
    }

    public async patch(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('patch', req, read, modify, http, persis);
    }

    public async head(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('head', req, read, modify, http, persis);
    }

    public async options(req: IApiRequest, _e: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        return this.dispatch('options', req, read, modify, http, persis);
    }

    private async dispatch(method: Method, req: IApiRequest, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
        let settings: AppSettings | undefined;
        try {
            const spec = this.methods[method];
            if (!spec) {
                const allowed = Object.keys(this.methods).map((m) => m.toUpperCase()).join(', ');
                return this.answer({ status: HttpStatusCode.METHOD_NOT_ALLOWED, body: { error: `Method ${method.toUpperCase()} not allowed on /${this.path}; use ${allowed}` } }, { Allow: allowed });
            }
            settings = await readSettings(read);
            this.authorize(req.headers ?? {}, settings);
            if (spec.jsonBody && !isJsonMediaType(req.headers?.['content-type'])) {
                throw apiFailure(HttpStatusCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json');
            }
            const response = await spec.handle({ method, body: req.content, query: req.query ?? {}, settings, read, modify, http, persis });
            return this.answer(response);
        } catch (error) {
            if (isApiFailure(error)) {
                return this.answer({ status: error.status, body: { error: error.message } });
            }
            const reason = redact(describeError(error), await configuredSecrets(read).catch(() => (settings ? secretsOf(settings) : [])));
            this.app.getLogger().error(`/${this.path} ${method.toUpperCase()} failed: ${reason}`);
            return this.answer({ status: HttpStatusCode.INTERNAL_SERVER_ERROR, body: { error: `Internal error while handling /${this.path}; the Rocket.Chat app logs have the details` } });
        }
    }

    private authorize(headers: Record<string, string>, settings: AppSettings): void {
        if (!settings.appSecret) {
            throw apiFailure(HttpStatusCode.FORBIDDEN, 'The app secret is not set: configure it in the Ticket Bridge app settings');
        }
        const presented = tokenFromAuthorization(headers.authorization);
        if (presented === undefined) {
            throw apiFailure(HttpStatusCode.UNAUTHORIZED, 'Missing or malformed Authorization header (expected "Token <secret>")');
        }
        if (!secretMatches(presented, settings.appSecret)) {
            throw apiFailure(HttpStatusCode.UNAUTHORIZED, 'Invalid secret');
        }
    }

    private answer(response: PlatformResponse, headers: Record<string, string> = {}): IApiResponse {
        if (response.body === undefined) {
            return { status: response.status, headers };
        }
        return this.json({ status: response.status, content: response.body as Record<string, unknown>, headers });
    }
}
