/*
 * The RapidPro-compatible API and its callbacks, through the real engine, replaying the mailroom
 * fixtures of contracts/rapidpro.md; the embedded mailroom fake checks callback bodies and headers.
 */
import { eventually, SECRET, Sandbox, startSandbox, uuid } from './harness';

interface MailroomCall {
    method: string;
    headers: Record<string, string>;
    body: { type?: string; ticketID?: string; visitor?: { token?: string }; data?: { text?: string; attachments?: Array<{ type: string; url: string }> } };
    status: number | null;
}

let sb: Sandbox;
let salesId: string;
let tokenSeq = 0;
const nextToken = () => `${Date.now() % 1e6}${++tokenSeq}`;

beforeAll(async () => {
    sb = await startSandbox();
    salesId = (await sb.sim('post', '/departments', { name: 'Vendas' })).data.id;
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Agent', departmentIds: [salesId] });
    await sb.sim('post', '/custom-fields', { id: 'cpf', scope: 'visitor' });
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/mailroom/_reset');
});

async function mailroomCalls(): Promise<MailroomCall[]> {
    return (await sb.http.get('/fakes/mailroom/_inspect')).data.calls;
}

/** The first callback matching, once the fake has answered it (it records a call on arrival, status later). */
function answeredCall(match: (call: MailroomCall) => boolean, what: string): Promise<MailroomCall> {
    return eventually(async () => (await mailroomCalls()).find((c) => match(c) && c.status !== null), 10000, what);
}

async function openTicket(extra: Record<string, unknown> = {}, visitor: Record<string, unknown> = {}) {
    const ticketID = uuid();
    const token = nextToken();
    const response = await sb.api('get', 'room', { ticketID, visitor: { token, name: 'Ryan Lewis', ...visitor }, ...extra });
    return { ticketID, token, response, roomId: response.data?.id as string };
}

async function room(roomId: string) {
    return (await sb.sim('get', `/rooms/${roomId}`)).data;
}

describe('authentication and content type', () => {
    const endpoints: Array<[string, string, unknown]> = [
        ['get', 'room', { ticketID: uuid(), visitor: { token: 'auth-1' } }],
        ['post', 'visitor-message', { visitor: { token: 'auth-1' }, text: 'hi' }],
        ['get', 'room.close', { visitor: { token: 'auth-1' } }],
        ['get', 'secret.check', undefined],
        ['put', 'settings', { webhook: { url: 'http://127.0.0.1:9/x' } }],
        ['get', 'settings', undefined],
    ];

    it.each(endpoints)('%s /%s: 401 JSON without the secret or with a wrong one, never echoing it', async (method, path, body) => {
        for (const auth of [null, 'Token wrong-secret', `Bearer ${SECRET}`, `token ${SECRET}`, `Token ${SECRET}x`]) {
            const response = await sb.api(method, path, body, { auth });
            expect(response.status).toBe(401);
            expect(typeof response.data.error).toBe('string');
            expect(JSON.stringify(response.data)).not.toContain(SECRET);
        }
    });

    it('fails closed on every endpoint while the app secret is unset', async () => {
        await sb.sim('put', '/settings', { app_secret: '' });
        try {
            for (const [method, path, body] of endpoints) {
                const response = await sb.api(method, path, body);
                expect(response.status).toBe(403);
                expect(response.data.error).toMatch(/secret is not set/);
            }
        } finally {
            await sb.sim('put', '/settings', { app_secret: SECRET });
        }
        expect((await sb.api('get', 'secret.check')).status).toBe(200);
    });

    it('accepts application/json with parameters, and reads bodies on GET', async () => {
        const { ticketID, token } = { ticketID: uuid(), token: nextToken() };
        const response = await sb.api('get', 'room', { ticketID, visitor: { token } }, { contentType: 'application/json; charset=utf-8' });
        expect(response.status).toBe(201);
        expect(response.data.id).toEqual(expect.any(String));
    });

    it('refuses other media types with 415 JSON and changes nothing', async () => {
        const token = nextToken();
        const response = await sb.api('get', 'room', { ticketID: uuid(), visitor: { token } }, { contentType: 'text/plain' });
        expect(response.status).toBe(415);
        expect(response.data).toEqual({ error: 'Content-Type must be application/json' });
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toEqual([]);
    });

    it('answers a method an endpoint does not serve with 405 JSON', async () => {
        const response = await sb.api('post', 'room', { ticketID: uuid(), visitor: { token: 'x' } });
        expect(response.status).toBe(405);
        expect(response.data.error).toContain('GET');
        expect(response.headers.allow).toBe('GET');
    });
});

describe('GET /secret.check and /settings', () => {
    it('checks the secret', async () => {
        const response = await sb.api('get', 'secret.check');
        expect(response.status).toBe(200);
        expect(response.data).toEqual({ status: 'ok' });
    });

    it('PUT /settings answers exactly 204, idempotently, for docker-style, loopback and private URLs', async () => {
        const original = (await sb.api('get', 'settings')).data.webhook.url;
        try {
            for (const url of ['http://mailroom:8090/mr/tickets/types/rocketchat/event_callback/6a4f1a36-6e6a-4b0b-8d5a-5e3f2c1b0a99', 'http://10.0.0.5/cb', 'https://rapidpro.example.com/mr/x']) {
                for (let i = 0; i < 2; i++) {
                    const response = await sb.api('put', 'settings', { webhook: { url } });
                    expect(response.status).toBe(204);
                    expect(response.data).toBe('');
                }
                const shown = await sb.api('get', 'settings');
                expect(shown.data).toEqual({ webhook: { url } });
                expect(JSON.stringify(shown.data)).not.toContain(SECRET);
            }
        } finally {
            expect((await sb.api('put', 'settings', { webhook: { url: original } })).status).toBe(204);
        }
    });

    it('refuses a body without a usable URL with 400 and keeps the old URL', async () => {
        const before = (await sb.api('get', 'settings')).data;
        for (const body of [{}, { webhook: {} }, { webhook: { url: 'ftp://x/y' } }, { webhook: { url: 'not a url' } }, { webhook: 'http://x' }]) {
            const response = await sb.api('put', 'settings', body);
            expect(response.status).toBe(400);
            expect(typeof response.data.error).toBe('string');
        }
        expect((await sb.api('get', 'settings')).data).toEqual(before);
    });
});

describe('GET /room', () => {
    it('opens a room for the mailroom fixture and answers 201 {"id"}', async () => {
        // contracts/rapidpro.md §3.3, TestOpenAndForward_open_ticket.snap
        const ticketID = uuid();
        const token = nextToken();
        const response = await sb.api('get', 'room', {
            visitor: { token, contactUUID: '5d76d86b-3bb9-4d5a-b822-c9d86f5d8e4f', name: 'Ryan Lewis', email: 'foo@bar.com', phone: '+12024561111' },
            ticketID,
        });
        expect(response.status).toBe(201);
        expect(response.data).toEqual({ id: expect.any(String) });
        const opened = await room(response.data.id);
        expect(opened.isOpen).toBe(true);
        expect(opened.visitor).toMatchObject({ token, name: 'Ryan Lewis', visitorEmails: [{ address: 'foo@bar.com' }], phone: [{ phoneNumber: '+12024561111' }] });
        expect(opened.servedBy.username).toBe('ana');
        expect(opened.source).toMatchObject({ type: 'app' });
    });

    it('opens a room for a nameless contact (mailroom omits empty fields)', async () => {
        const response = await sb.api('get', 'room', { visitor: { token: nextToken() }, ticketID: uuid() });
        expect(response.status).toBe(201);
        const opened = await room(response.data.id);
        expect(opened.visitor.name).toMatch(/^Contact /);
    });

    it("takes Weni's department (by name or id), custom fields and sessionStart", async () => {
        const byName = await openTicket({ sessionStart: '2019-10-07T15:20:30Z' }, { department: 'Vendas', customFields: { cpf: '123.456.789-00' } });
        expect(byName.response.status).toBe(201);
        const opened = await room(byName.roomId);
        expect(opened.department.id).toBe(salesId);
        expect(opened.visitor.livechatData).toEqual({ cpf: '123.456.789-00' });
        const byId = await openTicket({}, { department: salesId });
        expect(byId.response.status).toBe(201);
        expect((await room(byId.roomId)).department.name).toBe('Vendas');
    });

    it('answers 404 for an unknown department and opens nothing', async () => {
        const { token, response } = await openTicket({}, { department: 'kitchen' });
        expect(response.status).toBe(404);
        expect(response.data).toEqual({ error: 'Could not find a department with name: kitchen' });
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toEqual([]);
    });

    it('opens the room even when a custom field does not exist, and logs it', async () => {
        const { response } = await openTicket({}, { customFields: { no_such_field: 'x' } });
        expect(response.status).toBe(201);
        const logs = (await sb.sim('get', '/logs')).data as Array<{ message: string }>;
        expect(logs.some((l) => l.message.includes('custom field "no_such_field"'))).toBe(true);
    });

    it('is idempotent per (token, ticketID) and refuses another ticket while the room is open', async () => {
        const first = await openTicket();
        const retry = await sb.api('get', 'room', { ticketID: first.ticketID, visitor: { token: first.token, name: 'Ryan Lewis' } });
        expect(retry.status).toBe(201);
        expect(retry.data.id).toBe(first.roomId);
        const other = await sb.api('get', 'room', { ticketID: uuid(), visitor: { token: first.token } });
        expect(other.status).toBe(400);
        expect(other.data).toEqual({ error: 'Visitor already has an open room' });
        expect((await sb.sim('get', `/rooms?token=${first.token}`)).data).toHaveLength(1);
    });

    it('never opens two rooms for concurrent duplicates', async () => {
        const ticketID = uuid();
        const token = nextToken();
        const answers = await Promise.all(Array.from({ length: 12 }, () => sb.api('get', 'room', { ticketID, visitor: { token } })));
        expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
        expect(new Set(answers.map((a) => a.data.id)).size).toBe(1);
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toHaveLength(1);
    });

    it('refuses when Rocket.Chat already has an open room for the visitor that the app did not open', async () => {
        const token = nextToken();
        await sb.sim('post', '/rooms', { visitor: { token, name: 'Widget visitor' } });
        const response = await sb.api('get', 'room', { ticketID: uuid(), visitor: { token } });
        expect(response.status).toBe(400);
        expect(response.data).toEqual({ error: 'Visitor already has an open room' });
    });

    it('answers a clear 4xx when no agent is online, never "Unexpected error"', async () => {
        await sb.sim('patch', '/agents/ana', { online: false });
        try {
            const { token, response } = await openTicket();
            expect(response.status).toBe(400);
            expect(response.data).toEqual({ error: "There's no agents online" });
            expect((await sb.sim('get', `/rooms?token=${token}`)).data).toEqual([]);
        } finally {
            await sb.sim('patch', '/agents/ana', { online: true });
        }
    });

    it('refuses invalid bodies with 400 JSON before doing anything', async () => {
        const token = nextToken();
        for (const body of [{}, { ticketID: 'not-a-uuid', visitor: { token } }, { ticketID: uuid() }, { ticketID: uuid(), visitor: { token: ['x'] } },
            { ticketID: uuid(), visitor: { token, email: 'nope' } }, { ticketID: uuid(), visitor: { token }, sessionStart: 'yesterday' }]) {
            const response = await sb.api('get', 'room', body);
            expect(response.status).toBe(400);
            expect(typeof response.data.error).toBe('string');
        }
        const malformed = await sb.api('get', 'room', undefined, { rawBody: '{"ticketID": ' });
        expect(malformed.status).toBe(400);
        expect(typeof malformed.data.error).toBe('string');
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toEqual([]);
    });
});

describe('POST /visitor-message', () => {
    it('posts the mailroom fixture as the visitor, keeping every attachment', async () => {
        const { token, roomId } = await openTicket();
        // contracts/rapidpro.md §3.4, TestOpenAndForward_forward_message.snap, plus a document and a location
        const response = await sb.api('post', 'visitor-message', {
            visitor: { token },
            text: "It's urgent",
            attachments: [
                { type: 'image/jpg', url: 'https://link.to/image.jpg' },
                { type: 'video/mp4', url: 'https://link.to/video.mp4' },
                { type: 'audio/ogg', url: 'https://link.to/audio.ogg' },
                { type: 'application/pdf', url: 'https://link.to/invoice.pdf' },
                { type: 'geo', url: '-23.5505,-46.6333' },
            ],
        });
        expect(response.status).toBe(201);
        expect(response.data.id).toEqual(expect.any(String));
        expect(response.data.id.length).toBeGreaterThan(0);
        const posted = (await room(roomId)).messages.find((m: { id: string }) => m.id === response.data.id);
        expect(posted.fromVisitor).toBe(true);
        expect(posted.text).toContain("It's urgent");
        for (const url of ['https://link.to/video.mp4', 'https://link.to/audio.ogg', 'https://link.to/invoice.pdf', '-23.5505,-46.6333']) {
            expect(posted.text).toContain(url);
        }
        const attachments = posted.attachments as Array<Record<string, string>>;
        expect(attachments.find((a) => a.image_url === 'https://link.to/image.jpg')).toBeDefined();
        expect(attachments.find((a) => a.video_url === 'https://link.to/video.mp4')).toBeDefined();
        expect(attachments.find((a) => a.audio_url === 'https://link.to/audio.ogg')).toBeDefined();
        expect(attachments.find((a) => a.title_link === 'https://link.to/invoice.pdf')).toBeDefined();
    });

    it('answers 404 for an unknown token and opens no room', async () => {
        const token = nextToken();
        const response = await sb.api('post', 'visitor-message', { visitor: { token }, text: 'hello?' });
        expect(response.status).toBe(404);
        expect(response.data).toEqual({ error: `Could not find a room for visitor token: ${token}` });
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toEqual([]);
    });

    it('answers 404 for a room closed in Rocket.Chat, opens no new room, and tells the platform', async () => {
        const { token, roomId, ticketID } = await openTicket();
        await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'bye' });
        const response = await sb.api('post', 'visitor-message', { visitor: { token }, text: 'one more thing' });
        expect(response.status).toBe(404);
        expect((await sb.sim('get', `/rooms?token=${token}`)).data).toHaveLength(1);
        await eventually(async () => (await mailroomCalls()).some((c) => c.body.type === 'close-room' && c.body.ticketID === ticketID && c.status === 200), 10000, 'close-room');
    });

    it('refuses a message with neither text nor attachments', async () => {
        const { token } = await openTicket();
        const response = await sb.api('post', 'visitor-message', { visitor: { token } });
        expect(response.status).toBe(400);
        expect(response.data).toEqual({ error: 'Could not send message with empty text and attachments' });
    });
});

describe('callbacks', () => {
    it('sends an agent-message with the exact wire format, Unicode emoji and the secret', async () => {
        const { token, roomId, ticketID } = await openTicket();
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: 'We can help :smile:' });
        const call = await answeredCall((c) => c.body.type === 'agent-message' && c.body.ticketID === ticketID, 'agent-message');
        expect(call.method).toBe('POST');
        expect(call.status).toBe(200);
        expect(call.headers.authorization).toBe('Token ***');
        expect(call.headers['content-type']).toMatch(/^application\/json/);
        expect(call.body).toEqual({ type: 'agent-message', ticketID, visitor: { token }, data: { text: 'We can help 😄' } });
    });

    it('sends an agent upload with an absolute URL that mailroom can fetch', async () => {
        const { roomId, ticketID } = await openTicket();
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', attachments: [{ type: 'image/png', url: 'https://example.test/receipt.png', title: 'receipt.png' }] });
        const call = await answeredCall((c) => c.body.type === 'agent-message' && c.body.ticketID === ticketID, 'agent-message');
        expect(call.status).toBe(200);
        expect(call.body.data!.text).toBe('');
        expect(call.body.data!.attachments).toEqual([{ type: 'image/png', url: expect.stringMatching(new RegExp(`^${sb.url}/file-upload/[^/]+/receipt\\.png$`)) }]);
        const messages = (await sb.http.get('/fakes/mailroom/_inspect')).data.messages;
        expect(messages.find((m: { ticketID: string }) => m.ticketID === ticketID).attachments[0]).toMatchObject({ fetched: true, contentType: 'image/png' });
    });

    it('forwards neither visitor, bot, system nor close-comment messages, and only one close-room', async () => {
        const { token, roomId, ticketID } = await openTicket();
        expect((await sb.api('post', 'visitor-message', { visitor: { token }, text: 'from the contact' })).status).toBe(201);
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'bot', text: 'I am a bot' });
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'system', systemType: 'livechat_navigation_history', text: 'page visited' });
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: 'the only one' });
        await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'internal close comment' });
        await eventually(async () => (await mailroomCalls()).some((c) => c.body.type === 'close-room' && c.body.ticketID === ticketID), 10000, 'close-room');
        await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
        const calls = (await mailroomCalls()).filter((c) => c.body.ticketID === ticketID);
        expect(calls.map((c) => [c.body.type, c.body.data?.text])).toEqual([['agent-message', 'the only one'], ['close-room', undefined]]);
        expect(calls[1].body).toEqual({ type: 'close-room', ticketID, visitor: { token } });
    });

    it('retries close-room until a 2xx arrives', async () => {
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'status500', count: 2 });
        const { roomId, ticketID } = await openTicket();
        await sb.sim('post', `/rooms/${roomId}/close`, { by: 'visitor' });
        await eventually(async () => {
            await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
            return (await mailroomCalls()).some((c) => c.body.ticketID === ticketID && c.status === 200);
        }, 15000, 'close-room delivered');
        const statuses = (await mailroomCalls()).filter((c) => c.body.ticketID === ticketID).map((c) => c.status);
        expect(statuses).toEqual([500, 500, 200]);
    });
});

describe('GET /room.close', () => {
    it('closes with a comment saying who closed it, answers 204 twice, and sends no close-room back', async () => {
        const { token, roomId, ticketID } = await openTicket();
        const first = await sb.api('get', 'room.close', { visitor: { token } });
        expect(first.status).toBe(204);
        const again = await sb.api('get', 'room.close', { visitor: { token } });
        expect(again.status).toBe(204);
        const closed = await room(roomId);
        expect(closed.isOpen).toBe(false);
        const comment = closed.messages.find((m: { systemType?: string }) => m.systemType === 'livechat-close');
        expect(comment.text).toBe(`Closed by the platform (ticket ${ticketID})`);
        await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await mailroomCalls()).filter((c) => c.body.ticketID === ticketID)).toEqual([]);
        // A new ticket for the same contact opens a new room.
        const next = await sb.api('get', 'room', { ticketID: uuid(), visitor: { token } });
        expect(next.status).toBe(201);
        expect(next.data.id).not.toBe(roomId);
    });

    it('answers 404 for a token it has never seen', async () => {
        const token = nextToken();
        const response = await sb.api('get', 'room.close', { visitor: { token } });
        expect(response.status).toBe(404);
        expect(response.data).toEqual({ error: `Could not find a room for visitor token: ${token}` });
    });
});
