/**
 * The HTTP side of the fake, as Znuny's provider (nph-genericinterface.pl) and its HTTP::REST
 * transport do it: webservice lookup, route -> operation, building the operation's input (§1), and
 * the output format of answers and errors (§6).
 */
import { canonicalJson, decodeBody, isArrayRefWithData, isHashRefWithData, sanitizeBooleans } from './text';
import type { OtrsVersion } from './types';

export const WEBSERVICE_NAME = 'GenericTicketConnectorREST';
export const WEBSERVICE_ID = '1';

export type Operation =
    | 'SessionCreate'
    | 'SessionGet'
    | 'TicketCreate'
    | 'TicketGet'
    | 'TicketGetList'
    | 'TicketHistoryGet'
    | 'TicketSearch'
    | 'TicketUpdate';

interface Route {
    operation: Operation;
    method: string;
    pattern: RegExp;
    params: string[];
}

/** §1 table (the sample GenericTicketConnectorREST.yml), tried in the sorted order of operation names. */
const ROUTE_TABLE: Array<[Operation, string, string]> = [
    ['SessionCreate', 'POST', '/Session'],
    ['SessionGet', 'GET', '/Session/:SessionID'],
    ['TicketCreate', 'POST', '/Ticket'],
    ['TicketGet', 'GET', '/Ticket/:TicketID'],
    ['TicketGetList', 'GET', '/TicketList'],
    ['TicketHistoryGet', 'GET', '/TicketHistory/:TicketID'],
    ['TicketSearch', 'GET', '/Ticket'],
    ['TicketUpdate', 'PATCH', '/Ticket/:TicketID'],
];

const ROUTES: Route[] = ROUTE_TABLE.map(([operation, method, route]) => {
    const params: string[] = [];
    // `:Name` becomes `([^/]+)`; the match is anchored and case-sensitive.
    const source = route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([^/]+)/g, (_whole, name: string) => {
        params.push(name);
        return '([^/]+)';
    });
    return { operation, method, pattern: new RegExp(`^${source}$`), params };
});

/** Where a request URI (the part under the fake's mount) points. */
export type Target =
    /** Not the GenericInterface script at all: the web server's own 404. */
    | { kind: 'notFound' }
    /** The script, but no known webservice: the provider exits without output (§6 "empty reply"). */
    | { kind: 'noWebservice' }
    | { kind: 'webservice'; requestUri: string; path: string; queryString: string };

export function locate(url: string): Target {
    const scriptPath = /^\/[^/?]+\/nph-genericinterface\.pl(?=[/?]|$)/.exec(url);
    if (!scriptPath) return { kind: 'notFound' };
    const webservice = /nph-genericinterface[.]pl\/(?:WebserviceID\/(\d+)|Webservice\/([^/?]+))/s.exec(url);
    if (!webservice) return { kind: 'noWebservice' };
    const known = webservice[1] !== undefined ? webservice[1] === WEBSERVICE_ID : safeUnescape(webservice[2]) === WEBSERVICE_NAME;
    if (!known) return { kind: 'noWebservice' };

    // The transport keeps what follows the LAST `Webservice(ID)/<x>`, then splits off the query string.
    const tail = /^.*Webservice(?:ID)?\/[^/]+(\/.*)$/s.exec(url);
    const requestUri = tail ? tail[1] : url;
    const question = requestUri.indexOf('?');
    return {
        kind: 'webservice',
        requestUri,
        path: question === -1 ? requestUri : requestUri.slice(0, question),
        queryString: question === -1 ? '' : requestUri.slice(question + 1),
    };
}

export function matchRoute(method: string, path: string): { operation: Operation; params: Record<string, string> } | null {
    for (const route of ROUTES) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(path);
        if (!match) continue;
        const params: Record<string, string> = {};
        route.params.forEach((name, index) => {
            params[name] = safeUnescape(match[index + 1]);
        });
        return { operation: route.operation, params };
    }
    return null;
}

/**
 * Query string -> parameters as the transport does it (§1): split on `&`/`;`, `+` is a space in
 * values only, a repeated key becomes an array, and a first value that Perl sees as false ("0" or
 * empty) is stored as ''.
 */
export function parseQuery(queryString: string): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const pair of queryString.split(/[;&]/)) {
        if (pair === '') continue;
        const [rawKey, rawValue] = pair.split('=');
        const key = safeUnescape(rawKey);
        const value = rawValue === undefined ? undefined : safeUnescape(rawValue.replace(/\+/g, '%20'));
        if (!Object.prototype.hasOwnProperty.call(params, key)) {
            params[key] = value === undefined || value === '0' ? '' : value;
        } else if (Array.isArray(params[key])) {
            (params[key] as unknown[]).push(value ?? null);
        } else {
            params[key] = [params[key], value ?? null];
        }
    }
    return params;
}

function safeUnescape(text: string): string {
    // URI::Escape::uri_unescape decodes %XX bytes; invalid UTF-8 is kept as it is here.
    try {
        return decodeURIComponent(text);
    } catch {
        return text.replace(/%([0-9a-fA-F]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
}

/** The auth headers Znuny 6.1+ copies over every other input (§2). */
const AUTH_HEADERS: Array<[string, string]> = [
    ['x-otrs-header-customeruserlogin', 'CustomerUserLogin'],
    ['x-otrs-header-impersonateasuser', 'ImpersonateAsUser'],
    ['x-otrs-header-password', 'Password'],
    ['x-otrs-header-sessionid', 'SessionID'],
    ['x-otrs-header-twofactortoken', 'TwoFactorToken'],
    ['x-otrs-header-userlogin', 'UserLogin'],
];

/** The request body as the fake received it (read before anything else, so that faulted calls are recorded too). */
export type RawBody =
    | { kind: 'none' }
    /** Sent without Content-Length (chunked): the transport ignores it (§7). */
    | { kind: 'unsized'; bytes: Buffer }
    | { kind: 'tooLarge'; length: number }
    | { kind: 'sized'; bytes: Buffer };

export interface InputRequest {
    method: string;
    headers: Record<string, string | string[] | undefined>;
    body: RawBody;
}

export type Input =
    | { kind: 'data'; data: Record<string, unknown> }
    | { kind: 'httpError'; status: number; message: string }
    /** §7: a JSON array as the whole body breaks the operation; no status line comes back. */
    | { kind: 'noReply' };

/** ProviderProcessRequest after the route matched: query, route placeholders, headers, then the body (§1). */
export function buildInput(
    request: InputRequest,
    query: Record<string, unknown>,
    params: Record<string, string>,
    version: OtrsVersion,
): Input {
    const uriData: Record<string, unknown> = { ...query, ...params };
    if (version >= 7) {
        for (const [header, key] of AUTH_HEADERS) {
            const value = request.headers[header];
            const text = Array.isArray(value) ? value.join(', ') : value;
            if (text !== undefined && text !== '') uriData[key] = text;
        }
    }

    const body = request.body;
    // No Content-Length (or 0), or a GET: only the URI data (GET bodies are never read).
    if (request.method === 'GET' || body.kind === 'none' || body.kind === 'unsized') {
        return { kind: 'data', data: { ...uriData, RequestMethod: request.method } };
    }
    if (body.kind === 'tooLarge') return { kind: 'httpError', status: 413, message: 'Payload Too Large' };

    // The CGI layer swallows a form-encoded body (and one with no Content-Type) before the transport reads it.
    const contentType = firstHeader(request.headers['content-type']);
    if (contentType === undefined || /^application\/x-www-form-urlencoded/.test(contentType) || /^multipart\/form-data/.test(contentType)) {
        return { kind: 'httpError', status: 500, message: 'Could not read input data' };
    }

    const text = decodeBody(stripBoms(body.bytes), contentType);
    let decoded: unknown;
    try {
        decoded = sanitizeBooleans(JSON.parse(text));
    } catch {
        decoded = undefined;
    }
    if (decoded === undefined || decoded === null || decoded === 0 || decoded === '' || decoded === '0') {
        return { kind: 'httpError', status: 500, message: 'Error while decoding request content.' };
    }
    if (isHashRefWithData(decoded)) return { kind: 'data', data: { ...decoded, ...uriData } };
    if (isArrayRefWithData(decoded)) return { kind: 'noReply' };
    return { kind: 'httpError', status: 500, message: 'Unsupported request content structure.' };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

function stripBoms(bytes: Buffer): Buffer {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    if (bytes.indexOf(bom) === -1) return bytes;
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = bytes.indexOf(bom); at !== -1; at = bytes.indexOf(bom, from)) {
        parts.push(bytes.subarray(from, at));
        from = at + bom.length;
    }
    parts.push(bytes.subarray(from));
    return Buffer.concat(parts);
}

/** What the transport writes (§6): 200 is JSON, anything else is labelled text/plain. */
export interface Output {
    status: number;
    contentType: string;
    body: string;
}

export function jsonOutput(data: Record<string, unknown>): Output {
    return { status: 200, contentType: 'application/json; charset=UTF-8', body: canonicalJson(data) };
}

export function textOutput(status: number, message: string): Output {
    return { status, contentType: 'text/plain; charset=UTF-8', body: message };
}

/** An operation that failed without an ErrorCode: 500 with a JSON fault, still labelled text/plain (§6). */
export function faultOutput(message: string): Output {
    return textOutput(500, canonicalJson({ faultcode: 'Server', faultstring: message || 'Unknown' }));
}

/** §6: "HTTP::REST Error while determine Operation for request URI '<uri>'." */
export function noOperationMessage(path: string): string {
    return `HTTP::REST Error while determine Operation for request URI '${path}'.`;
}
