/*
 * The foundation, through the real engine: the packaged zip loads and enables, settings and
 * endpoints are registered, and the delivery outbox retries with growing delays, dead-letters after
 * the limit, never delivers a key twice, and survives a restart of the app.
 */
import { eventually, SECRET, Sandbox, startSandbox, uuid } from './harness';

interface DeliveryData {
    key: string;
    status: string;
    attempt: number;
    nextAttemptAt: string;
    updatedAt: string;
    lastError?: string;
    payload: Record<string, unknown>;
}

let sb: Sandbox;

beforeAll(async () => {
    sb = await startSandbox();
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Agent' });
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/mailroom/_reset');
    await sb.sim('put', '/settings', { delivery_max_attempts: 12, delivery_backoff_seconds: 30 });
});

async function deliveries(): Promise<DeliveryData[]> {
    const records = (await sb.sim('get', '/persistence')).data as Array<{ data: DeliveryData & { kind?: string } }>;
    return records.map((r) => r.data).filter((d) => typeof d.kind === 'string' && typeof d.key === 'string');
}

async function delivery(key: string): Promise<DeliveryData | undefined> {
    return (await deliveries()).find((d) => d.key === key);
}

/** Opens a platform ticket and closes its room as the agent: that queues one close-room callback. */
async function closedTicket(): Promise<{ roomId: string; ticketID: string; key: string }> {
    const ticketID = uuid();
    const token = String(Math.floor(Math.random() * 1e9));
    const opened = await sb.api('get', 'room', { ticketID, visitor: { token, name: 'Maria' } });
    expect(opened.status).toBe(201);
    const roomId = opened.data.id as string;
    const closed = await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'resolved' });
    expect(closed.status).toBe(200);
    return { roomId, ticketID, key: `close-room:${roomId}` };
}

function closeCallbacks(inspect: { calls: Array<{ body: { type?: string; ticketID?: string }; status: number | null }> }, ticketID: string) {
    return inspect.calls.filter((c) => c.body?.type === 'close-room' && c.body.ticketID === ticketID);
}

describe('the packaged app in the real engine', () => {
    it('loads enabled on engine 1.42.1 with its settings registered and secrets masked', async () => {
        const state = (await sb.sim('get', '/state')).data;
        expect(state.engineVersion).toBe('1.42.1');
        expect(state.enabled).toBe(true);
        expect(state.appId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(state.settings).toMatchObject({ delivery_max_attempts: 12, delivery_backoff_seconds: 30, app_secret: '********' });
        expect(JSON.stringify(state)).not.toContain(SECRET);
    });

    it('serves its public endpoints where Rocket.Chat serves them', async () => {
        const check = await sb.api('get', 'secret.check');
        expect(check.status).toBe(200);
        expect(check.data).toEqual({ status: 'ok' });
        const unknown = await sb.api('get', 'no-such-endpoint');
        expect(unknown.status).toBe(404);
    });

    it('refuses settings it does not have', async () => {
        const response = await sb.sim('put', '/settings', { no_such_setting: 1 });
        expect(response.status).toBe(400);
        expect(response.data.error).toContain('no_such_setting');
    });
});

describe('the delivery outbox', () => {
    it('delivers once when nothing fails', async () => {
        const { ticketID, key } = await closedTicket();
        await eventually(async () => (await delivery(key))?.status === 'done', 10000, 'delivery done');
        const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
        expect(closeCallbacks(inspect, ticketID)).toHaveLength(1);
        expect(inspect.tickets[ticketID]).toEqual({ status: 'closed', closedCount: 1 });
        expect((await delivery(key))!.attempt).toBe(1);
    });

    it('retries transient failures with growing delays, then delivers exactly once', async () => {
        await sb.sim('put', '/settings', { delivery_backoff_seconds: 2 });
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'status500', count: 3 });
        const { ticketID, key } = await closedTicket();
        const delays: number[] = [];
        for (let attempt = 1; attempt <= 3; attempt++) {
            const record = await eventually(async () => {
                const d = await delivery(key);
                return d && d.attempt === attempt ? d : undefined;
            }, 10000, `attempt ${attempt}`);
            expect(record.status).toBe('pending');
            expect(record.lastError).toContain('500');
            delays.push(Date.parse(record.nextAttemptAt) - Date.parse(record.updatedAt));
            await sb.sim('post', '/jobs/run', { withinMs: 60000 });
        }
        // base 2 s doubling, ±25 % jitter: [1.5, 2.5], [3, 5], [6, 10] seconds.
        expect(delays[0]).toBeGreaterThanOrEqual(1500);
        expect(delays[0]).toBeLessThanOrEqual(2500);
        expect(delays[1]).toBeGreaterThanOrEqual(3000);
        expect(delays[1]).toBeLessThanOrEqual(5000);
        expect(delays[2]).toBeGreaterThanOrEqual(6000);
        expect(delays[2]).toBeLessThanOrEqual(10000);
        const done = await eventually(async () => {
            const d = await delivery(key);
            return d?.status === 'done' ? d : undefined;
        }, 10000, 'delivered');
        expect(done.attempt).toBe(4);
        const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
        const calls = closeCallbacks(inspect, ticketID);
        expect(calls.map((c: { status: number | null }) => c.status)).toEqual([500, 500, 500, 200]);
        expect(inspect.tickets[ticketID].closedCount).toBe(1);
    });

    it('turns a delivery into a dead letter after the attempt limit, keeping the payload', async () => {
        await sb.sim('put', '/settings', { delivery_max_attempts: 3, delivery_backoff_seconds: 1 });
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'status500' });
        const { ticketID, key } = await closedTicket();
        const dead = await eventually(async () => {
            await sb.sim('post', '/jobs/run', { withinMs: 60000 });
            const d = await delivery(key);
            return d?.status === 'dead' ? d : undefined;
        }, 20000, 'dead letter');
        expect(dead.attempt).toBe(3);
        expect(dead.lastError).toMatch(/gave up after 3 attempts; last error: callback answered 500/);
        expect(dead.payload).toMatchObject({ body: { type: 'close-room', ticketID } });
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'ok' });
        await sb.sim('post', '/jobs/run', { withinMs: 600000 });
        const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
        expect(closeCallbacks(inspect, ticketID)).toHaveLength(3);
        expect(inspect.tickets[ticketID]).toBeUndefined();
    });

    it('dead-letters a permanent failure at once with the reason', async () => {
        // A callback URL with a ticketer id mailroom's router does not accept: 404 will not get better.
        const good = (await sb.api('get', 'settings')).data.webhook.url as string;
        const bad = good.replace(/event_callback\/[^/]+$/, 'event_callback/XYZ');
        expect((await sb.api('put', 'settings', { webhook: { url: bad } })).status).toBe(204);
        try {
            const { ticketID, key } = await closedTicket();
            const dead = await eventually(async () => {
                const d = await delivery(key);
                return d?.status === 'dead' ? d : undefined;
            }, 10000, 'dead letter');
            expect(dead.attempt).toBe(1);
            expect(dead.lastError).toContain('callback answered 404');
            expect(dead.lastError).toContain('not found');
            const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
            expect(inspect.tickets[ticketID]).toBeUndefined();
        } finally {
            expect((await sb.api('put', 'settings', { webhook: { url: good } })).status).toBe(204);
        }
    });

    it('does not deliver a key twice when the close event fires twice', async () => {
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'status500', count: 1 });
        const { roomId, ticketID, key } = await closedTicket();
        // A second close of the same room: Rocket.Chat refuses (409) and the app queues nothing new.
        expect((await sb.sim('post', `/rooms/${roomId}/close`, { by: 'visitor' })).status).toBe(409);
        await eventually(async () => (await delivery(key))?.attempt === 1, 10000, 'first attempt');
        await sb.sim('post', '/jobs/run', { withinMs: 120000 });
        await eventually(async () => (await delivery(key))?.status === 'done', 10000, 'done');
        await sb.sim('post', '/jobs/run', { withinMs: 86400000 });
        const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
        expect(closeCallbacks(inspect, ticketID).filter((c: { status: number | null }) => c.status === 200)).toHaveLength(1);
        expect((await deliveries()).filter((d) => d.key === key)).toHaveLength(1);
    });

    it('completes a pending delivery across an app restart', async () => {
        await sb.http.post('/fakes/mailroom/_faults', { mode: 'status500', count: 1 });
        const { ticketID, key } = await closedTicket();
        await eventually(async () => (await delivery(key))?.attempt === 1, 10000, 'first attempt');
        const restarted = await sb.sim('post', '/restart');
        expect(restarted.status).toBe(200);
        expect((await sb.sim('get', '/state')).data.enabled).toBe(true);
        await sb.sim('post', '/jobs/run', { withinMs: 120000 });
        await eventually(async () => (await delivery(key))?.status === 'done', 10000, 'done after restart');
        const inspect = (await sb.http.get('/fakes/mailroom/_inspect')).data;
        expect(inspect.tickets[ticketID]).toEqual({ status: 'closed', closedCount: 1 });
    });
});
