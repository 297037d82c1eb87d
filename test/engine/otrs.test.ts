/*
 * Closed Livechat -> OTRS/Znuny, through the real engine against the sandbox's contract-faithful
 * OTRS fake (contracts/otrs.md): new tickets in the mapped queue with the full transcript, notes
 * on referenced tickets, refused references, the helpdesk down then back, bad credentials, HTML
 * injection and emoji.
 */
import { eventually, helpdeskDelivery, helpdeskDeliveryWith, Sandbox, startSandbox } from './harness';
import { ENGINE_TRACE } from './secretsScan';

interface OtrsArticle { Subject: string; Body: string; Html?: string; ContentType: string; CommunicationChannel?: string; IsVisibleForCustomer?: number | string; SenderType?: string; From?: string }
interface OtrsTicket { TicketID: string | number; TicketNumber: string; Title: string; Queue: string; State: string; Priority: string; CustomerUser: string; DynamicFields?: Record<string, unknown>; articles: OtrsArticle[] }
interface OtrsCall { method: string; path: string; status: number }
interface Delivery { key: string; status: string; attempt: number; lastError?: string; result?: { tickets?: Array<{ ticketNumber: string; action: string }>; refusedReferences?: Record<string, string> } }


let sb: Sandbox;
let salesId: string;
let seq = 0;

beforeAll(async () => {
    sb = await startSandbox();
    salesId = (await sb.sim('post', '/departments', { name: 'Vendas' })).data.id;
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza', departmentIds: [salesId] });
    await sb.sim('put', '/settings', { otrs_department_queues: 'Vendas = Suporte N1', otrs_room_field: 'RocketChatRoomID', transcript_timezone: 'America/Sao_Paulo' });
});

afterAll(async () => {
    await sb?.stop();
});

beforeEach(async () => {
    await sb.http.post('/fakes/otrs/_faults', { mode: 'ok' });
});

async function otrs(): Promise<{ tickets: OtrsTicket[]; calls: OtrsCall[] }> {
    return (await sb.http.get('/fakes/otrs/_inspect')).data;
}

const delivery = (roomId: string) => helpdeskDelivery<Delivery>(sb, roomId);
const delivered = (roomId: string, status = 'done') => helpdeskDeliveryWith<Delivery>(sb, roomId, status);

/** A visitor chat in the widget with a bot greeting, a visitor message and an agent answer. */
async function chat(options: { topic?: string; tags?: string[]; visitorText?: string; agentText?: string; email?: string | null; department?: boolean; upload?: string } = {}): Promise<string> {
    const token = `otrs-${Date.now()}-${++seq}`;
    const email = options.email === null ? undefined : options.email ?? `maria${seq}@cliente.com.br`;
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token, name: 'Maria Silva', email, phone: '+5511999990000' }, ...(options.department === false ? {} : { departmentId: salesId }) })).data.roomId;
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'bot', username: 'atendimento.bot', text: 'Olá! Sou o assistente virtual.' });
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: options.visitorText ?? 'Meu boleto não chegou' });
    if (options.upload) {
        await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', attachments: [{ type: 'application/pdf', url: `https://files.example/${options.upload}`, title: options.upload }] });
    }
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: options.agentText ?? 'Vou reenviar agora mesmo.' });
    if (options.topic !== undefined || options.tags !== undefined) {
        await sb.sim('patch', `/rooms/${roomId}`, { topic: options.topic, tags: options.tags });
    }
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', comment: 'Resolvido' });
    return roomId;
}

describe('a closed room becomes an OTRS ticket', () => {
    it('in the mapped queue, with the whole transcript as an internal note, in exactly one request', async () => {
        const before = (await otrs()).calls.length;
        const roomId = await chat({ topic: 'Boleto atrasado' });
        const done = await delivered(roomId);
        const { tickets, calls } = await otrs();
        const ticket = tickets.find((t) => t.articles.some((a) => a.Subject.includes(roomId)))!;
        expect(ticket).toBeDefined();
        expect(ticket.Title).toBe('Livechat: Maria Silva - Boleto atrasado');
        expect(ticket.Queue).toBe('Suporte N1');
        expect(ticket.State).toBe('new');
        expect(ticket.Priority).toBe('3 normal');
        expect(ticket.CustomerUser).toMatch(/^maria\d+@cliente\.com\.br$/);
        expect(ticket.articles).toHaveLength(1);
        const [article] = ticket.articles;
        expect(article.CommunicationChannel).toBe('Internal');
        expect(Number(article.IsVisibleForCustomer)).toBe(0);
        expect(article.ContentType).toBe('text/html; charset=utf8');
        const html = article.Html ?? article.Body;
        for (const text of ['Maria Silva', 'Ana Souza', 'Olá! Sou o assistente virtual.', 'Meu boleto não chegou', 'Vou reenviar agora mesmo.', 'Resolvido', 'Vendas']) {
            expect(html).toContain(text);
        }
        expect(html).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
        expect(JSON.stringify(ticket.DynamicFields ?? {})).toContain(roomId);
        expect(done.result!.tickets).toEqual([expect.objectContaining({ ticketNumber: ticket.TicketNumber, action: 'created' })]);
        const writes = calls.slice(before).filter((c) => c.method !== 'GET');
        expect(writes.map((c) => `${c.method} ${c.path.replace(/^.*GenericTicketConnectorREST/, '')}`)).toEqual(['POST /Ticket']);
    });

    it('uses the default queue and the customer fallback when the room has no department and the visitor no e-mail', async () => {
        await sb.sim('put', '/settings', { otrs_customer_fallback: 'livechat@cliente.com.br' });
        const roomId = await chat({ email: null, department: false });
        await delivered(roomId);
        const ticket = (await otrs()).tickets.find((t) => t.articles.some((a) => a.Subject.includes(roomId)))!;
        expect(ticket.Queue).toBe('Livechat');
        expect(ticket.CustomerUser).toBe('livechat@cliente.com.br');
        expect(ticket.Title).toBe('Livechat: Maria Silva');
    });
});

describe('#references', () => {
    let first: OtrsTicket;
    let second: OtrsTicket;

    beforeAll(async () => {
        const a = await chat();
        const b = await chat();
        await delivered(a);
        await delivered(b);
        const { tickets } = await otrs();
        first = tickets.find((t) => t.articles.some((x) => x.Subject.includes(a)))!;
        second = tickets.find((t) => t.articles.some((x) => x.Subject.includes(b)))!;
    });

    it('adds a note to each referenced ticket (topic and tags), one PATCH each, and opens no ticket', async () => {
        const before = await otrs();
        const roomId = await chat({ topic: `Continua #${first.TicketNumber}`, tags: [`#${second.TicketNumber}`, `#${first.TicketNumber}`] });
        const done = await delivered(roomId);
        const after = await otrs();
        expect(after.tickets).toHaveLength(before.tickets.length);
        for (const ticket of [first, second]) {
            const now = after.tickets.find((t) => t.TicketNumber === ticket.TicketNumber)!;
            expect(now.articles.filter((x) => x.Subject.includes(roomId))).toHaveLength(1);
        }
        const writes = after.calls.slice(before.calls.length).filter((c) => c.method !== 'GET');
        expect(writes.map((c) => c.method)).toEqual(['PATCH', 'PATCH']);
        expect(done.result!.tickets!.map((t) => t.ticketNumber).sort()).toEqual([first.TicketNumber, second.TicketNumber].sort());
    });

    it('records a reference OTRS refuses and still writes the others', async () => {
        const before = await otrs();
        const roomId = await chat({ tags: ['#9999999999999999', `#${first.TicketNumber}`] });
        const done = await delivered(roomId);
        const after = await otrs();
        expect(after.tickets).toHaveLength(before.tickets.length);
        expect(done.result!.refusedReferences).toEqual({ '9999999999999999': expect.stringContaining('AccessDenied') });
        expect(done.result!.tickets).toEqual([expect.objectContaining({ ticketNumber: first.TicketNumber, action: 'noted' })]);
    });

    it('opens a new ticket when OTRS refuses every reference', async () => {
        const before = await otrs();
        const roomId = await chat({ topic: 'Ver #1234' });
        const done = await delivered(roomId);
        expect((await otrs()).tickets).toHaveLength(before.tickets.length + 1);
        expect(done.result!.refusedReferences).toEqual({ '1234': expect.stringContaining('AccessDenied') });
        expect(done.result!.tickets).toEqual([expect.objectContaining({ action: 'created' })]);
    });
});

describe('failures', () => {
    it('delivers exactly once after the helpdesk was down', async () => {
        await sb.http.post('/fakes/otrs/_faults', { mode: 'status500', count: 3 });
        const roomId = await chat();
        await eventually(async () => ((await delivery(roomId))?.attempt ?? 0) >= 1, 10000, 'first attempt');
        const done = await delivered(roomId);
        expect(done.attempt).toBeGreaterThan(1);
        const matching = (await otrs()).tickets.filter((t) => t.articles.some((a) => a.Subject.includes(roomId)));
        expect(matching).toHaveLength(1);
    });

    it('makes no second ticket when the reply to a TicketCreate that OTRS committed is lost', async () => {
        await sb.http.post('/fakes/otrs/_faults', { mode: 'lostReply', count: 1 });
        const roomId = await chat({ topic: 'resposta perdida' });
        const done = await delivered(roomId);
        expect(done.attempt).toBe(2);
        const matching = (await otrs()).tickets.filter((t) => t.articles.some((a) => a.Subject.includes(roomId)));
        expect(matching).toHaveLength(1);
        expect(done.result!.tickets).toEqual([expect.objectContaining({ ticketNumber: matching[0].TicketNumber })]);
    });

    it('makes no second note when the reply to a TicketUpdate that OTRS committed is lost', async () => {
        const first = await chat();
        await delivered(first);
        const target = (await otrs()).tickets.find((t) => t.articles.some((a) => a.Subject.includes(first)))!;
        await sb.http.post('/fakes/otrs/_faults', { mode: 'lostReply', count: 1 });
        const roomId = await chat({ tags: [`#${target.TicketNumber}`] });
        const done = await delivered(roomId);
        expect(done.attempt).toBe(2);
        const now = (await otrs()).tickets.find((t) => t.TicketNumber === target.TicketNumber)!;
        expect(now.articles.filter((a) => a.Subject.includes(roomId))).toHaveLength(1);
    });

    it('dead-letters bad credentials at once with OTRS\'s reason, and never stores the password', async () => {
        await sb.sim('put', '/settings', { otrs_password: 'wrong-password-123' });
        try {
            const roomId = await chat();
            const dead = await delivered(roomId, 'dead');
            expect(dead.attempt).toBe(1);
            expect(dead.lastError).toMatch(/AuthFail/);
            expect(dead.lastError).toContain('otrs_password');
            // What the app stores and logs. The engine's own framework lines ("<method> is being called...
            // The result is: <setting>", "<path>'s put is being executed... <request>") print setting values
            // and request headers at debug level; the app cannot switch those off (see the README).
            const logs = (await sb.sim('get', '/logs')).data as Array<{ message: string }>;
            const appLines = logs.filter((l) => !ENGINE_TRACE.test(l.message));
            const everything = JSON.stringify((await sb.sim('get', '/persistence')).data) + JSON.stringify(appLines);
            expect(appLines.length).toBeGreaterThan(0);
            expect(everything).not.toContain('wrong-password-123');
        } finally {
            await sb.sim('put', '/settings', { otrs_password: 'otrs-password' });
        }
    });

    it('reports a wrong-case queue as a configuration error instead of retrying for hours', async () => {
        await sb.sim('put', '/settings', { otrs_default_queue: 'livechat' });
        try {
            const roomId = await chat({ department: false });
            const dead = await delivered(roomId, 'dead');
            expect(dead.attempt).toBe(2);
            expect(dead.lastError).toContain('letter case');
        } finally {
            await sb.sim('put', '/settings', { otrs_default_queue: 'Livechat' });
        }
    });
});

describe('content', () => {
    it('keeps chat text inert in the HTML and turns emoji into shortcodes', async () => {
        const roomId = await chat({
            visitorText: '<script>alert(1)</script> "><img src=x onerror=alert(1)> 😀 obrigado',
            agentText: 'De nada 👍 <b>até</b>',
        });
        await delivered(roomId);
        const ticket = (await otrs()).tickets.find((t) => t.articles.some((a) => a.Subject.includes(roomId)))!;
        const html = ticket.articles[0].Html ?? ticket.articles[0].Body;
        expect(html).not.toContain('<script');
        expect(html).not.toMatch(/<img/i);
        expect(html).not.toContain('<b>até</b>');
        expect(html).toContain('&lt;script&gt;');
        expect(html).toContain(':grinning:');
        expect(html).not.toContain('\uFFFD');
    });
});

describe('files', () => {
    it('attaches uploaded files to the article, and keeps them as links when attaching is off', async () => {
        const withFile = await chat({ upload: 'boleto-123.pdf' });
        await delivered(withFile);
        const ticket = (await otrs()).tickets.find((t) => t.articles.some((a) => a.Subject.includes(withFile)))!;
        const article = ticket.articles[0] as OtrsArticle & { Attachments?: Array<{ Filename: string; ContentType: string; size?: number }> };
        expect(article.Attachments).toEqual([expect.objectContaining({ Filename: 'boleto-123.pdf', ContentType: 'application/pdf' })]);
        expect(article.Html ?? article.Body).toContain('boleto-123.pdf');

        await sb.sim('put', '/settings', { otrs_attach_files: false });
        try {
            const linkOnly = await chat({ upload: 'contrato.pdf' });
            await delivered(linkOnly);
            const other = (await otrs()).tickets.find((t) => t.articles.some((a) => a.Subject.includes(linkOnly)))!;
            const otherArticle = other.articles[0] as OtrsArticle & { Attachments?: unknown[] };
            expect(otherArticle.Attachments ?? []).toEqual([]);
            expect(otherArticle.Html ?? otherArticle.Body).toMatch(new RegExp(`${sb.url}/file-upload/[^"<\\s]+/contrato\\.pdf`));
        } finally {
            await sb.sim('put', '/settings', { otrs_attach_files: true });
        }
    });
});

describe('settings', () => {
    it('logs a clear message when a wrong value is saved', async () => {
        await sb.sim('put', '/settings', { otrs_from: 'Rocket.Chat Livechat', otrs_department_queues: 'Vendas Suporte' });
        try {
            const logs = (await sb.sim('get', '/logs')).data as Array<{ level: string; message: string }>;
            expect(logs.some((l) => l.level === 'warning' && l.message.includes('setting otrs_from: otrs_from must hold an e-mail address'))).toBe(true);
            expect(logs.some((l) => l.level === 'warning' && l.message.includes('otrs_department_queues: line 1'))).toBe(true);
        } finally {
            await sb.sim('put', '/settings', { otrs_from: '', otrs_department_queues: 'Vendas = Suporte N1' });
        }
    });
});
