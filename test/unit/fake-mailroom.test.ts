/**
 * The sandbox's mailroom-style callback receiver (sandbox/fakes/mailroom.ts) and the shared fault
 * injector (sandbox/fakes/faults.ts), over real HTTP on 127.0.0.1.
 * Expected statuses and bodies come from shared/contracts/rapidpro.md §4.3 (mailroom's own fixtures).
 */
import http from 'http';
import { once } from 'events';
import type { AddressInfo } from 'net';
import express from 'express';
import axios, { AxiosError, AxiosRequestConfig, AxiosResponse } from 'axios';
import { createMailroomFake, isLoopbackHost, MailroomFake } from '../../sandbox/fakes/mailroom';
import { createFaultInjector } from '../../sandbox/fakes/faults';

const SECRET = 'K7WQ2M9XH4PJZ3C8RB5NTD6FYG2LVS4A'; // RapidPro-style: 32 characters
const TICKETER = '6c50665f-b4ff-4e37-9625-bc464fe6a999'; // mailroom's fixture ticketer
const TICKET = 'c69f103c-db64-4481-815b-1112890419ef'; // mailroom's fixture ticket ("cathy")
const CALLBACK_PATH = `/mr/tickets/types/rocketchat/event_callback/${TICKETER}`;

let secret: string | undefined = SECRET;
let mailroom: MailroomFake;
let server: http.Server;
let origin: string;
// No keep-alive: every request gets its own connection, so "down" and "timeout" hit only that one.
const agent = new http.Agent({ keepAlive: false });

async function listen(app: express.Express): Promise<{ server: http.Server; origin: string }> {
    const started = app.listen(0, '127.0.0.1');
    await once(started, 'listening');
    return { server: started, origin: `http://127.0.0.1:${(started.address() as AddressInfo).port}` };
}

async function stop(toStop: http.Server): Promise<void> {
    toStop.closeAllConnections();
    await new Promise<void>((resolve) => toStop.close(() => resolve()));
}

/** A string body is sent byte for byte (axios would JSON-encode a string that is not valid JSON). */
function request(config: AxiosRequestConfig): Promise<AxiosResponse> {
    return axios.request({
        baseURL: `${origin}/fakes/mailroom`,
        validateStatus: () => true,
        httpAgent: agent,
        proxy: false,
        transformRequest: (data: unknown) => (data === undefined || typeof data === 'string' ? data : JSON.stringify(data)),
        ...config,
        headers: { 'Content-Type': 'application/json', ...config.headers },
    });
}

/** POSTs a callback as the app does; `auth: null` sends no Authorization header. */
function callback(body: unknown, opts: { auth?: string | null; path?: string; timeout?: number } = {}): Promise<AxiosResponse> {
    const auth = opts.auth === undefined ? `Token ${SECRET}` : opts.auth;
    return request({
        method: 'POST',
        url: opts.path ?? CALLBACK_PATH,
        data: body,
        headers: auth === null ? {} : { Authorization: auth },
        timeout: opts.timeout,
    });
}

function agentMessage(data: unknown, ticketID = TICKET): Record<string, unknown> {
    return { type: 'agent-message', ticketID, visitor: { token: '1234' }, data };
}

const closeRoom = (ticketID = TICKET) => ({ type: 'close-room', ticketID, visitor: { token: '1234' } });

async function failureOf(promise: Promise<unknown>): Promise<AxiosError> {
    try {
        await promise;
    } catch (err) {
        return err as AxiosError;
    }
    throw new Error('expected the request to fail');
}

async function waitFor(condition: () => boolean, withinMs = 3000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

beforeAll(async () => {
    mailroom = createMailroomFake({ secret: () => secret, fetchTimeoutMs: 2000 });
    const app = express();
    // Files the fake fetches, as the sandbox serves uploads on loopback.
    app.get('/files/image.jpg', (_req, res) => {
        res.type('image/jpeg').send(Buffer.from('IMAGE'));
    });
    app.get('/files/missing.jpg', (_req, res) => {
        res.status(404).send('not found');
    });
    app.get('/files/moved.jpg', (_req, res) => res.redirect(302, '/files/image.jpg'));
    app.get('/files/loop.jpg', (_req, res) => res.redirect(302, '/files/loop.jpg'));
    app.get('/files/away.jpg', (_req, res) => res.redirect(302, 'http://example.invalid/image.jpg'));
    app.use('/fakes/mailroom', mailroom.router);
    ({ server, origin } = await listen(app));
});

beforeEach(() => {
    secret = SECRET;
    mailroom.reset();
});

afterAll(async () => {
    mailroom.close();
    await stop(server);
    agent.destroy();
});

describe('callbacks that mailroom handles (§4.3 fixtures)', () => {
    test('a text agent-message is handled and sent once', async () => {
        const res = await callback(agentMessage({ text: 'We can help' }));
        expect(res.status).toBe(200);
        expect(res.data).toEqual({ status: 'handled' });
        const { messages, tickets, ticketers } = mailroom.inspect();
        expect(messages).toEqual([{ at: expect.any(String), ticketID: TICKET, text: 'We can help', attachments: [] }]);
        expect(tickets[TICKET]).toEqual({ status: 'open', closedCount: 0 });
        expect(ticketers).toEqual([TICKETER]);
    });

    test('a loopback attachment is fetched and its Content-Type wins over the declared type', async () => {
        const url = `${origin}/files/image.jpg`;
        const res = await callback(agentMessage({ attachments: [{ type: 'image/jpg', url }] }));
        expect(res.status).toBe(200);
        expect(res.data).toEqual({ status: 'handled' });
        expect(mailroom.inspect().messages).toEqual([
            {
                at: expect.any(String),
                ticketID: TICKET,
                text: '',
                attachments: [{ type: 'image/jpg', url, fetched: true, contentType: 'image/jpeg', byteLength: 5 }],
            },
        ]);
    });

    test('a loopback attachment behind a redirect is followed', async () => {
        const res = await callback(agentMessage({ attachments: [{ type: 'image/jpg', url: `${origin}/files/moved.jpg` }] }));
        expect(res.status).toBe(200);
        expect(mailroom.inspect().messages[0].attachments[0]).toMatchObject({ fetched: true, contentType: 'image/jpeg' });
    });

    test("the fixture's non-loopback attachment is accepted but never fetched", async () => {
        const url = 'https://link.to/image.jpg';
        const res = await callback(agentMessage({ attachments: [{ type: 'image/jpg', url }] }));
        expect(res.status).toBe(200);
        expect(mailroom.inspect().messages[0].attachments).toEqual([{ type: 'image/jpg', url, fetched: false }]);
    });

    test('close-room closes the ticket; closing it again is a no-op that still answers 200', async () => {
        const first = await callback(closeRoom());
        expect(first.status).toBe(200);
        expect(first.data).toEqual({ status: 'handled' });
        expect(mailroom.inspect().tickets[TICKET]).toEqual({ status: 'closed', closedCount: 1 });

        const second = await callback(closeRoom());
        expect(second.status).toBe(200);
        expect(second.data).toEqual({ status: 'handled' });
        expect(mailroom.inspect().tickets[TICKET]).toEqual({ status: 'closed', closedCount: 2 });
    });

    test('an agent-message to a closed ticket is still sent (mailroom does not check)', async () => {
        await callback(closeRoom());
        const res = await callback(agentMessage({ text: 'late' }));
        expect(res.status).toBe(200);
        expect(mailroom.inspect().messages).toHaveLength(1);
    });
});

describe('callbacks that mailroom refuses (§4.3 order of checks)', () => {
    test('404 with the path under the mount when the ticketer does not match [a-f0-9-]+', async () => {
        const res = await callback(agentMessage({ text: 'We can help' }), { path: '/mr/tickets/types/rocketchat/event_callback/XYZ' });
        expect(res.status).toBe(404);
        expect(res.data).toEqual({ error: 'not found: /mr/tickets/types/rocketchat/event_callback/XYZ' });
    });

    test('405 for another method on the callback route', async () => {
        const res = await request({ method: 'GET', url: CALLBACK_PATH });
        expect(res.status).toBe(405);
        expect(res.data).toEqual({ error: 'illegal method: GET' });
    });

    test.each([
        ['a missing Authorization header', null],
        ['a wrong token', 'Token 987654321'],
        ['the right secret with another scheme', `Bearer ${SECRET}`],
        ['the right secret with extra spaces', `Token  ${SECRET}`],
    ])('401 unauthorized for %s', async (_label, auth) => {
        const res = await callback(agentMessage({ text: 'We can help' }), { auth });
        expect(res.status).toBe(401);
        expect(res.data).toEqual({ status: 'unauthorized' });
        expect(mailroom.inspect().messages).toEqual([]);
    });

    test.each([
        ['empty', ''],
        ['unset', undefined],
    ])('401 for every token when the secret is %s (fail closed)', async (_label, value) => {
        secret = value;
        for (const auth of [null, 'Token ', 'Token undefined', `Token ${SECRET}`]) {
            const res = await callback(agentMessage({ text: 'x' }), { auth });
            expect(res.status).toBe(401);
            expect(res.data).toEqual({ status: 'unauthorized' });
        }
    });

    test('the secret is checked before the body is read', async () => {
        const res = await callback('{"type": ', { auth: 'Token wrong' });
        expect(res.status).toBe(401);
    });

    test.each([
        ['type', { ticketID: TICKET, data: { text: 'x' } }, "field 'type' is required"],
        ['ticketID', { type: 'agent-message', data: { text: 'x' } }, "field 'ticketID' is required"],
        ['type (empty)', { type: '', ticketID: TICKET }, "field 'type' is required"],
        ['both', { data: {} }, "field 'type' is required, field 'ticketID' is required"],
    ])('400 when %s is missing', async (_label, body, error) => {
        const res = await callback(body);
        expect(res.status).toBe(400);
        expect(res.data).toEqual({ error });
    });

    test('400 with a JSON error (not an HTML page) for malformed JSON', async () => {
        const res = await callback('{"type": "agent-message", ');
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(typeof res.data.error).toBe('string');
        expect(res.data.error.length).toBeGreaterThan(0);
    });

    test('400 for a body that is not a JSON object, and for a wrongly typed field', async () => {
        expect((await callback('[]')).status).toBe(400);
        const res = await callback({ type: 1, ticketID: TICKET });
        expect(res.status).toBe(400);
        expect(res.data.error).toMatch(/cannot unmarshal number/);
    });

    test('400 for an agent-message without data (mailroom cannot unmarshal it)', async () => {
        const res = await callback({ type: 'agent-message', ticketID: TICKET });
        expect(res.status).toBe(400);
        expect(res.data).toEqual({ error: 'unexpected end of JSON input' });
    });

    test('400 invalid event type', async () => {
        const res = await callback({ type: 'other', ticketID: TICKET, data: { text: 'We can help' } });
        expect(res.status).toBe(400);
        expect(res.data).toEqual({ error: 'invalid event type' });
    });

    test('404 for an unknown ticket that is not a UUID, accepted once registered through _tickets', async () => {
        const before = await callback(agentMessage({ text: 'hi' }, 'cathy'));
        expect(before.status).toBe(404);
        expect(before.data).toEqual({ error: 'no such ticket cathy' });

        const registered = await request({ method: 'POST', url: '/_tickets', data: { ticketID: 'cathy' } });
        expect(registered.status).toBe(200);
        expect(registered.data).toEqual({ ticketID: 'cathy', status: 'open', closedCount: 0 });

        const after = await callback(agentMessage({ text: 'hi' }, 'cathy'));
        expect(after.status).toBe(200);
        expect((await request({ method: 'POST', url: '/_tickets', data: {} })).status).toBe(400);
    });

    test('a failed attachment fetch answers 400 and loses the whole message, text included', async () => {
        const url = `${origin}/files/missing.jpg`;
        const res = await callback(
            agentMessage({ text: 'see file', attachments: [{ type: 'image/jpg', url: `${origin}/files/image.jpg` }, { type: 'image/jpg', url }] }),
        );
        expect(res.status).toBe(400);
        expect(res.data).toEqual({ error: `error fetching ticket file '${url}': fetch returned non-200 response` });
        expect(mailroom.inspect().messages).toEqual([]);
    });

    test('a loopback file that redirects away from loopback is refused, not fetched', async () => {
        const url = `${origin}/files/away.jpg`;
        const res = await callback(agentMessage({ attachments: [{ type: 'image/jpg', url }] }));
        expect(res.status).toBe(400);
        expect(res.data.error).toMatch(new RegExp(`^error fetching ticket file '${url}': .*non-loopback host example\\.invalid`));
    });

    test('more than 3 redirects fail the fetch', async () => {
        const url = `${origin}/files/loop.jpg`;
        const res = await callback(agentMessage({ attachments: [{ type: 'image/jpg', url }] }));
        expect(res.status).toBe(400);
        expect(res.data.error).toMatch(/redirects/i);
        expect(mailroom.inspect().messages).toEqual([]);
    });

    test('loopback hosts are 127.0.0.0/8, ::1 and localhost only', () => {
        for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1']) expect(isLoopbackHost(host)).toBe(true);
        for (const host of ['link.to', '10.0.0.1', '128.0.0.1', '[::2]', '127.example.com', '']) expect(isLoopbackHost(host)).toBe(false);
    });
});

describe('fault injection', () => {
    const setFault = (data: unknown) => request({ method: 'POST', url: '/_faults', data });

    test('down: the connection is reset without an answer, and the call is still recorded', async () => {
        expect((await setFault({ mode: 'down' })).data).toEqual({ mode: 'down', remaining: null });
        const err = await failureOf(axios.post(`${origin}/fakes/mailroom${CALLBACK_PATH}`, closeRoom(), { httpAgent: agent, proxy: false }));
        expect(err.code === 'ECONNRESET' || /socket hang up/.test(err.message)).toBe(true);

        const [call] = mailroom.calls();
        expect(call).toMatchObject({ method: 'POST', path: CALLBACK_PATH, status: null, fault: 'down', body: closeRoom() });
        expect(mailroom.inspect().tickets).toEqual({}); // the fault came before any handling
    });

    test('status500: 500 with a plain text body', async () => {
        await setFault({ mode: 'status500' });
        const res = await callback(closeRoom());
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.data).toBe('Internal Server Error');
        expect(mailroom.calls()[0]).toMatchObject({ status: 500, fault: 'status500' });
    });

    test('timeout: no answer until the client gives up, then the held socket is released', async () => {
        await setFault({ mode: 'timeout' });
        const err = await failureOf(
            axios.post(`${origin}/fakes/mailroom${CALLBACK_PATH}`, closeRoom(), { timeout: 300, httpAgent: agent, proxy: false }),
        );
        expect(err.code).toBe('ECONNABORTED');
        expect(err.message).toMatch(/timeout of 300ms exceeded/);
        await waitFor(() => mailroom.faults.heldSocketCount() === 0);
        expect(mailroom.calls()[0]).toMatchObject({ status: null, fault: 'timeout' });
    });

    test('timeout: _reset destroys the held sockets at once', async () => {
        await setFault({ mode: 'timeout' });
        const pending = failureOf(axios.post(`${origin}/fakes/mailroom${CALLBACK_PATH}`, closeRoom(), { timeout: 10_000, httpAgent: agent, proxy: false }));
        await waitFor(() => mailroom.faults.heldSocketCount() === 1);
        const started = Date.now();
        expect((await request({ method: 'POST', url: '/_reset' })).status).toBe(200);
        const err = await pending;
        expect(err.code === 'ECONNRESET' || /socket hang up/.test(err.message)).toBe(true);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(mailroom.faults.current()).toEqual({ mode: 'ok', remaining: null });
    });

    test('timeout: a held socket is destroyed after maxHoldMs even if the client waits longer', async () => {
        const faults = createFaultInjector({ maxHoldMs: 150 });
        faults.set({ mode: 'timeout' });
        const app = express();
        app.use(faults.middleware);
        app.get('/', (_req, res) => res.send('ok'));
        const held = await listen(app);
        try {
            const started = Date.now();
            const err = await failureOf(axios.get(held.origin, { timeout: 10_000, httpAgent: agent, proxy: false }));
            expect(err.code === 'ECONNRESET' || /socket hang up/.test(err.message)).toBe(true);
            expect(Date.now() - started).toBeLessThan(5000);
            expect(faults.heldSocketCount()).toBe(0);
        } finally {
            faults.close();
            await stop(held.server);
        }
    });

    test('error200: HTTP 200 with a body that is not {"status":"handled"}', async () => {
        await setFault({ mode: 'error200' });
        const res = await callback(closeRoom());
        expect(res.status).toBe(200);
        expect(res.data).not.toEqual({ status: 'handled' });
        expect(res.data).toEqual({ status: 'error' });
        expect(mailroom.inspect().tickets).toEqual({});
    });

    test('count: the fault applies to the next N requests only, then back to ok', async () => {
        expect((await setFault({ mode: 'status500', count: 2 })).data).toEqual({ mode: 'status500', remaining: 2 });
        expect((await callback(closeRoom())).status).toBe(500);
        expect((await request({ method: 'GET', url: '/_faults' })).data).toEqual({ mode: 'status500', remaining: 1 });
        expect((await callback(closeRoom())).status).toBe(500);
        const third = await callback(closeRoom());
        expect(third.status).toBe(200);
        expect(third.data).toEqual({ status: 'handled' });
        expect(mailroom.faults.current()).toEqual({ mode: 'ok', remaining: null });
        expect(mailroom.calls().map((call) => call.fault)).toEqual(['status500', 'status500', null]);
    });

    test('control routes keep working during a fault', async () => {
        await setFault({ mode: 'down' });
        expect((await request({ method: 'GET', url: '/_inspect' })).status).toBe(200);
        expect((await request({ method: 'POST', url: '/_tickets', data: { ticketID: 'x' } })).status).toBe(200);
        expect((await setFault({ mode: 'ok' })).data).toEqual({ mode: 'ok', remaining: null });
        expect((await callback(closeRoom())).status).toBe(200);
    });

    test.each([
        [{ mode: 'broken' }],
        [{}],
        [{ mode: 'down', count: 0 }],
        [{ mode: 'down', count: -1 }],
        [{ mode: 'down', count: 1.5 }],
        [{ mode: 'down', count: '2' }],
        ['{"mode": '],
    ])('400 for the invalid fault spec %j', async (data) => {
        const res = await request({ method: 'POST', url: '/_faults', data });
        expect(res.status).toBe(400);
        expect(typeof res.data.error).toBe('string');
        expect(mailroom.faults.current()).toEqual({ mode: 'ok', remaining: null });
    });

    test('set() validates too', () => {
        const faults = createFaultInjector();
        expect(() => faults.set({ mode: 'nope' as 'ok' })).toThrow(/unknown fault mode/);
        expect(() => faults.set({ mode: 'down', count: 0 })).toThrow(/positive integer/);
        expect(faults.set({ mode: 'error200', count: 3 })).toEqual({ mode: 'error200', remaining: 3 });
    });
});

describe('_inspect and _reset', () => {
    test('records every call (4xx and faulted included) and never shows the secret', async () => {
        await callback(agentMessage({ text: 'We can help' }));
        await callback(agentMessage({ text: 'x' }), { auth: 'Token 987654321' });
        await callback(agentMessage({ text: 'x' }), { auth: null });
        await callback('not json');
        await request({ method: 'POST', url: '/_faults', data: { mode: 'status500', count: 1 } });
        await callback(closeRoom());
        await request({ method: 'GET', url: '/nowhere' });

        const res = await request({ method: 'GET', url: '/_inspect' });
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.data)).not.toContain(SECRET);
        const calls = res.data.calls as Array<Record<string, any>>;
        expect(calls.map((call) => [call.status, call.fault])).toEqual([
            [200, null],
            [401, null],
            [401, null],
            [400, null],
            [500, 'status500'],
            [404, null],
        ]);
        expect(calls[0].headers.authorization).toBe('Token ***');
        expect(calls[0].headers['content-type']).toBe('application/json');
        expect(calls[0].body).toEqual(agentMessage({ text: 'We can help' }));
        expect(new Date(calls[0].at).toString()).not.toBe('Invalid Date');
        expect(calls[1].headers.authorization).toBe('<invalid>');
        expect(calls[2].headers).not.toHaveProperty('authorization');
        expect(calls[3].body).toBe('not json');
        expect(calls[5]).toMatchObject({ method: 'GET', path: '/nowhere' });
    });

    test('_reset clears calls, tickets, messages and faults', async () => {
        await callback(agentMessage({ text: 'hello' }));
        await callback(closeRoom());
        await request({ method: 'POST', url: '/_faults', data: { mode: 'error200' } });
        expect((await request({ method: 'POST', url: '/_reset' })).status).toBe(200);
        expect(mailroom.inspect()).toEqual({ calls: [], tickets: {}, messages: [], ticketers: [] });
        expect(mailroom.faults.current()).toEqual({ mode: 'ok', remaining: null });
    });
});
