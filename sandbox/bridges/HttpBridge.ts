import axios from 'axios';
import { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpBridge, IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import { countCall, SandboxContext } from '../context';

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

/**
 * Performs the app's HTTP calls for real, with axios, the way Rocket.Chat's HttpBridge does
 * (status codes come back as responses; network errors and timeouts throw). Only loopback hosts
 * are reachable: the sandbox never sends traffic anywhere else.
 */
export class SandboxHttpBridge extends HttpBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
        countCall(this.ctx, 'http.call');
        const { request } = info;
        const url = new URL(info.url);
        if (!LOOPBACK.test(url.hostname)) {
            throw new Error(`sandbox: refusing to call ${url.hostname}; only loopback hosts are reachable from the sandbox`);
        }
        let query = request.query ?? '';
        if (request.params) {
            const params = new URLSearchParams(request.params as Record<string, string>).toString();
            query = query ? `${query}&${params}` : params;
        }
        if (query) {
            url.search = url.search ? `${url.search}&${query}` : `?${query}`;
        }
        const headers: Record<string, string> = { ...(request.headers ?? {}) };
        let body: string | undefined = request.content;
        if (body === undefined && request.data !== undefined) {
            body = JSON.stringify(request.data);
            if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
                headers['Content-Type'] = 'application/json';
            }
        }
        const [username, ...passwordParts] = request.auth ? request.auth.split(':') : [];
        const response = await axios.request<ArrayBuffer>({
            method: info.method,
            url: url.toString(),
            headers,
            data: body,
            timeout: request.timeout,
            responseType: 'arraybuffer',
            transformResponse: (data) => data,
            validateStatus: () => true,
            maxRedirects: 0,
            auth: request.auth ? { username, password: passwordParts.join(':') } : undefined,
        });
        const content = Buffer.from(response.data).toString((request.encoding as BufferEncoding) || 'utf8');
        let data: unknown;
        try {
            data = JSON.parse(content);
        } catch {
            data = undefined;
        }
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && value !== null) responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
        }
        return { url: info.url, method: info.method, statusCode: response.status, headers: responseHeaders, content, data };
    }
}
