/*
 * Bad input gets a clear error and changes nothing: a generated run of malformed requests against
 * every public endpoint (wrong types, missing and extra fields, huge and odd Unicode strings,
 * invalid JSON, wrong methods and content types, bad Authorization values, oversized bodies).
 * Asserts: no 5xx, every answer a JSON `{"error": string}`, and persistence and rooms unchanged.
 */
import { SECRET, Sandbox, startSandbox, uuid } from './harness';

const PER_ENDPOINT = 520;

/** A small deterministic PRNG, so a failure can be replayed with the same seed. */
function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ODD_STRINGS = [
    '', ' ', '\u0000', '\u202e\u0631\u0644', '\u200b\u200b', '\ud800', '\udfff\ud800', '😀'.repeat(500), 'é'.normalize('NFD'),
    '<script>alert(1)</script>', "'; DROP TABLE rooms; --", '${7*7}', '../../etc/passwd', 'x'.repeat(70000), '\r\nX-Injected: 1',
];
/** Values no required string field accepts: not strings (non-negative integers are valid tokens), blank, control characters, far too long. */
const NOT_A_STRING: unknown[] = [null, true, false, -1, 1.5, 1e308, [], [1, 2], {}, { nested: { deep: [null] } }, '', ' ', '\u0000', '\u0007bell', 'x'.repeat(70000)];
/** Values no required object field accepts. */
const NOT_AN_OBJECT: unknown[] = [null, true, 0, 'visitor', [], [{}], ...ODD_STRINGS.slice(0, 4)];

interface Endpoint {
    method: string;
    /** Every method the endpoint serves (the others must be refused). */
    serves: string[];
    path: string;
    /** A valid body, which the generator breaks in one or more required places. */
    valid: () => Record<string, unknown>;
    /** Required fields and values each refuses. */
    required: Array<{ path: string[]; invalid: unknown[] }>;
}

const token = { path: ['visitor', 'token'], invalid: NOT_A_STRING };
const visitor = { path: ['visitor'], invalid: NOT_AN_OBJECT };
const ENDPOINTS: Endpoint[] = [
    { method: 'get', serves: ['get'], path: 'room', valid: () => ({ ticketID: uuid(), visitor: { token: 'bad-input-token', name: 'X' } }),
        required: [{ path: ['ticketID'], invalid: [...NOT_A_STRING, ...ODD_STRINGS, 'not-a-uuid', '59d74b86-3e2f-4a93-aece-b05d2fdcde0'] }, visitor, token] },
    { method: 'post', serves: ['post'], path: 'visitor-message', valid: () => ({ visitor: { token: 'bad-input-token' }, text: 'hi' }), required: [visitor, token] },
    { method: 'get', serves: ['get'], path: 'room.close', valid: () => ({ visitor: { token: 'bad-input-token' } }), required: [visitor, token] },
    { method: 'put', serves: ['put', 'get'], path: 'settings', valid: () => ({ webhook: { url: 'http://127.0.0.1:9/never' } }),
        required: [{ path: ['webhook'], invalid: NOT_AN_OBJECT }, { path: ['webhook', 'url'], invalid: [...NOT_A_STRING, ...ODD_STRINGS, 'ftp://x/y', 'javascript:alert(1)', 'http://user:pw@host/x', 'http://'] }] },
    { method: 'get', serves: ['get'], path: 'secret.check', valid: () => ({}), required: [] },
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown, remove: boolean): void {
    let node = target as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
        if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (remove) delete node[last];
    else node[last] = value;
}

interface Case {
    method: string;
    contentType: string | null;
    auth: string | null;
    rawBody: string | undefined;
    /** Whether the request is well-authenticated: only those could change state if the app misbehaved. */
    authorised: boolean;
}

/** A malformed request for `endpoint`: every generated case is invalid in at least one way. */
function malformed(endpoint: Endpoint, random: () => number): Case {
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const goodAuth = `Token ${SECRET}`;
    const base: Case = { method: endpoint.method, contentType: 'application/json', auth: goodAuth, rawBody: JSON.stringify(endpoint.valid()), authorised: true };
    const kinds = ['wrongType', 'missing', 'invalidJson', 'wrongMethod', 'wrongContentType', 'badAuth', 'oversized', 'nonObject'];
    const kind = endpoint.required.length ? pick(kinds) : pick(['wrongMethod', 'badAuth', 'badAuth', 'wrongMethod']);
    switch (kind) {
        case 'wrongType':
        case 'missing': {
            const body = endpoint.valid();
            const field = pick(endpoint.required);
            setPath(body, field.path, pick(field.invalid), kind === 'missing');
            if (random() < 0.5) Object.assign(body, { extra: pick(NOT_A_STRING), [`x${Math.floor(random() * 1000)}`]: pick(ODD_STRINGS) });
            return { ...base, rawBody: JSON.stringify(body) };
        }
        case 'invalidJson':
            return { ...base, rawBody: pick(['{', '{"visitor": ', '[1,2', 'nul', '{"a":1,}', "{'single': 1}", '\u0000', '{"ticketID": "\\x"}']) };
        case 'nonObject':
            return { ...base, rawBody: JSON.stringify(pick([null, 1, 'string', [], [{}], true])) };
        case 'wrongMethod':
            return { ...base, method: pick(['post', 'put', 'delete', 'patch', 'get'].filter((m) => !endpoint.serves.includes(m))) };
        case 'wrongContentType':
            return { ...base, contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp']), authorised: true };
        case 'badAuth':
            return { ...base, auth: pick([null, '', 'Token', 'Token ', `Bearer ${SECRET}`, `token ${SECRET}`, `Token ${SECRET} extra`, `Token ${'a'.repeat(8000)}`, `Token ${SECRET.slice(0, -1)}`, 'Basic dXNlcjpwYXNz']), authorised: false };
        default:
            return { ...base, rawBody: JSON.stringify({ ...endpoint.valid(), pad: 'p'.repeat(110 * 1024) }) };
    }
}

let sb: Sandbox;

beforeAll(async () => {
    sb = await startSandbox();
    await sb.sim('post', '/agents', { username: 'ana' });
});

afterAll(async () => {
    await sb?.stop();
});

async function snapshot(): Promise<string> {
    const persistence = (await sb.sim('get', '/persistence')).data;
    const rooms = (await sb.sim('get', '/rooms')).data;
    return JSON.stringify({ persistence, rooms });
}

it.each(ENDPOINTS.map((e, i) => [e.path, e, i] as const))('/%s: %#', async (_path, endpoint, index) => {
    const random = prng(1000 + index);
    const before = await snapshot();
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (let n = 0; n < PER_ENDPOINT; n++) {
        const c = malformed(endpoint, random);
        const response = await sb.api(c.method, endpoint.path, undefined, { auth: c.auth, contentType: c.contentType, rawBody: c.rawBody });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const ok = response.status >= 400 && response.status < 500 && response.data && typeof response.data.error === 'string' && response.data.error.length > 0;
        const secretEchoed = typeof response.data === 'object' && JSON.stringify(response.data).includes(SECRET);
        if (!ok || secretEchoed) {
            problems.push(`#${n} ${c.method.toUpperCase()} ct=${c.contentType} auth=${c.auth?.slice(0, 20)} body=${(c.rawBody ?? '').slice(0, 80)} -> ${response.status} ${JSON.stringify(response.data).slice(0, 160)}`);
        }
    }
    expect(problems).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(await snapshot()).toBe(before);
});
