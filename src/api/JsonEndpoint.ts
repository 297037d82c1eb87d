import { HttpStatusCode, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppSettings, readSettings, secretsOf } from '../../settings/AppSettings';
import { configuredSecrets } from '../../settings/secrets';
import { AppServices } from '../AppServices';
import { apiFailure, isApiFailure } from '../lib/ApiFailure';
import { describeError, redact } from '../lib/redact';
import { isJsonMediaType } from '../rapidpro/validation';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';

export interface EndpointRequest {
    method: Method;
    body: unknown;
    query: Record<string, string>;
    /** The Rocket.Chat user of an authenticated request (X-User-Id + X-Auth-Token), if any. */
    user?: IUser;
    settings: AppSettings;
    read: IRead;
    modify: IModify;
    http: IHttp;
    persis: IPersistence;
}

export interface EndpointResponse {
    status: number;
    body?: unknown;
}

/** Throws an ApiFailure (401/403) when the request may not use the endpoint (see endpointAccess.ts). */
export type EndpointAccess = (req: IApiRequest, settings: AppSettings) => void;

export interface MethodSpec {
    /** The method reads a JSON body, so the request must say application/json. */
    jsonBody: boolean;
    handle(request: EndpointRequest): Promise<EndpointResponse>;
}

/**
 * The common pipeline of the app's endpoints. Endpoints extend this class directly and say who may
 * call them with the `access` field: inside the engine (vm2 runtime) methods of a class between
 * this one and the endpoint are not reachable through `this`, so nothing may be layered in between.
 * 1. a method the endpoint does not serve -> 405 (the engine itself would answer a plain-text 500);
 * 2. `access` (the platform's shared secret, or a Rocket.Chat user's roles) -> 401/403;
 * 3. `application/json`, parameters allowed, for methods that read a body -> 415;
 * 4. the handler; an ApiFailure becomes `{"error"}` with its status; anything else is logged
 *    (redacted) and answered 500 with a message that says where to look.
 * Every answer is JSON, `{"error": "..."}` on failure.
 */
export abstract class JsonEndpoint extends ApiEndpoint {
    protected abstract readonly methods: Partial<Record<Method, MethodSpec>>;
    protected abstract readonly access: EndpointAccess;

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
            this.access(req, settings);
            if (spec.jsonBody && !isJsonMediaType(req.headers?.['content-type'])) {
                throw apiFailure(HttpStatusCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json');
            }
            const response = await spec.handle({ method, body: req.content, query: req.query ?? {}, user: req.user, settings, read, modify, http, persis });
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

    private answer(response: EndpointResponse, headers: Record<string, string> = {}): IApiResponse {
        if (response.body === undefined) {
            return { status: response.status, headers };
        }
        return this.json({ status: response.status, content: response.body as Record<string, unknown>, headers });
    }
}
