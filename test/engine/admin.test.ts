/*
 * The admin's view of the outbox, through the real engine: the `/ticket-bridge` slash command
 * (answered privately, admins and Livechat managers only) and the authenticated admin endpoints
 * (Rocket.Chat login, same roles). Dead letters replayed after recovery write exactly one ticket;
 * a backlog waiting out its backoff drains as soon as the helpdesk is back; ticket numbers land in
 * the room's custom field.
 */
import { AxiosResponse } from 'axios';
import { inspect, OtrsInspection, OtrsTicket, otrsTicketsOf } from './faultHelpers';
import { eventually, helpdeskDelivery, helpdeskDeliveryWith, Sandbox, startSandbox } from './harness';

interface Delivery { key: string; status: string; attempt: number; nextAttemptAt: string; lastError?: string }
interface Summary { id: string; kind: string; status: string; attempts: number; lastError?: string; tickets?: string[]; nextAttemptAt?: string }

let sb: Sandbox;
let seq = 0;
const logins: Record<string, { userId: string; authToken: string }> = {};

beforeAll(async () => {
    sb = await startSandbox();
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza' });
    await sb.sim('post', '/agents', { username: 'gerente', name: 'Gerente', roles: ['livechat-manager'] });
    for (const username of ['admin', 'ana', 'gerente']) {
        logins[username] = (await sb.sim('post', '/login', { username })).data;
    }
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/otrs/_faults', { mode: 'ok' });
    await sb.sim('put', '/settings', { delivery_max_attempts: 12, delivery_backoff_seconds: 30 });
});

async function command(username: string, ...args: string[]): Promise<string> {
    const response = await sb.sim('post', '/commands', { command: 'ticket-bridge', args, username });
    expect(response.status).toBe(200);
    expect(response.data.replies).toHaveLength(1);
    return response.data.replies[0];
}

function admin(method: string, path: string, as: string | null = 'admin', body?: unknown, headers: Record<string, string> = {}): Promise<AxiosResponse> {
    const login = as ? logins[as] : undefined;
    return sb.http.request({
        method,
        url: `/api/apps/public/${sb.appId}/${path}`,
        data: body,
        headers: { ...(login ? { 'X-User-Id': login.userId, 'X-Auth-Token': login.authToken } : {}), ...headers },
    });
}

async function ticketsOf(roomId: string): Promise<OtrsTicket[]> {
    return otrsTicketsOf(await inspect<OtrsInspection>(sb, 'otrs'), roomId);
}

async function closedChat(): Promise<string> {
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token: `admin-${Date.now()}-${++seq}`, name: 'Maria Silva' } })).data.roomId;
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: 'Meu boleto não chegou' });
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent' });
    return roomId;
}

const delivery = (roomId: string) => helpdeskDelivery<Delivery>(sb, roomId);

describe('who may use it', () => {
    it('the command refuses a plain agent and answers an admin and a Livechat manager, privately', async () => {
        expect(await command('ana', 'status')).toBe('Only Rocket.Chat admins and Livechat managers can use /ticket-bridge.');
        expect(await command('admin', 'status')).toContain('*Ticket Bridge deliveries*');
        const asManager = await sb.sim('post', '/commands', { command: 'ticket-bridge', args: ['status'], username: 'gerente' });
        expect(asManager.data.replies).toHaveLength(1);
        expect(asManager.data.replies[0]).toContain('*Pending:*');
    });

    it('the command explains its usage for unknown or malformed words', async () => {
        expect(await command('admin', 'explode')).toBe('Unknown action "explode". Usage: /ticket-bridge status | retry <id> | retry-dead | room <roomId>');
        expect(await command('admin', 'retry')).toMatch(/^"retry" needs a delivery id/);
        expect(await command('admin', 'retry', 'not', 'an', 'id')).toMatch(/^Too many words\./);
        expect(await command('admin', 'room', '../../etc')).toMatch(/^"room" needs a room id/);
    });

    it('the endpoints need a Rocket.Chat login (the server answers 401 itself) and the admin or livechat-manager role', async () => {
        const anonymous = await admin('get', 'admin.deliveries', null);
        expect(anonymous.status).toBe(401);
        expect(anonymous.data).toBe('Unauthorized');
        const wrongToken = await admin('get', 'admin.deliveries', null, undefined, { 'X-User-Id': logins.admin.userId, 'X-Auth-Token': 'forged-token' });
        expect(wrongToken.status).toBe(401);
        const platformSecret = await admin('get', 'admin.deliveries', null, undefined, { Authorization: 'Token engine-test-secret-8H3K2M9Q' });
        expect(platformSecret.status).toBe(401);
        const agent = await admin('get', 'admin.deliveries', 'ana');
        expect(agent.status).toBe(403);
        expect(agent.data).toEqual({ error: 'Only users with the role admin or livechat-manager may do this' });
        expect((await admin('get', 'admin.deliveries', 'gerente')).status).toBe(200);
        expect((await admin('post', 'admin.retry-dead', 'ana')).status).toBe(403);
    });

    it('the endpoints answer bad input with a JSON error and change nothing', async () => {
        const before = (await sb.sim('get', '/persistence')).data;
        expect(await admin('post', 'admin.retry', 'admin', { id: 42 })).toMatchObject({ status: 400, data: { error: expect.stringMatching(/^id must be a delivery id/) } });
        expect(await admin('post', 'admin.retry', 'admin', 'id=x', { 'Content-Type': 'text/plain' })).toMatchObject({ status: 415 });
        expect(await admin('post', 'admin.retry', 'admin', { id: 'helpdesk:NoSuchRoom' })).toMatchObject({ status: 404, data: { error: 'There is no delivery helpdesk:NoSuchRoom' } });
        expect(await admin('get', 'admin.room', 'admin')).toMatchObject({ status: 400, data: { error: expect.stringMatching(/^roomId must be given/) } });
        expect(await admin('delete', 'admin.deliveries', 'admin')).toMatchObject({ status: 405, data: { error: 'Method DELETE not allowed on /admin.deliveries; use GET' } });
        expect((await sb.sim('get', '/persistence')).data).toEqual(before);
    });
});

describe('generated bad input', () => {
    /** Bodies and queries that are wrong in one way each, for a logged-in admin (the auth layer is Rocket.Chat's). */
    const WRONG_IDS: unknown[] = [null, true, 0, -1, 1.5, [], ['helpdesk:x'], {}, { $gt: '' }, '', ' ', 'helpdesk', 'helpdesk:', ':x', 'HELPDESK:x',
        'helpdesk:x y', 'helpdesk:x\r\nX-Injected: 1', 'helpdesk:../../etc', `helpdesk:${'x'.repeat(101)}`, '😀:x', 'helpdesk:\u0000'];
    const WRONG_ROOM_IDS = ['', ' ', 'a b', '../x', '$where', 'x'.repeat(101), '%00', '😀', 'a&roomId=b'];

    it('500 malformed admin requests get a JSON 4xx and change nothing', async () => {
        const before = JSON.stringify((await sb.sim('get', '/persistence')).data);
        const problems: string[] = [];
        let sent = 0;
        const check = async (label: string, response: AxiosResponse) => {
            sent++;
            const ok = response.status >= 400 && response.status < 500 && typeof response.data?.error === 'string' && response.data.error.length > 0;
            if (!ok) problems.push(`${label} -> ${response.status} ${JSON.stringify(response.data).slice(0, 120)}`);
        };
        for (let round = 0; sent < 500; round++) {
            const id = WRONG_IDS[round % WRONG_IDS.length];
            await check(`retry ${JSON.stringify(id)}`, await admin('post', 'admin.retry', 'admin', { id, extra: round }));
            await check('retry without id', await admin('post', 'admin.retry', 'admin', round % 2 ? {} : []));
            await check('retry invalid JSON', await admin('post', 'admin.retry', 'admin', ['{', '{"id": ', 'nul', "{'id': 1}"][round % 4], { 'Content-Type': 'application/json' }));
            await check('retry text/plain', await admin('post', 'admin.retry', 'admin', 'id=helpdesk:x', { 'Content-Type': ['text/plain', 'application/xml', 'application/x-www-form-urlencoded'][round % 3] }));
            await check('retry oversized', await admin('post', 'admin.retry', 'admin', { id: 'helpdesk:x', pad: 'p'.repeat(110 * 1024) }));
            const roomId = WRONG_ROOM_IDS[round % WRONG_ROOM_IDS.length];
            await check(`room ${roomId.slice(0, 20)}`, await admin('get', `admin.room?roomId=${encodeURIComponent(roomId)}`, 'admin'));
            for (const [method, path] of [['put', 'admin.deliveries'], ['get', 'admin.retry'], ['delete', 'admin.retry-dead'], ['post', 'admin.room']]) {
                await check(`${method} ${path}`, await admin(method, path, 'admin'));
            }
            await check('agent retry-dead', await admin('post', 'admin.retry-dead', 'ana'));
        }
        expect(problems).toEqual([]);
        expect(JSON.stringify((await sb.sim('get', '/persistence')).data)).toBe(before);
    });
});

describe('dead letters', () => {
    it('are listed with attempts and reason, replayed after recovery, and write exactly one ticket', async () => {
        await sb.sim('put', '/settings', { delivery_max_attempts: 2, delivery_backoff_seconds: 1 });
        await sb.http.post('/fakes/otrs/_faults', { mode: 'status500' });
        const roomId = await closedChat();
        await helpdeskDeliveryWith<Delivery>(sb, roomId, 'dead');

        const listed = (await admin('get', 'admin.deliveries')).data as { dead: { total: number; items: Summary[] } };
        const dead = listed.dead.items.find((d) => d.id === `helpdesk:${roomId}`)!;
        expect(dead).toMatchObject({ kind: 'helpdesk.otrs', status: 'dead', attempts: 2 });
        expect(dead.lastError).toMatch(/^gave up after 2 attempts; last error: .*500/);
        const status = await command('admin', 'status');
        expect(status).toContain(`\`helpdesk:${roomId}\` (helpdesk.otrs) dead, 2 attempt(s)`);
        expect(status).toContain('Replay one with "/ticket-bridge retry <id>"');

        await sb.http.post('/fakes/otrs/_faults', { mode: 'ok' });
        expect(await command('admin', 'retry-dead')).toMatch(/^\d+ dead deliver(y is|ies are) queued again\.$/);
        await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
        expect(await ticketsOf(roomId)).toHaveLength(1);

        // Asking again never writes twice.
        expect(await command('admin', 'retry', `helpdesk:${roomId}`)).toMatch(/was delivered already; it is not written twice/);
        expect(await admin('post', 'admin.retry', 'admin', { id: `helpdesk:${roomId}` })).toMatchObject({ status: 409 });
        expect(await command('admin', 'retry-dead')).toBe('There are no dead deliveries.');
        await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
        expect(await ticketsOf(roomId)).toHaveLength(1);
    });

    it('one is replayed through the endpoint', async () => {
        await sb.sim('put', '/settings', { delivery_max_attempts: 1 });
        await sb.http.post('/fakes/otrs/_faults', { mode: 'down' });
        const roomId = await closedChat();
        await helpdeskDeliveryWith<Delivery>(sb, roomId, 'dead');
        await sb.http.post('/fakes/otrs/_faults', { mode: 'ok' });
        const replay = await admin('post', 'admin.retry', 'gerente', { id: `helpdesk:${roomId}` });
        expect(replay.status).toBe(200);
        expect(replay.data).toMatchObject({ id: `helpdesk:${roomId}`, outcome: 'replayed', delivery: { status: 'pending', attempts: 0 } });
        await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
        expect(await ticketsOf(roomId)).toHaveLength(1);
    });
});

describe('waiting deliveries', () => {
    it('"retry <id>" tries one now instead of after its backoff', async () => {
        await sb.sim('put', '/settings', { delivery_backoff_seconds: 3600 });
        await sb.http.post('/fakes/otrs/_faults', { mode: 'down', count: 1 });
        const roomId = await closedChat();
        const waiting = await eventually(async () => {
            const d = await delivery(roomId);
            return d && d.attempt === 1 && d.status === 'pending' ? d : undefined;
        }, 15000, 'the first attempt to fail');
        expect(Date.parse(waiting.nextAttemptAt) - Date.now()).toBeGreaterThan(40 * 60 * 1000);
        expect(await command('admin', 'retry', `helpdesk:${roomId}`)).toContain('was waiting for its next attempt: it is tried now.');
        // No fast-forward: the scheduler runs it because it is due now.
        await eventually(async () => (await delivery(roomId))?.status === 'done', 15000, 'the retried delivery');
        expect(await ticketsOf(roomId)).toHaveLength(1);
    });

    it('a backlog waiting out its backoff drains as soon as one delivery gets through again', async () => {
        await sb.sim('put', '/settings', { delivery_backoff_seconds: 3600 });
        await sb.http.post('/fakes/otrs/_faults', { mode: 'down' });
        const rooms: string[] = [];
        for (let i = 0; i < 6; i++) rooms.push(await closedChat());
        await eventually(async () => {
            const all = await Promise.all(rooms.map(delivery));
            return all.every((d) => d?.attempt === 1 && d.status === 'pending');
        }, 20000, 'every first attempt to fail');
        await sb.http.post('/fakes/otrs/_faults', { mode: 'ok' });
        // One delivery goes through (an admin's retry here; its own backoff on a real server)...
        await command('admin', 'retry', `helpdesk:${rooms[0]}`);
        // ...and the others, an hour away from their next attempt, follow without any fast-forward.
        await eventually(async () => (await Promise.all(rooms.map(delivery))).every((d) => d?.status === 'done'), 20000, 'the backlog to drain');
        for (const roomId of rooms) expect(await ticketsOf(roomId)).toHaveLength(1);
        const logs = (await sb.sim('get', '/logs')).data as Array<{ message: string }>;
        expect(logs.some((l) => /helpdesk\.otrs is reachable again: 5 waiting deliveries retry now/.test(l.message))).toBe(true);
    });
});

describe('where it went', () => {
    it('the room report and the room custom field show the ticket number', async () => {
        const roomId = await closedChat();
        await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
        const [ticket] = await ticketsOf(roomId);
        const label = `OTRS #${ticket.TicketNumber}`;
        const report = (await admin('get', `admin.room?roomId=${roomId}`)).data;
        expect(report).toEqual({
            roomId,
            awaitingClose: false,
            deliveries: [expect.objectContaining({ id: `helpdesk:${roomId}`, status: 'done', attempts: 1, tickets: [label] })],
        });
        expect(await command('admin', 'room', roomId)).toContain(`tickets: ${label}`);
        await eventually(async () => (await sb.sim('get', `/rooms/${roomId}`)).data.livechatData?.helpdesk_ticket === label, 10000, 'the room custom field');
    });

    it('an open room is reported as awaiting its close, with nothing delivered yet', async () => {
        const roomId = (await sb.sim('post', '/rooms', { visitor: { token: `admin-open-${++seq}`, name: 'João' } })).data.roomId;
        await eventually(async () => (await admin('get', `admin.room?roomId=${roomId}`)).data.awaitingClose === true, 10000, 'the room to be tracked');
        expect((await admin('get', `admin.room?roomId=${roomId}`)).data.deliveries).toEqual([]);
        expect(await command('admin', 'room', roomId)).toContain('No deliveries for this room.');
    });

    it('an empty ticket_room_field leaves the room alone; the delivery record keeps the number', async () => {
        await sb.sim('put', '/settings', { ticket_room_field: '' });
        try {
            const roomId = await closedChat();
            await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
            const report = (await admin('get', `admin.room?roomId=${roomId}`)).data;
            expect(report.deliveries[0].tickets).toHaveLength(1);
            expect((await sb.sim('get', `/rooms/${roomId}`)).data.livechatData).toEqual({});
        } finally {
            await sb.sim('put', '/settings', { ticket_room_field: 'helpdesk_ticket' });
        }
    });
});
