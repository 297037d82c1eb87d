/*
 * Closed Livechat -> GLPI through the real engine, against the sandbox's GLPI fake (contracts/glpi.md,
 * GLPI 10.0.15 behaviour): requester lookup (phone, e-mail, created, fallback) with its cache, the
 * session kept across deliveries and renewed once when it expires, follow-ups on referenced tickets,
 * solved tickets, HTML stored once-escaped on 10 and raw on 11, and failures.
 */
import { helpdeskDeliveryWith, Sandbox, startSandbox } from './harness';

interface GlpiTicket { id: number; name: string; content: string; entities_id: number; type: number; urgency: number; itilcategories_id: number; requesters: number[]; status: number; followups: Array<{ id: number; content: string; is_private: number }> }
interface GlpiCall { method: string; path: string; status: number }
interface Inspect { calls: GlpiCall[]; tickets: GlpiTicket[]; users: Array<{ id: number; name: string; entities_id: number; email?: string }>; sessions: { initSessionCalls: number } }
interface Delivery { key: string; status: string; attempt: number; lastError?: string; result?: { tickets?: Array<{ ticketId: string; action: string }>; requester?: { userId: string; how: string }; refusedReferences?: Record<string, string>; closedReferences?: Record<string, string> } }

let sb: Sandbox;
let salesId: string;
let seq = 0;

beforeAll(async () => {
    sb = await startSandbox();
    salesId = (await sb.sim('post', '/departments', { name: 'Vendas' })).data.id;
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza', departmentIds: [salesId] });
    await sb.sim('put', '/settings', { helpdesk: 'glpi', glpi_department_categories: 'Vendas = 4' });
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/glpi/_faults', { mode: 'ok' });
});

const glpi = async (): Promise<Inspect> => (await sb.http.get('/fakes/glpi/_inspect')).data;

const finished = (roomId: string, status = 'done') => helpdeskDeliveryWith<Delivery>(sb, roomId, status);

async function chat(visitor: { token?: string; name?: string; email?: string; phone?: string }, extra: { topic?: string; tags?: string[]; text?: string } = {}): Promise<string> {
    const token = visitor.token ?? `glpi-${++seq}-${Date.now()}`;
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token, name: visitor.name ?? 'Visitante', email: visitor.email, phone: visitor.phone }, departmentId: salesId })).data.roomId;
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: extra.text ?? 'Preciso da segunda via do boleto' });
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: 'Enviei agora, Maria.' });
    if (extra.topic !== undefined || extra.tags) await sb.sim('patch', `/rooms/${roomId}`, { topic: extra.topic, tags: extra.tags });
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'ok' });
    return roomId;
}

const ticketOf = (inspect: Inspect, roomId: string) => inspect.tickets.find((t) => t.content.includes(roomId));
const countCalls = (calls: GlpiCall[], match: RegExp) => calls.filter((c) => match.test(`${c.method} ${c.path}`)).length;

describe('a closed room becomes a GLPI ticket', () => {
    it('finds the requester by phone (any formatting), places the ticket in their entity, and costs one initSession cold, none warm', async () => {
        const before = await glpi();
        const token = `maria-${Date.now()}`;
        const first = await chat({ token, name: 'Maria Silva', phone: '+5511999990000' }, { topic: 'Boleto' });
        const done = await finished(first);
        const after = await glpi();
        const ticket = ticketOf(after, first)!;
        expect(ticket).toBeDefined();
        expect(ticket.requesters).toEqual([7]);
        expect(ticket.entities_id).toBe(1);
        expect(ticket.type).toBe(2);
        expect(ticket.urgency).toBe(3);
        expect(ticket.itilcategories_id).toBe(4);
        expect(ticket.name).toBe('Livechat: Visitante - Boleto'.replace('Visitante', 'Maria Silva'));
        expect(done.result!.requester).toEqual({ userId: '7', how: 'phone' });
        const cold = after.calls.slice(before.calls.length);
        expect(after.sessions.initSessionCalls - before.sessions.initSessionCalls).toBeLessThanOrEqual(1);
        expect(countCalls(cold, /search\/User/)).toBeLessThanOrEqual(2);
        expect(countCalls(cold, /^POST .*Ticket$/)).toBe(1);

        const mark = await glpi();
        const second = await chat({ token, name: 'Maria Silva', phone: '+5511999990000' });
        await finished(second);
        const warm = (await glpi());
        const warmCalls = warm.calls.slice(mark.calls.length);
        expect(warm.sessions.initSessionCalls).toBe(mark.sessions.initSessionCalls);
        expect(countCalls(warmCalls, /search\/User/)).toBe(0);
        expect(warmCalls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(/^.*apirest\.php\//, '')}`)).toEqual(['POST Ticket']);
        expect(ticketOf(warm, second)!.requesters).toEqual([7]);
    });

    it('finds the requester by e-mail when the phone is unknown, and creates one when neither is known', async () => {
        const byEmail = await chat({ name: 'João Souza', email: 'joao@matriz.com.br', phone: '+55 31 3333-4444' });
        const doneEmail = await finished(byEmail);
        expect(doneEmail.result!.requester).toEqual({ userId: '8', how: 'email' });

        const created = await chat({ name: 'Paula Nova', email: `paula${Date.now()}@cliente.com.br` });
        const doneCreated = await finished(created);
        expect(doneCreated.result!.requester!.how).toBe('created');
        const inspect = await glpi();
        const user = inspect.users.find((u) => String(u.id) === doneCreated.result!.requester!.userId)!;
        expect(user.name).toMatch(/^paula\d+@cliente\.com\.br$/);
        expect(ticketOf(inspect, created)!.requesters).toEqual([user.id]);
    });

    it('uses the fallback user with lookup_fallback', async () => {
        await sb.sim('put', '/settings', { glpi_requester: 'lookup_fallback', glpi_fallback_user: '2' });
        try {
            const roomId = await chat({ name: 'Desconhecido', email: `ninguem${Date.now()}@x.com.br` });
            const done = await finished(roomId);
            expect(done.result!.requester).toEqual({ userId: '2', how: 'fallback' });
            expect(ticketOf(await glpi(), roomId)!.requesters).toEqual([2]);
        } finally {
            await sb.sim('put', '/settings', { glpi_requester: 'lookup_create', glpi_fallback_user: '' });
        }
    });

    it('stores the transcript escaped once on GLPI 10 and raw on 11, never double-escaped', async () => {
        // One level of entities, in one pass: what GLPI 10 itself decodes before displaying rich text.
        const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&', apos: "'" };
        const decode = (s: string) => s.replace(/&(#\d+|lt|gt|quot|amp|apos);/g, (_m, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : named[e]));
        for (const version of ['10.0.15', '11.0.0']) {
            await sb.http.post('/fakes/glpi/_config', { version });
            const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' }, { text: '<script>alert(1)</script> & "aspas"' });
            await finished(roomId);
            const stored = ticketOf(await glpi(), roomId)!.content;
            const html = version.startsWith('11') ? stored : decode(stored);
            expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
            expect(html).not.toContain('<script');
            expect(html).not.toContain('&amp;lt;');
        }
        await sb.http.post('/fakes/glpi/_config', { version: '10.0.15' });
    });
});

describe('#references', () => {
    it('adds a private follow-up to a referenced ticket, records an unknown one, and opens a ticket for a solved one', async () => {
        const base = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
        await finished(base);
        const existing = ticketOf(await glpi(), base)!;

        const noted = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' }, { tags: [`#${existing.id}`, '#999999'] });
        const done = await finished(noted);
        const after = await glpi();
        expect(after.tickets.filter((t) => t.content.includes(noted))).toHaveLength(0); // a follow-up, no new ticket
        const followups = after.tickets.find((t) => t.id === existing.id)!.followups.filter((f) => f.content.includes(noted));
        expect(followups).toHaveLength(1);
        expect(followups[0].is_private).toBe(1);
        expect(done.result!.refusedReferences).toEqual({ '999999': expect.stringContaining('ERROR_ITEM_NOT_FOUND') });
        expect(done.result!.tickets).toEqual([{ ticketId: String(existing.id), followupId: expect.any(String), action: 'followup' }]);

        await sb.http.post('/fakes/glpi/_ticketStatus', { id: existing.id, status: 5 });
        const onSolved = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' }, { topic: `sobre #${existing.id}` });
        const solvedDone = await finished(onSolved);
        expect(solvedDone.result!.closedReferences).toEqual({ [String(existing.id)]: 'solved' });
        expect(solvedDone.result!.tickets).toEqual([expect.objectContaining({ action: 'created' })]);
    });
});

describe('glpi_closed_ticket = followup', () => {
    it('adds the follow-up to a solved ticket instead of opening one', async () => {
        const base = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
        await finished(base);
        const existing = ticketOf(await glpi(), base)!;
        await sb.http.post('/fakes/glpi/_ticketStatus', { id: existing.id, status: 5 });
        await sb.sim('put', '/settings', { glpi_closed_ticket: 'followup' });
        try {
            const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' }, { tags: [`#${existing.id}`] });
            const done = await finished(roomId);
            expect(done.result!.tickets).toEqual([expect.objectContaining({ ticketId: String(existing.id), action: 'followup' })]);
            expect(done.result!.closedReferences).toBeUndefined();
        } finally {
            await sb.sim('put', '/settings', { glpi_closed_ticket: 'new_ticket' });
        }
    });
});

describe('failures', () => {
    it('renews an expired session once and delivers', async () => {
        const before = (await glpi()).sessions.initSessionCalls;
        await sb.http.post('/fakes/glpi/_config', { expireSessions: true });
        const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
        const done = await finished(roomId);
        expect(done.attempt).toBe(1);
        expect((await glpi()).sessions.initSessionCalls).toBe(before + 1);
    });

    it('takes the ticket id from Location when GLPI answers 201 with an empty body', async () => {
        await sb.http.post('/fakes/glpi/_config', { emptyCreateBody: true });
        try {
            const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
            const done = await finished(roomId);
            expect(done.result!.tickets).toEqual([{ ticketId: String(ticketOf(await glpi(), roomId)!.id), action: 'created' }]);
        } finally {
            await sb.http.post('/fakes/glpi/_config', { emptyCreateBody: false });
        }
    });

    it('makes no second ticket when the reply to a committed create is lost, nor after 5xx', async () => {
        const token = `glpi-lost-${Date.now()}`;
        await sb.http.post('/fakes/glpi/_faults', { mode: 'status500', count: 1 });
        const flaky = await chat({ token, name: 'Maria Silva', email: 'maria@cliente.com.br' });
        await finished(flaky);
        // Same visitor: session and requester are warm, so the next call the fake gets is the create itself.
        const before = await glpi();
        const lost = await chat({ token, name: 'Maria Silva', email: 'maria@cliente.com.br' });
        await sb.http.post('/fakes/glpi/_faults', { mode: 'lostReply', count: 1 });
        const done = await finished(lost);
        expect(done.attempt).toBeGreaterThanOrEqual(2);
        const tickets = (await glpi()).tickets.filter((t) => t.content.includes(lost));
        expect(tickets).toHaveLength(1);
        expect(done.result!.tickets).toEqual([{ ticketId: String(tickets[0].id), action: 'created' }]);
        expect((await glpi()).tickets.filter((t) => t.content.includes(flaky))).toHaveLength(1);
        const firstCall = (await glpi()).calls.slice(before.calls.length)[0];
        expect(`${firstCall.method} ${firstCall.path.replace(/^.*apirest\.php\//, '')}`).toBe('POST Ticket');
    });

    it('dead-letters a wrong user token at once with GLPI\'s reason, never storing the token', async () => {
        await sb.sim('put', '/settings', { glpi_user_token: 'wrong-token-XYZ123' });
        try {
            const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
            const dead = await finished(roomId, 'dead');
            expect(dead.attempt).toBe(1);
            expect(dead.lastError).toContain('ERROR_GLPI_LOGIN_USER_TOKEN');
            expect(JSON.stringify((await sb.sim('get', '/persistence')).data)).not.toContain('wrong-token-XYZ123');
        } finally {
            await sb.sim('put', '/settings', { glpi_user_token: 'glpi-user-token' });
        }
    });

    it('dead-letters a missing right at once with the hint', async () => {
        await sb.http.post('/fakes/glpi/_config', { rightMissing: true });
        try {
            const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
            const dead = await finished(roomId, 'dead');
            expect(dead.attempt).toBe(1);
            expect(dead.lastError).toContain('ERROR_RIGHT_MISSING');
            expect(dead.lastError).toContain('lacks a right');
        } finally {
            await sb.http.post('/fakes/glpi/_config', { rightMissing: false });
        }
    });

    it('reports a server that answers its HTML login page as a configuration error', async () => {
        await sb.http.post('/fakes/glpi/_config', { expireSessions: true, htmlLoginPageCount: 1 });
        const roomId = await chat({ name: 'Maria Silva', email: 'maria@cliente.com.br' });
        const dead = await finished(roomId, 'dead');
        expect(dead.lastError).toContain('not JSON');
    });
});
