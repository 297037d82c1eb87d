import { HttpStatusCode, IHttp, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { permanentFailure, transientFailure } from '../delivery/DeliveryFailure';
import { describeError } from './redact';

export interface JsonRequest {
    method: 'post' | 'put' | 'patch' | 'get' | 'del';
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs: number;
}

/**
 * Sends one request through the engine's IHttp (the only network an app may use) and turns what can
 * go wrong before a status arrives into delivery failures: a network error or timeout is transient;
 * a missing response means the `networking` permission is missing, which retrying will not fix.
 */
export async function sendJson(http: IHttp, request: JsonRequest): Promise<IHttpResponse> {
    let response: IHttpResponse | undefined;
    try {
        response = await http[request.method](request.url, {
            headers: { 'Content-Type': 'application/json', ...(request.headers ?? {}) },
            content: request.body === undefined ? undefined : JSON.stringify(request.body),
            timeout: request.timeoutMs,
        });
    } catch (error) {
        throw transientFailure(`could not reach ${hostOf(request.url)}: ${describeError(error)}`);
    }
    if (!response) {
        throw permanentFailure('the HTTP call returned nothing: the app lacks the "networking" permission');
    }
    return response;
}

/** 408, 429 and 5xx may pass; any other 4xx will not get better by retrying. */
export function isRetryableStatus(status: number): boolean {
    return status === HttpStatusCode.REQUEST_TIMEOUT || status === 429 || status >= 500;
}

export function isSuccessStatus(status: number): boolean {
    return status >= 200 && status < 300;
}

/** Retry-After as whole seconds or as an HTTP date (IMF-fixdate), in milliseconds from now; anything else is ignored. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
    const value = (headers?.['retry-after'] ?? headers?.['Retry-After'])?.trim();
    if (!value) {
        return undefined;
    }
    if (/^\d+$/.test(value)) {
        return Number(value) * 1000;
    }
    // Date.parse accepts almost anything ("-5" is a date in 2001), so only the HTTP-date shape is read.
    if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) {
        return undefined;
    }
    const date = Date.parse(value);
    return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export function excerpt(text: string | undefined, max = 500): string {
    const value = (text ?? '').replace(/\s+/g, ' ').trim();
    return value.length > max ? `${value.slice(0, max)}…` : value;
}

function hostOf(url: string): string {
    const match = /^[a-z]+:\/\/([^/?#]+)/i.exec(url);
    return match ? match[1].replace(/^[^@]*@/, '') : 'the server';
}
