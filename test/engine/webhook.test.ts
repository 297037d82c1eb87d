/*
 * Closed Livechat -> any system: the webhook adapter through the real engine, against the
 * sandbox's webhook receiver (which checks the signature over the exact bytes it received).
 */
import { createHmac } from 'crypto';
import { eventually, helpdeskDelivery, helpdeskDeliveryWith, Sandbox, startSandbox } from './harness';

const TOKEN = 'wh-token-7Q2mX9pL';

interface Received {
    headers: Record<string, string>;
    body: { type: string; version: number; room: { id: string; topic: string | null; tags: string[]; department: string | null; closeComment: string | null; closedBy: string | null }; visitor: { token: string; name: string; email: string | null }; agents: string[]; references: string[]; messages: Array<{ at: string; from: { role: string; name: string }; text: string; attachments: unknown[] }>; transcript: { text: string; html: string | null }; truncated?: { htmlDropped: boolean; messagesRemoved: number } } | null;
    bodyBytes: number;
    rawSha256: string;
    signatureValid: boolean | null;
    status: number | null;
}
interface Delivery { key: string; status: string; attempt: number; lastError?: string; nextAttemptAt: string; updatedAt: string; result?: { tickets?: Array<{ id?: string; number?: string; url?: string }>; truncated?: unknown } }

let sb: Sandbox;
let seq = 0;

beforeAll(async () => {
    sb = await startSandbox();
    const dept = (await sb.sim('post', '/departments', { name: 'Suporte' })).data.id;
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza', departmentIds: [dept] });
    await sb.sim('put', '/settings', { helpdesk: 'webhook', webhook_url: `${sb.url}/fakes/webhook/tickets`, webhook_token: TOKEN });
    await sb.http.post('/fakes/webhook/_config', { secret: TOKEN });
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/webhook/_config', { respond: null });
    await sb.http.post('/fakes/webhook/_faults', { mode: 'ok' });
});

async function received(roomId: string): Promise<Received[]> {
    const { deliveries } = (await sb.http.get('/fakes/webhook/_inspect')).data as { deliveries: Received[] };
    return deliveries.filter((d) => d.headers['idempotency-key'] === roomId);
}

const delivery = (roomId: string) => helpdeskDelivery<Delivery>(sb, roomId);
const finished = (roomId: string, status = 'done') => helpdeskDeliveryWith<Delivery>(sb, roomId, status);

async function chat(messages = 1, extra: { topic?: string; tags?: string[] } = {}): Promise<string> {
    const token = `wh-${++seq}-${Date.now()}`;
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token, name: 'Maria Silva', email: 'maria@cliente.com.br' } })).data.roomId;
    for (let i = 0; i < messages; i++) {
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: `Mensagem ${i} do visitante ${'x'.repeat(60)}` });
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: `Resposta ${i} 👍` });
    }
    if (extra.topic !== undefined || extra.tags) await sb.sim('patch', `/rooms/${roomId}`, extra);
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'Resolvido' });
    return roomId;
}

it('POSTs the transcript with its fields, the token, the idempotency key and a valid signature, and records the ticket', async () => {
    const roomId = await chat(2, { topic: 'Pedido 99', tags: ['#1234', 'vip'] });
    const done = await finished(roomId);
    const [call] = await received(roomId);
    expect(call.headers.authorization).toBe('Token ***');
    expect(call.headers['idempotency-key']).toBe(roomId);
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    expect(call.signatureValid).toBe(true);
    expect(call.headers['x-ticket-bridge-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = call.body!;
    expect(body).toMatchObject({
        type: 'livechat-transcript',
        version: 1,
        room: { id: roomId, topic: 'Pedido 99', tags: ['#1234', 'vip'], closeComment: 'Resolvido' },
        visitor: { name: 'Maria Silva', email: 'maria@cliente.com.br' },
        agents: ['Ana Souza'],
        references: ['#1234'],
    });
    expect(body.messages.filter((m) => m.from.role !== 'system').map((m) => [m.from.role, m.from.name])).toEqual([
        ['visitor', 'Maria Silva'], ['agent', 'Ana Souza'], ['visitor', 'Maria Silva'], ['agent', 'Ana Souza'],
    ]);
    expect(body.transcript.text).toContain('Resposta 1');
    expect(body.transcript.html).toContain('Resposta 1');
    expect(body).not.toHaveProperty('truncated');
    expect(done.result!.tickets).toEqual([expect.objectContaining({ number: expect.stringMatching(/^WH-\d+$/) })]);
});

it('signs the exact bytes: recomputing the HMAC over the raw body matches the header', async () => {
    const roomId = await chat();
    await finished(roomId);
    const [call] = await received(roomId);
    // The receiver hashed the raw bytes; the same bytes re-serialised from JSON would not be trusted.
    expect(call.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    const expected = `sha256=${createHmac('sha256', TOKEN).update(JSON.stringify(call.body)).digest('hex')}`;
    expect(call.headers['x-ticket-bridge-signature']).toBe(expected);
});

it('retries after a 500 and then delivers exactly once', async () => {
    await sb.http.post('/fakes/webhook/_config', { respond: { status: 500, body: { error: 'busy' }, count: 1 } });
    const roomId = await chat();
    const done = await finished(roomId);
    expect(done.attempt).toBe(2);
    const calls = await received(roomId);
    expect(calls.map((c) => c.status)).toEqual([500, 201]);
    const { tickets } = (await sb.http.get('/fakes/webhook/_inspect')).data as { tickets: Record<string, { deliveries: number }> };
    expect(tickets[roomId].deliveries).toBe(1);
});

it('honours Retry-After on a 429', async () => {
    await sb.http.post('/fakes/webhook/_config', { respond: { status: 429, headers: { 'Retry-After': '120' }, count: 1 } });
    await sb.sim('put', '/settings', { delivery_backoff_seconds: 1 });
    try {
        const roomId = await chat();
        const pending = await eventually(async () => {
            const d = await delivery(roomId);
            return d && d.attempt === 1 ? d : undefined;
        }, 10000, 'first attempt');
        expect(Date.parse(pending.nextAttemptAt) - Date.parse(pending.updatedAt)).toBeGreaterThanOrEqual(119000);
        expect(pending.lastError).toContain('429');
        await finished(roomId);
    } finally {
        await sb.sim('put', '/settings', { delivery_backoff_seconds: 30 });
    }
});

it('dead-letters a 400 at once with the first 500 characters of the answer', async () => {
    const long = `bad payload: ${'y'.repeat(800)}`;
    await sb.http.post('/fakes/webhook/_config', { respond: { status: 400, body: { error: long }, count: 1 } });
    const roomId = await chat();
    const dead = await finished(roomId, 'dead');
    expect(dead.attempt).toBe(1);
    expect(dead.lastError).toContain('webhook answered 400');
    expect(dead.lastError).toContain('bad payload');
    expect(dead.lastError!.length).toBeLessThan(600);
    expect(dead.lastError).not.toContain(TOKEN);
});

it('fits webhook_max_kb: HTML dropped, then the middle cut with a note, and still delivered', async () => {
    await sb.sim('put', '/settings', { webhook_max_kb: 16 });
    try {
        const roomId = await chat(150);
        const done = await finished(roomId);
        const [call] = await received(roomId);
        expect(call.bodyBytes).toBeLessThanOrEqual(16 * 1024);
        expect(call.signatureValid).toBe(true);
        expect(call.body!.transcript.html).toBeNull();
        expect(call.body!.truncated!.htmlDropped).toBe(true);
        expect(call.body!.truncated!.messagesRemoved).toBeGreaterThan(0);
        expect(call.body!.messages.some((m) => m.text.includes('messages were cut'))).toBe(true);
        expect(done.result!.truncated).toEqual(call.body!.truncated);
    } finally {
        await sb.sim('put', '/settings', { webhook_max_kb: 1024 });
    }
});
