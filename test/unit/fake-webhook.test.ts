/**
 * The sandbox's generic webhook receiver (sandbox/fakes/webhook.ts) over real HTTP on 127.0.0.1:
 * tickets and idempotent retries, signatures over the exact body bytes, configured answers, faults,
 * and what `_inspect` shows.
 */
import http from 'http';
import { once } from 'events';
import { createHash, createHmac } from 'crypto';
import type { AddressInfo } from 'net';
import express from 'express';
import axios, { AxiosError, AxiosRequestConfig, AxiosResponse } from 'axios';
import { createWebhookFake, isSignatureValid, parseWebhookConfig, WEBHOOK_MAX_DELIVERIES, WebhookFake } from '../../sandbox/fakes/webhook';

const TOKEN = 'wh-token-5f2c9a7e1b3d4f60';
const ROOM = 'room-8Jd2kLq9';
/** Deliberately not what JSON.stringify would write (spacing, key order, non-ASCII), to prove the bytes are kept. */
const BODY = '{ "room": {"id": "room-8Jd2kLq9"},  "messages": [{"msg": "Grüße 👋"}] }';

let webhook: WebhookFake;
let server: http.Server;
let origin: string;
// No keep-alive: every request gets its own connection, so "down" and "lostReply" hit only that one.
const agent = new http.Agent({ keepAlive: false });

function sign(body: string, key: string): string {
    return `sha256=${createHmac('sha256', key).update(Buffer.from(body, 'utf8')).digest('hex')}`;
}

/** A string body is sent byte for byte. */
function request(config: AxiosRequestConfig): Promise<AxiosResponse> {
    return axios.request({
        baseURL: `${origin}/fakes/webhook`,
        validateStatus: () => true,
        httpAgent: agent,
        proxy: false,
        transformRequest: (data: unknown) => (data === undefined || typeof data === 'string' ? data : JSON.stringify(data)),
        ...config,
        headers: { 'Content-Type': 'application/json', ...config.headers },
    });
}

interface DeliverOptions {
    key?: string | null;
    token?: string | null;
    signature?: string | null;
    path?: string;
}

/** POSTs as the app does: Token auth, Idempotency-Key, signature over the exact bytes. */
function deliver(body: string = BODY, opts: DeliverOptions = {}): Promise<AxiosResponse> {
    const token = opts.token === undefined ? TOKEN : opts.token;
    const key = opts.key === undefined ? ROOM : opts.key;
    const signature = opts.signature === undefined ? (token === null ? null : sign(body, token)) : opts.signature;
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Token ${token}`;
    if (key !== null) headers['Idempotency-Key'] = key;
    if (signature !== null) headers['X-Ticket-Bridge-Signature'] = signature;
    return request({ method: 'POST', url: opts.path ?? '/tickets', data: body, headers });
}

const control = (url: string, data?: unknown) => request({ method: 'POST', url, data });
const inspect = async () => (await request({ method: 'GET', url: '/_inspect' })).data;

async function failureOf(promise: Promise<unknown>): Promise<AxiosError> {
    try {
        await promise;
    } catch (err) {
        return err as AxiosError;
    }
    throw new Error('expected the request to fail');
}

const isSocketError = (err: AxiosError) => err.code === 'ECONNRESET' || /socket hang up/.test(err.message);

beforeAll(async () => {
    webhook = createWebhookFake();
    const app = express();
    app.use('/fakes/webhook', webhook.router);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
    webhook.reset();
});

afterAll(async () => {
    webhook.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
});

describe('tickets', () => {
    test('a delivery gets 201 with a new ticket, recorded with its exact bytes', async () => {
        const res = await deliver();
        expect(res.status).toBe(201);
        expect(res.data).toEqual({ ticket: { id: '1', number: 'WH-1', url: 'http://127.0.0.1/tickets/1' } });

        const second = await deliver(BODY, { key: 'room-other' });
        expect(second.status).toBe(201);
        expect(second.data.ticket).toEqual({ id: '2', number: 'WH-2', url: 'http://127.0.0.1/tickets/2' });

        const { deliveries, tickets, duplicates } = webhook.inspect();
        expect(duplicates).toBe(0);
        expect(tickets).toEqual({
            [ROOM]: { id: '1', number: 'WH-1', url: 'http://127.0.0.1/tickets/1', deliveries: 1 },
            'room-other': { id: '2', number: 'WH-2', url: 'http://127.0.0.1/tickets/2', deliveries: 1 },
        });
        const bytes = Buffer.from(BODY, 'utf8');
        expect(deliveries[0]).toMatchObject({
            path: '/tickets',
            idempotencyKey: ROOM,
            bodyBytes: bytes.length,
            body: JSON.parse(BODY),
            rawSha256: createHash('sha256').update(bytes).digest('hex'),
            signatureValid: null, // no secret configured
            status: 201,
            fault: null,
            duplicate: false,
        });
        expect(deliveries[0].headers['idempotency-key']).toBe(ROOM);
        expect(deliveries[0].headers['content-type']).toBe('application/json');
        expect(new Date(deliveries[0].at).toString()).not.toBe('Invalid Date');
    });

    test('the same Idempotency-Key again gets 200 with the same ticket and counts as a duplicate', async () => {
        const first = await deliver();
        const retry = await deliver();
        expect(retry.status).toBe(200);
        expect(retry.data).toEqual(first.data);

        const { deliveries, tickets, duplicates } = webhook.inspect();
        expect(duplicates).toBe(1);
        expect(tickets[ROOM].deliveries).toBe(2);
        expect(deliveries.map((d) => [d.status, d.duplicate, d.ticket?.id])).toEqual([
            [201, false, '1'],
            [200, true, '1'],
        ]);
        // The next new room still gets the next number: a duplicate does not use one up.
        expect((await deliver(BODY, { key: 'room-2' })).data.ticket.number).toBe('WH-2');
    });

    test('deliveries without Idempotency-Key always get a new ticket', async () => {
        expect((await deliver(BODY, { key: null })).status).toBe(201);
        expect((await deliver(BODY, { key: null })).status).toBe(201);
        const { deliveries, tickets, duplicates } = webhook.inspect();
        expect(deliveries.map((d) => d.ticket?.number)).toEqual(['WH-1', 'WH-2']);
        expect(deliveries[0].idempotencyKey).toBeNull();
        expect(tickets).toEqual({});
        expect(duplicates).toBe(0);
    });

    test('a body that is not JSON is still a delivery, recorded with body null', async () => {
        const res = await deliver('not json at all');
        expect(res.status).toBe(201);
        expect(webhook.inspect().deliveries[0]).toMatchObject({ body: null, bodyBytes: 15 });
    });

    test('a body over 2 MB is answered and hashed but not stored', async () => {
        const big = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024 + 10) });
        const res = await deliver(big);
        expect(res.status).toBe(201);
        const [delivery] = webhook.inspect().deliveries;
        expect(delivery.body).toBeNull();
        expect(delivery.bodyBytes).toBe(Buffer.byteLength(big));
        expect(delivery.rawSha256).toBe(createHash('sha256').update(big).digest('hex'));
    });

    test('only the last maxDeliveries (500 by default) deliveries are kept', async () => {
        expect(WEBHOOK_MAX_DELIVERIES).toBe(500);
        const small = createWebhookFake({ maxDeliveries: 3 });
        const app = express();
        app.use('/small', small.router);
        const smallServer = app.listen(0, '127.0.0.1');
        await once(smallServer, 'listening');
        try {
            const url = `http://127.0.0.1:${(smallServer.address() as AddressInfo).port}/small/tickets`;
            for (let i = 0; i < 5; i += 1) {
                await axios.post(url, '{}', { httpAgent: agent, proxy: false, headers: { 'Content-Type': 'application/json' } });
            }
            expect(small.inspect().deliveries.map((d) => d.ticket?.number)).toEqual(['WH-3', 'WH-4', 'WH-5']);
        } finally {
            small.close();
            smallServer.closeAllConnections();
            await new Promise<void>((resolve) => smallServer.close(() => resolve()));
        }
    });

    test('other methods and paths are not deliveries', async () => {
        const res = await request({ method: 'GET', url: '/tickets' });
        expect(res.status).toBe(404);
        expect((await request({ method: 'POST', url: '/_inspect' })).status).toBe(405);
        expect(webhook.inspect().deliveries).toEqual([]);
    });
});

describe('signatures', () => {
    beforeEach(async () => {
        expect((await control('/_config', { secret: TOKEN })).data).toEqual({ secretSet: true, respond: null });
    });

    test('valid: HMAC-SHA256 of the exact bytes with the secret', async () => {
        expect((await deliver()).status).toBe(201);
        expect(webhook.inspect().deliveries[0].signatureValid).toBe(true);
    });

    test('invalid: another key, other bytes, missing header, wrong prefix, upper-case hex', async () => {
        await deliver(BODY, { signature: sign(BODY, 'another-key') });
        await deliver(BODY, { signature: sign(JSON.stringify(JSON.parse(BODY)), TOKEN) }); // same JSON, re-encoded
        await deliver(BODY, { signature: null });
        await deliver(BODY, { signature: sign(BODY, TOKEN).replace('sha256=', 'sha1=') });
        await deliver(BODY, { signature: `sha256=${sign(BODY, TOKEN).slice(7).toUpperCase()}` });
        const { deliveries } = webhook.inspect();
        expect(deliveries.map((d) => d.signatureValid)).toEqual([false, false, false, false, false]);
        // The receiver only records: every delivery still gets its ticket.
        expect(deliveries.map((d) => d.status)).toEqual([201, 200, 200, 200, 200]);
    });

    test('null again once the secret is cleared', async () => {
        await control('/_config', { secret: null });
        await deliver();
        expect(webhook.inspect().deliveries[0].signatureValid).toBeNull();
    });

    test('isSignatureValid compares the whole header', () => {
        const raw = Buffer.from(BODY, 'utf8');
        expect(isSignatureValid(sign(BODY, 'k'), raw, 'k')).toBe(true);
        expect(isSignatureValid(`${sign(BODY, 'k')} `, raw, 'k')).toBe(false);
        expect(isSignatureValid(undefined, raw, 'k')).toBe(false);
        expect(isSignatureValid('', raw, 'k')).toBe(false);
    });
});

describe('configured answers (_config respond)', () => {
    test('count: the next N deliveries get the configured answer, then the default again', async () => {
        const set = await control('/_config', { respond: { status: 400, body: { error: 'bad payload' }, count: 2 } });
        expect(set.status).toBe(200);
        expect(set.data).toEqual({ secretSet: false, respond: { status: 400, body: { error: 'bad payload' }, headers: {}, remaining: 2 } });

        for (let i = 0; i < 2; i += 1) {
            const res = await deliver();
            expect(res.status).toBe(400);
            expect(res.data).toEqual({ error: 'bad payload' });
        }
        expect((await request({ method: 'GET', url: '/_config' })).data).toEqual({ secretSet: false, respond: null });
        const third = await deliver();
        expect(third.status).toBe(201); // a configured answer never made a ticket, so this is not a duplicate
        expect(third.data.ticket.number).toBe('WH-1');

        const { deliveries, duplicates } = webhook.inspect();
        expect(deliveries.map((d) => [d.status, d.ticket])).toEqual([
            [400, null],
            [400, null],
            [201, { id: '1', number: 'WH-1', url: 'http://127.0.0.1/tickets/1' }],
        ]);
        expect(duplicates).toBe(0);
    });

    test('429 with Retry-After: the header is passed on', async () => {
        await control('/_config', { respond: { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '1' }, count: 1 } });
        const res = await deliver();
        expect(res.status).toBe(429);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.data).toEqual({ error: 'slow down' });
        expect((await deliver()).status).toBe(201);
    });

    test('without count every delivery gets it until cleared; a string body is sent as it is', async () => {
        await control('/_config', { respond: { status: 500, body: '<html>oops</html>', headers: { 'Content-Type': 'text/html' } } });
        for (let i = 0; i < 3; i += 1) {
            const res = await deliver();
            expect(res.status).toBe(500);
            expect(res.headers['content-type']).toMatch(/^text\/html/);
            expect(res.data).toBe('<html>oops</html>');
        }
        await control('/_config', { respond: null });
        expect((await deliver()).status).toBe(201);
    });

    test('no body: an empty answer', async () => {
        await control('/_config', { respond: { status: 503 } });
        const res = await deliver();
        expect(res.status).toBe(503);
        expect(res.data).toBe('');
    });

    test.each([
        [[]],
        [{ other: 1 }],
        [{ secret: '' }],
        [{ secret: 5 }],
        [{ respond: 'x' }],
        [{ respond: {} }],
        [{ respond: { status: 99 } }],
        [{ respond: { status: 600 } }],
        [{ respond: { status: 400.5 } }],
        [{ respond: { status: 400, count: 0 } }],
        [{ respond: { status: 400, headers: { 'Retry-After': 1 } } }],
        [{ respond: { status: 400, headers: { 'Bad Name': 'x' } } }],
        [{ respond: { status: 400, headers: { 'X-A': 'a\r\nb' } } }],
        [{ respond: { status: 400, extra: true } }],
        ['{"respond": '],
    ])('400 for the invalid config %j, and nothing changes', async (data) => {
        await control('/_config', { secret: TOKEN });
        const res = await control('/_config', data);
        expect(res.status).toBe(400);
        expect(typeof res.data.error).toBe('string');
        expect((await request({ method: 'GET', url: '/_config' })).data).toEqual({ secretSet: true, respond: null });
    });

    test('parseWebhookConfig keeps absent keys absent', () => {
        expect(parseWebhookConfig({})).toEqual({});
        expect(parseWebhookConfig({ secret: null, respond: null })).toEqual({ secret: null, respond: null });
    });

    test('configure() works like POST _config and throws on invalid input', () => {
        expect(webhook.configure({ respond: { status: 502, count: 1 } }).respond).toEqual({ status: 502, headers: {}, remaining: 1 });
        expect(() => webhook.configure({ respond: { status: 1 } })).toThrow(/status/);
    });
});

describe('faults', () => {
    const setFault = (data: unknown) => control('/_faults', data);

    test('status500: 500, recorded as faulted, no ticket', async () => {
        expect((await setFault({ mode: 'status500', count: 1 })).data).toEqual({ mode: 'status500', remaining: 1 });
        const res = await deliver();
        expect(res.status).toBe(500);
        expect((await deliver()).status).toBe(201);
        const { deliveries, tickets } = webhook.inspect();
        expect(deliveries.map((d) => [d.status, d.fault])).toEqual([
            [500, 'status500'],
            [201, null],
        ]);
        expect(tickets[ROOM].deliveries).toBe(1);
    });

    test('down: the connection is reset, the delivery recorded with status null and no ticket', async () => {
        await setFault({ mode: 'down' });
        const err = await failureOf(
            axios.post(`${origin}/fakes/webhook/tickets`, BODY, {
                httpAgent: agent,
                proxy: false,
                headers: { 'Content-Type': 'application/json', 'Idempotency-Key': ROOM },
            }),
        );
        expect(isSocketError(err)).toBe(true);
        const { deliveries, tickets } = webhook.inspect();
        expect(deliveries).toHaveLength(1);
        expect(deliveries[0]).toMatchObject({ status: null, fault: 'down', ticket: null, body: JSON.parse(BODY) });
        expect(tickets).toEqual({});
    });

    test('lostReply: the ticket is made but the client gets a socket error; the retry is a duplicate', async () => {
        await setFault({ mode: 'lostReply', count: 1 });
        const err = await failureOf(
            axios.post(`${origin}/fakes/webhook/tickets`, BODY, {
                httpAgent: agent,
                proxy: false,
                headers: { 'Content-Type': 'application/json', 'Idempotency-Key': ROOM },
            }),
        );
        expect(isSocketError(err)).toBe(true);
        expect(webhook.inspect().tickets[ROOM]).toEqual({ id: '1', number: 'WH-1', url: 'http://127.0.0.1/tickets/1', deliveries: 1 });

        const retry = await deliver();
        expect(retry.status).toBe(200);
        expect(retry.data.ticket.id).toBe('1');
        const { deliveries, duplicates } = webhook.inspect();
        expect(deliveries.map((d) => [d.status, d.fault, d.duplicate])).toEqual([
            [201, 'lostReply', false],
            [200, null, true],
        ]);
        expect(duplicates).toBe(1);
    });

    test('error200: a 200 that is not a ticket', async () => {
        await setFault({ mode: 'error200', count: 1 });
        const res = await deliver();
        expect(res.status).toBe(200);
        expect(res.data.ticket).toBeUndefined();
        expect(webhook.inspect().tickets).toEqual({});
    });

    test('control routes keep working during a fault', async () => {
        await setFault({ mode: 'down' });
        expect((await request({ method: 'GET', url: '/_inspect' })).status).toBe(200);
        expect((await control('/_config', { secret: TOKEN })).status).toBe(200);
        expect((await setFault({ mode: 'ok' })).data).toEqual({ mode: 'ok', remaining: null });
        expect((await deliver()).status).toBe(201);
        expect(webhook.inspect().deliveries).toHaveLength(1); // control calls are never recorded
    });

    test('400 for an invalid fault spec', async () => {
        expect((await setFault({ mode: 'broken' })).status).toBe(400);
        expect((await setFault('{"mode": ')).status).toBe(400);
        expect(webhook.faults.current()).toEqual({ mode: 'ok', remaining: null });
    });
});

describe('_inspect and _reset', () => {
    test('_inspect redacts the Authorization token and never shows the secret', async () => {
        await control('/_config', { secret: TOKEN });
        await deliver();
        await deliver(BODY, { token: null, signature: sign(BODY, TOKEN) });
        await request({ method: 'POST', url: '/tickets', data: '{}', headers: { Authorization: `Bearer ${TOKEN}`, 'X-Echo': `x${TOKEN}` } });

        const data = await inspect();
        expect(JSON.stringify(data)).not.toContain(TOKEN);
        const [withToken, withoutToken, bearer] = data.deliveries;
        expect(withToken.headers.authorization).toBe('Token ***');
        expect(withToken.headers['x-ticket-bridge-signature']).toBe(sign(BODY, TOKEN));
        expect(withoutToken.headers).not.toHaveProperty('authorization');
        expect(withoutToken.signatureValid).toBe(true);
        expect(bearer.headers.authorization).toBe('Bearer ***');
        expect(bearer.headers['x-echo']).toBe('<redacted>');
        expect(data.duplicates).toBe(1);
        expect(Object.keys(data.tickets)).toEqual([ROOM]);
    });

    test('_reset forgets deliveries, tickets, duplicates, numbering, respond, secret and faults', async () => {
        await control('/_config', { secret: TOKEN, respond: { status: 400, count: 1 } });
        await deliver();
        await deliver();
        await deliver();
        await control('/_faults', { mode: 'error200' });
        const res = await control('/_reset');
        expect(res.status).toBe(200);
        expect(await inspect()).toEqual({ deliveries: [], tickets: {}, duplicates: 0 });
        expect((await request({ method: 'GET', url: '/_config' })).data).toEqual({ secretSet: false, respond: null });
        expect(webhook.faults.current()).toEqual({ mode: 'ok', remaining: null });
        expect((await deliver()).data.ticket.number).toBe('WH-1');
    });
});
