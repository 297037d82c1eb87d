/**
 * The sandbox's fake OTRS/Znuny GenericTicketConnectorREST (sandbox/fakes/otrs.ts), over real HTTP
 * on 127.0.0.1. Expected statuses and bodies come from shared/contracts/otrs.md (§n).
 */
import http from 'http';
import { once } from 'events';
import type { AddressInfo } from 'net';
import express from 'express';
import axios, { AxiosError, AxiosRequestConfig, AxiosResponse } from 'axios';
import { createOtrsFake, OtrsConfigError, OtrsFake } from '../../sandbox/fakes/otrs';

const WS = '/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST';
const PASSWORD = 'otrs-password';
const AUTH = { UserLogin: 'rocketchat', Password: PASSWORD };

let otrs: OtrsFake;
let small: OtrsFake; // MaxLength 1000, for 413
let server: http.Server;
let origin: string;
let clockSkewMs = 0;
// No keep-alive: every request gets its own connection (the fake answers `Connection: close` anyway).
const agent = new http.Agent({ keepAlive: false });

beforeAll(async () => {
    otrs = createOtrsFake({ now: () => new Date(Date.now() + clockSkewMs) });
    small = createOtrsFake({ maxLength: 1000 });
    const app = express();
    app.use('/fakes/otrs', otrs.router);
    app.use('/fakes/otrs-small', small.router);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
    clockSkewMs = 0;
    otrs.reset();
    small.reset();
});

afterAll(async () => {
    otrs.close();
    small.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
});

/** A string body is sent byte for byte (axios would JSON-encode a string that is not valid JSON). */
function request(config: AxiosRequestConfig & { mount?: string }): Promise<AxiosResponse> {
    const { mount, ...rest } = config;
    return axios.request({
        baseURL: `${origin}${mount ?? '/fakes/otrs'}`,
        validateStatus: () => true,
        httpAgent: agent,
        proxy: false,
        transformRequest: (data: unknown) => (data === undefined || typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data)),
        transformResponse: (data: unknown) => data, // parsed below, so that text/plain bodies stay text
        ...rest,
        headers: { 'Content-Type': 'application/json', ...rest.headers },
    }).then((res) => {
        // JSON answers are parsed; text/plain ones (even a JSON fault) stay text, as a client sees them.
        if (typeof res.data === 'string' && /^application\/json/i.test(String(res.headers['content-type']))) res.data = JSON.parse(res.data);
        return res;
    });
}

/** A call to the webservice: `ws('POST', '/Ticket', body)`. */
function ws(method: string, path: string, data?: unknown, headers?: Record<string, string>): Promise<AxiosResponse> {
    return request({ method, url: `${WS}${path}`, data, headers });
}

/** A raw HTTP request, for what axios cannot send (no Content-Type, a chunked body). */
function raw(
    method: string,
    path: string,
    body: string | null,
    headers: Record<string, string> = {},
    chunked = false,
): Promise<{ status: number; contentType: string; text: string }> {
    return new Promise((resolve, reject) => {
        const req = http.request(`${origin}/fakes/otrs${path}`, { method, headers, agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: Buffer.concat(chunks).toString('utf8') }),
            );
        });
        req.on('error', reject);
        if (body !== null) {
            if (chunked) {
                req.setHeader('Transfer-Encoding', 'chunked');
                req.write(body.slice(0, 5));
                req.write(body.slice(5));
            } else {
                req.setHeader('Content-Length', Buffer.byteLength(body));
                req.write(body);
            }
        }
        req.end();
    });
}

async function failureOf(promise: Promise<unknown>): Promise<AxiosError> {
    try {
        await promise;
    } catch (err) {
        return err as AxiosError;
    }
    throw new Error('expected the request to fail');
}

function isConnectionDrop(err: AxiosError): boolean {
    return err.code === 'ECONNRESET' || /socket hang up/.test(err.message);
}

async function waitFor(condition: () => boolean, withinMs = 3000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

type Body = Record<string, unknown>;

/** A valid TicketCreate body (§10 live test), with Ticket/Article fields replaced or removed (undefined). */
function createBody(ticket: Body = {}, article: Body = {}, extra: Body = {}): Body {
    const merged = (base: Body, over: Body) => {
        const out: Body = { ...base };
        for (const [key, value] of Object.entries(over)) {
            if (value === undefined) delete out[key];
            else out[key] = value;
        }
        return out;
    };
    return merged(
        {
            ...AUTH,
            Ticket: merged({ Title: 'Livechat: Visitor One', Queue: 'Livechat', State: 'new', Priority: '3 normal', CustomerUser: 'visitor1' }, ticket),
            Article: merged(
                {
                    Subject: 'room-1',
                    Body: 'Visitor: hello',
                    ContentType: 'text/plain; charset=utf8',
                    CommunicationChannel: 'Internal',
                    SenderType: 'agent',
                    IsVisibleForCustomer: 0,
                },
                article,
            ),
        },
        extra,
    );
}

async function createTicket(ticket: Body = {}, article: Body = {}, extra: Body = {}): Promise<{ TicketID: string; TicketNumber: string; ArticleID: number }> {
    const res = await ws('POST', '/Ticket', createBody(ticket, article, extra));
    expect(res.status).toBe(200);
    expect(res.data.Error).toBeUndefined();
    return res.data;
}

const searchIds = async (query: string): Promise<unknown> => (await ws('GET', `/Ticket?UserLogin=rocketchat&Password=${PASSWORD}&${query}`)).data;

describe('SessionCreate / SessionGet (§2)', () => {
    test('a session is created for an agent and can be read back', async () => {
        const res = await ws('POST', '/Session', AUTH);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
        expect(res.data).toEqual({ SessionID: expect.stringMatching(/^[A-Za-z0-9]{32}$/) });

        const got = await ws('GET', `/Session/${res.data.SessionID}`);
        expect(got.status).toBe(200);
        const data = Object.fromEntries((got.data.SessionData as Array<{ Key: string; Value: string }>).map((item) => [item.Key, item.Value]));
        expect(data).toMatchObject({ UserLogin: 'rocketchat', UserType: 'User' });
        expect(JSON.stringify(got.data)).not.toContain(PASSWORD);
        expect(otrs.inspect().sessions).toBe(1);
    });

    test('wrong credentials: HTTP 200 with SessionCreate.AuthFail', async () => {
        const res = await ws('POST', '/Session', { UserLogin: 'rocketchat', Password: 'nope' });
        expect(res.status).toBe(200);
        expect(res.data).toEqual({ Error: { ErrorCode: 'SessionCreate.AuthFail', ErrorMessage: 'SessionCreate: Authorization failing!' } });
    });

    test('no password: SessionCreate.MissingParameter', async () => {
        const res = await ws('POST', '/Session', { UserLogin: 'rocketchat' });
        expect(res.data.Error).toEqual({ ErrorCode: 'SessionCreate.MissingParameter', ErrorMessage: 'SessionCreate: Password parameter is missing!' });
    });

    test('a customer user gets a session too', async () => {
        const res = await ws('POST', '/Session', { CustomerUserLogin: 'visitor1', Password: 'visitor1-password' });
        expect(res.data.SessionID).toMatch(/^[A-Za-z0-9]{32}$/);
    });

    test('an unknown SessionID: SessionGet.SessionInvalid', async () => {
        const res = await ws('GET', '/Session/abc');
        expect(res.data.Error).toEqual({ ErrorCode: 'SessionGet.SessionInvalid', ErrorMessage: 'SessionGet: SessionID is Invalid!' });
    });
});

describe('authentication placements (§2)', () => {
    test('UserLogin + Password in the JSON body', async () => {
        const res = await ws('POST', '/Ticket', createBody());
        expect(res.data.TicketNumber).toMatch(/^\d{16}$/);
    });

    test('in the query string (GET, where a body is never read)', async () => {
        await createTicket();
        const res = await ws('GET', `/Ticket?UserLogin=rocketchat&Password=${PASSWORD}`);
        expect(res.data).toEqual({ TicketID: [expect.any(String)] });
    });

    test('in X-OTRS-Header-* headers, which win over the body and the query', async () => {
        const { UserLogin: _login, Password: _password, ...body } = createBody();
        const res = await ws('POST', '/Ticket?Password=wrong', { ...body, UserLogin: 'rocketchat', Password: 'wrong' }, {
            'X-OTRS-Header-UserLogin': 'rocketchat',
            'X-OTRS-Header-Password': PASSWORD,
        });
        expect(res.data.TicketID).toEqual(expect.any(String));

        const search = await ws('GET', '/Ticket', undefined, { 'X-OTRS-Header-UserLogin': 'rocketchat', 'X-OTRS-Header-Password': PASSWORD });
        expect(search.data.TicketID).toHaveLength(1);
    });

    test('a SessionID works in the body, the query and the header', async () => {
        const { SessionID } = (await ws('POST', '/Session', AUTH)).data;
        const { UserLogin: _login, Password: _password, ...body } = createBody();
        expect((await ws('POST', '/Ticket', { ...body, SessionID })).data.TicketID).toEqual(expect.any(String));
        expect((await ws('GET', `/Ticket?SessionID=${SessionID}`)).data.TicketID).toHaveLength(1);
        expect((await ws('GET', '/Ticket', undefined, { 'X-OTRS-Header-SessionID': SessionID })).data.TicketID).toHaveLength(1);
    });

    test('failures: AuthFail on HTTP 200, with each operation’s own message', async () => {
        const create = await ws('POST', '/Ticket', createBody({}, {}, { Password: 'wrong' }));
        expect(create.status).toBe(200);
        expect(create.data).toEqual({ Error: { ErrorCode: 'TicketCreate.AuthFail', ErrorMessage: 'TicketCreate: User could not be authenticated!' } });
        const search = await ws('GET', '/Ticket?UserLogin=rocketchat&Password=wrong');
        expect(search.data).toEqual({ Error: { ErrorCode: 'TicketSearch.AuthFail', ErrorMessage: 'TicketSearch: Authorization failing!' } });
        const update = await ws('PATCH', '/Ticket/2', { UserLogin: 'rocketchat', Password: 'wrong', Article: { Subject: 's', Body: 'b' } });
        expect(update.data.Error.ErrorCode).toBe('TicketUpdate.AuthFail');
        const noCredentials = await ws('POST', '/Ticket', { Ticket: {}, Article: {} });
        expect(noCredentials.data.Error).toEqual({
            ErrorCode: 'TicketCreate.MissingParameter',
            ErrorMessage: 'TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!',
        });
    });

    test('sessions expire after the idle time, and all at once on request', async () => {
        otrs.configure({ sessionIdleSeconds: 60 });
        const first = (await ws('POST', '/Session', AUTH)).data.SessionID as string;
        clockSkewMs = 61_000;
        expect((await ws('GET', `/Ticket?SessionID=${first}`)).data.Error.ErrorCode).toBe('TicketSearch.AuthFail');

        const second = (await ws('POST', '/Session', AUTH)).data.SessionID as string;
        expect((await ws('GET', `/Ticket?SessionID=${second}`)).data.Error).toBeUndefined();
        expect((await request({ method: 'POST', url: '/_config', data: { expireSessions: true } })).status).toBe(200);
        expect((await ws('GET', `/Ticket?SessionID=${second}`)).data.Error.ErrorCode).toBe('TicketSearch.AuthFail');
        expect(otrs.inspect().sessions).toBe(0);
    });

    test('a valid SessionID decides alone: a bad session fails even with good credentials', async () => {
        const res = await ws('GET', `/Ticket?SessionID=nope&UserLogin=rocketchat&Password=${PASSWORD}`);
        expect(res.data.Error.ErrorCode).toBe('TicketSearch.AuthFail');
    });

    test('OTRS 6 has no header auth (§8)', async () => {
        otrs.configure({ version: 6 });
        const res = await ws('GET', '/Ticket', undefined, { 'X-OTRS-Header-UserLogin': 'rocketchat', 'X-OTRS-Header-Password': PASSWORD });
        expect(res.data.Error.ErrorCode).toBe('TicketSearch.AuthFail');
    });

    test('customer auth: the ticket is the customer’s and ArticleID comes back as a string (§3)', async () => {
        const res = await ws('POST', '/Ticket', createBody({}, { SenderType: undefined }, { UserLogin: undefined, CustomerUserLogin: 'visitor1', Password: 'visitor1-password' }));
        expect(res.data).toEqual({ ArticleID: expect.any(String), TicketID: expect.any(String), TicketNumber: expect.any(String) });
        const [ticket] = otrs.inspect().tickets;
        expect(ticket.Owner).toBe('root@localhost');
        expect(ticket.articles[0].SenderType).toBe('customer');
    });
});

describe('TicketCreate (§3)', () => {
    test('success: ArticleID number, TicketID string, a 16-digit DateChecksum TicketNumber', async () => {
        const res = await ws('POST', '/Ticket', createBody());
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
        expect(res.headers.connection).toBe('close');
        expect(res.data).toEqual({ ArticleID: expect.any(Number), TicketID: expect.any(String), TicketNumber: expect.any(String) });
        const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
        expect(res.data.TicketNumber).toMatch(new RegExp(`^${today}10\\d{6}$`));
        // The response keys come sorted, as Znuny encodes them.
        expect(Object.keys(JSON.parse(JSON.stringify(res.data)))).toEqual(['ArticleID', 'TicketID', 'TicketNumber']);

        const [ticket] = otrs.inspect().tickets;
        expect(ticket).toMatchObject({
            TicketID: Number(res.data.TicketID),
            TicketNumber: res.data.TicketNumber,
            Title: 'Livechat: Visitor One',
            Queue: 'Livechat',
            State: 'new',
            Priority: '3 normal',
            CustomerUser: 'visitor1',
            Owner: 'rocketchat',
        });
        expect(ticket.articles).toEqual([
            expect.objectContaining({
                ArticleID: res.data.ArticleID,
                Subject: 'room-1',
                Body: 'Visitor: hello',
                CommunicationChannel: 'Internal',
                IsVisibleForCustomer: 0,
                SenderType: 'agent',
                From: '"Visitor One" <visitor1@cliente.com.br>', // §3: defaults to the customer user
                Attachments: [],
            }),
        ]);
    });

    test('ticket numbers are unique and increasing', async () => {
        const numbers: string[] = [];
        for (let i = 0; i < 3; i += 1) numbers.push((await createTicket()).TicketNumber);
        expect(new Set(numbers).size).toBe(3);
        expect([...numbers].sort()).toEqual(numbers);
    });

    test('defaults: Internal channel, IsVisibleForCustomer 1, SenderType agent (§3)', async () => {
        await createTicket({}, { CommunicationChannel: undefined, IsVisibleForCustomer: undefined, SenderType: undefined });
        expect(otrs.inspect().tickets[0].articles[0]).toMatchObject({ CommunicationChannel: 'Internal', IsVisibleForCustomer: 1, SenderType: 'agent' });
    });

    test('accepted variants: an e-mail customer, a From with an address, a state in another case, `internal`', async () => {
        await createTicket({ CustomerUser: 'joao@cliente.com.br', State: 'NEW' }, { From: 'Livechat <livechat@acme.com.br>', CommunicationChannel: 'internal' });
        const [ticket] = otrs.inspect().tickets;
        expect(ticket).toMatchObject({ CustomerUser: 'joao@cliente.com.br', State: 'new' });
        expect(ticket.articles[0]).toMatchObject({ From: 'Livechat <livechat@acme.com.br>', CommunicationChannel: 'Internal' });
    });

    test.each<[string, string, string, Body, Body, Body]>([
        ['wrong password', 'TicketCreate.AuthFail', 'TicketCreate: User could not be authenticated!', {}, {}, { Password: 'wrong' }],
        ['an unknown queue', 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!', { Queue: 'Nowhere' }, {}, {}],
        ['no CustomerUser', 'TicketCreate.MissingParameter', 'TicketCreate: Ticket->CustomerUser parameter is missing!', { CustomerUser: undefined }, {}, {}],
        ['CustomerUser `Guest 123`', 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->CustomerUser parameter is invalid!', { CustomerUser: 'Guest 123' }, {}, {}],
        ['no Title', 'TicketCreate.MissingParameter', 'TicketCreate: Ticket->Title parameter is missing!', { Title: undefined }, {}, {}],
        ['priority `normal`', 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->PriorityID or Ticket->Priority parameter is invalid!', { Priority: 'normal' }, {}, {}],
        ['an unknown state', 'TicketCreate.InvalidParameter', 'TicketCreate: Ticket->StateID or Ticket->State parameter is invalid!', { State: 'gone' }, {}, {}],
        ['From as a bare name', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->From parameter is invalid!', {}, { From: 'Rocket.Chat Livechat' }, {}],
        ['From at example.com', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->From parameter is invalid!', {}, { From: 'Bot <bot@example.com>' }, {}],
        ['From at localhost', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->From parameter is invalid!', {}, { From: 'bot@localhost' }, {}],
        ['ContentType without charset', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->ContentType is invalid!', {}, { ContentType: 'text/html' }, {}],
        ['the Chat channel', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!', {}, { CommunicationChannel: 'Chat' }, {}],
        ['SenderType `bot`', 'TicketCreate.InvalidParameter', 'TicketCreate: Article->SenderTypeID or Ticket->SenderType parameter is invalid!', {}, { SenderType: 'bot' }, {}],
        ['no Subject', 'TicketCreate.MissingParameter', 'TicketCreate: Article->Subject parameter is missing!', {}, { Subject: undefined }, {}],
        ['no Body', 'TicketCreate.MissingParameter', 'TicketCreate: Article->Body parameter is missing!', {}, { Body: undefined }, {}],
        ['an unknown dynamic field', 'TicketCreate.InvalidParameter', 'TicketCreate: DynamicField->Name parameter is invalid!', {}, {}, { DynamicField: { Name: 'Nope', Value: 'x' } }],
        ['an attachment without Filename', 'TicketCreate.MissingParameter', 'TicketCreate: Attachment->Filename parameter is missing!', {}, {}, { Attachment: { Content: 'aGk=', ContentType: 'text/plain' } }],
        ['no Article', 'TicketCreate.MissingParameter', 'TicketCreate: Article parameter is missing or not valid!', {}, {}, { Article: undefined }],
    ])('%s: HTTP 200 with %s', async (_label, code, message, ticket, article, extra) => {
        const res = await ws('POST', '/Ticket', createBody(ticket, article, extra));
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
        expect(res.data).toEqual({ Error: { ErrorCode: code, ErrorMessage: message } });
        expect(otrs.inspect().tickets).toEqual([]);
    });

    test('a queue in the wrong letter case passes validation, then fails with HTTP 500 (§7)', async () => {
        const res = await ws('POST', '/Ticket', createBody({ Queue: 'livechat' }));
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
        expect(JSON.parse(res.data)).toEqual({ faultcode: 'Server', faultstring: 'Ticket could not be created, please contact the system administrator' });
        expect(otrs.inspect().tickets).toEqual([]);
    });

    test('an agent without rw on the queue: TicketCreate.AccessDenied', async () => {
        otrs.configure({ users: [{ login: 'rocketchat', password: PASSWORD, rwQueues: ['Vendas'] }] });
        const res = await ws('POST', '/Ticket', createBody());
        expect(res.data.Error).toEqual({ ErrorCode: 'TicketCreate.AccessDenied', ErrorMessage: 'TicketCreate: Can not create tickets in given Queue or QueueID!' });
        expect((await ws('POST', '/Ticket', createBody({ Queue: 'Vendas' }))).data.TicketID).toEqual(expect.any(String));
    });

    test('the title is trimmed and cut at 255 characters (§3)', async () => {
        await createTicket({ Title: `  ${'x'.repeat(300)}  ` });
        expect(otrs.inspect().tickets[0].Title).toBe('x'.repeat(255));
    });

    test('an HTML article is stored as text plus the HTML (§3)', async () => {
        const { TicketID } = await createTicket({}, { ContentType: 'text/html; charset=utf8', Body: '<p>Visitor: <b>hi</b> &amp; bye</p><p>Agent: ok</p>' });
        const [article] = otrs.inspect().tickets[0].articles;
        expect(article.Body).toBe('Visitor: hi & bye\n\nAgent: ok');
        expect(article.Html).toBe('<p>Visitor: <b>hi</b> &amp; bye</p><p>Agent: ok</p>');
        expect(article.ContentType).toBe('text/html; charset=utf8');

        const got = await ws('GET', `/Ticket/${TicketID}?UserLogin=rocketchat&Password=${PASSWORD}&AllArticles=1&Attachments=1`);
        const [shown] = got.data.Ticket[0].Article;
        expect(shown).toMatchObject({ Body: 'Visitor: hi & bye\n\nAgent: ok', ContentType: 'text/plain; charset=utf8', MimeType: 'text/plain' });
        expect(shown.Attachment).toBeUndefined(); // the HTML stays hidden...
        const withHtml = await ws('GET', `/Ticket/${TicketID}?UserLogin=rocketchat&Password=${PASSWORD}&AllArticles=1&Attachments=1&HTMLBodyAsAttachment=1`);
        expect(withHtml.data.Ticket[0].Article[0].Attachment).toEqual([expect.objectContaining({ Filename: 'file-2', ContentType: 'text/html; charset="utf8"' })]);
    });

    test('attachments: top level and inside the Article (Znuny 6.5.2+)', async () => {
        const { TicketID } = await createTicket(
            {},
            { Attachment: { Content: Buffer.from('inner').toString('base64'), ContentType: 'text/plain', Filename: 'inner.txt' } },
            { Attachment: [{ Content: Buffer.from('transcript').toString('base64'), ContentType: 'text/plain; charset=utf8', Filename: 'chat.txt' }] },
        );
        expect(otrs.inspect().tickets[0].articles[0].Attachments).toEqual([
            { Filename: 'inner.txt', ContentType: 'text/plain', size: 5 },
            { Filename: 'chat.txt', ContentType: 'text/plain; charset=utf8', size: 10 },
        ]);
        const got = await ws('GET', `/Ticket/${TicketID}?UserLogin=rocketchat&Password=${PASSWORD}&AllArticles=1&Attachments=1`);
        expect(got.data.Ticket[0].Article[0].Attachment[1]).toMatchObject({ Filename: 'chat.txt', FilesizeRaw: 10, Content: Buffer.from('transcript').toString('base64') });
    });

    test('dynamic fields are stored on the ticket', async () => {
        await createTicket({}, {}, { DynamicField: [{ Name: 'RocketChatRoomID', Value: 'room-1' }] });
        expect(otrs.inspect().tickets[0].DynamicFields).toEqual({ RocketChatRoomID: 'room-1' });
    });

    test('a malformed DynamicField item is answered without an ErrorCode: HTTP 500', async () => {
        const res = await ws('POST', '/Ticket', createBody({}, {}, { DynamicField: ['RocketChatRoomID'] }));
        expect(res.status).toBe(500);
        expect(JSON.parse(res.data)).toEqual({ faultcode: 'Server', faultstring: 'TicketCreate: Ticket->DynamicField parameter is invalid!' });
    });

    test('emoji become U+FFFD on MySQL and are kept on PostgreSQL (§7)', async () => {
        await createTicket({ Title: 'Chat 😀' }, { Subject: 'room 🎉', Body: 'hi 😀 olá' });
        expect(otrs.inspect().tickets[0]).toMatchObject({ Title: 'Chat \uFFFD' });
        expect(otrs.inspect().tickets[0].articles[0]).toMatchObject({ Subject: 'room \uFFFD', Body: 'hi \uFFFD olá' });

        otrs.configure({ database: 'postgresql' });
        await createTicket({ Title: 'Chat 😀' }, { Body: '<p>hi 😀</p>', ContentType: 'text/html; charset=utf8' });
        const second = otrs.inspect().tickets[1];
        expect(second.Title).toBe('Chat 😀');
        expect(second.articles[0]).toMatchObject({ Body: 'hi 😀', Html: '<p>hi 😀</p>' });
    });

    test('OTRS 5: ArticleType instead of CommunicationChannel/IsVisibleForCustomer (§8)', async () => {
        otrs.configure({ version: 5 });
        const { TicketID } = await createTicket({}, { CommunicationChannel: 'Chat', IsVisibleForCustomer: undefined, ArticleType: 'note-internal' });
        const [article] = otrs.inspect().tickets[0].articles;
        expect(article).toMatchObject({ ArticleType: 'note-internal', CommunicationChannel: null, IsVisibleForCustomer: null });
        const got = await ws('GET', `/Ticket/${TicketID}?UserLogin=rocketchat&Password=${PASSWORD}&AllArticles=1`);
        expect(got.data.Ticket[0].Article[0]).toMatchObject({ ArticleType: 'note-internal', ArticleTypeID: 9 });
        expect(got.data.Ticket[0].Article[0]).not.toHaveProperty('CommunicationChannelID');

        await createTicket({}, { CommunicationChannel: undefined, IsVisibleForCustomer: undefined });
        expect(otrs.inspect().tickets[1].articles[0].ArticleType).toBe('webrequest'); // the SysConfig default
        const bad = await ws('POST', '/Ticket', createBody({}, { ArticleType: 'note-secret' }));
        expect(bad.data.Error).toEqual({
            ErrorCode: 'TicketCreate.InvalidParameter',
            ErrorMessage: 'TicketCreate: Article->ArticleTypeID or Article->ArticleType parameter is invalid!',
        });
    });
});

describe('the REST transport (§1, §6)', () => {
    test('bad JSON: 500 text/plain', async () => {
        const res = await ws('POST', '/Ticket', '{"UserLogin": ');
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
        expect(res.data).toBe('Error while decoding request content.');
    });

    test('a form-encoded body is never read: 500 "Could not read input data"', async () => {
        const res = await ws('POST', '/Ticket', JSON.stringify(createBody()), { 'Content-Type': 'application/x-www-form-urlencoded' });
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
        expect(res.data).toBe('Could not read input data');
        const noType = await raw('POST', `${WS}/Ticket`, JSON.stringify(createBody()));
        expect([noType.status, noType.text]).toEqual([500, 'Could not read input data']);
    });

    test('an empty object: 500 "Unsupported request content structure."', async () => {
        const res = await ws('POST', '/Session', '{}');
        expect([res.status, res.data]).toEqual([500, 'Unsupported request content structure.']);
    });

    test('a JSON array as the whole body: a broken reply with no status line (§7)', async () => {
        const err = await failureOf(axios.post(`${origin}/fakes/otrs${WS}/Ticket`, [createBody()], { httpAgent: agent, proxy: false }));
        expect(isConnectionDrop(err)).toBe(true);
    });

    test.each([
        ['GET', '/Nothing', '/Nothing'],
        ['PUT', '/Ticket/2', '/Ticket/2'],
        ['GET', '/ticket?UserLogin=x', '/ticket'],
        ['DELETE', '/Session/abc', '/Session/abc'],
    ])('%s %s: 500 text/plain "determine Operation"', async (method, path, uri) => {
        const res = await ws(method, path, method === 'PUT' ? { ...AUTH } : undefined);
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
        expect(res.data).toBe(`HTTP::REST Error while determine Operation for request URI '${uri}'.`);
    });

    test('a body over MaxLength: 413', async () => {
        const res = await request({ mount: '/fakes/otrs-small', method: 'POST', url: `${WS}/Ticket`, data: createBody({}, { Body: 'x'.repeat(2000) }) });
        expect(res.status).toBe(413);
        expect(res.headers['content-type']).toBe('text/plain; charset=UTF-8');
        expect(res.data).toBe('Payload Too Large');
        expect(small.inspect().calls[0]).toMatchObject({ status: 413, body: expect.stringMatching(/over MaxLength/) });
    });

    test('a GET body is ignored, and a chunked body too (§7)', async () => {
        const get = await raw('GET', `${WS}/Ticket`, JSON.stringify(AUTH), { 'Content-Type': 'application/json' });
        expect(JSON.parse(get.text).Error.ErrorCode).toBe('TicketSearch.AuthFail');
        const chunked = await raw('POST', `${WS}/Session`, JSON.stringify(AUTH), { 'Content-Type': 'application/json' }, true);
        expect(JSON.parse(chunked.text).Error).toEqual({ ErrorCode: 'SessionCreate.MissingParameter', ErrorMessage: 'SessionCreate: Password parameter is missing!' });
    });

    test('query parameters are merged over the body, and route placeholders win over both', async () => {
        const { TicketID } = await createTicket();
        const res = await ws('GET', `/Ticket/${TicketID}?TicketID=999&UserLogin=rocketchat&Password=${PASSWORD}`);
        expect(res.data.Ticket[0].TicketID).toBe(Number(TicketID));
        // The query's Password wins over the body's.
        const session = await ws('POST', `/Session?Password=${PASSWORD}`, { UserLogin: 'rocketchat', Password: 'wrong' });
        expect(session.data.SessionID).toEqual(expect.any(String));
    });

    test('a charset in the Content-Type is honoured (§1)', async () => {
        const body = Buffer.from(JSON.stringify(createBody({ Title: 'Atenção' })), 'latin1');
        const res = await request({ method: 'POST', url: `${WS}/Ticket`, data: body, headers: { 'Content-Type': 'application/json; charset=ISO-8859-1' } });
        expect(res.data.TicketID).toEqual(expect.any(String));
        expect(otrs.inspect().tickets[0].Title).toBe('Atenção');
    });

    test('the alias is free, and WebserviceID/1 works as well as the name (§1)', async () => {
        const byId = await request({ method: 'POST', url: '/otrs/nph-genericinterface.pl/WebserviceID/1/Session', data: AUTH });
        expect(byId.data.SessionID).toEqual(expect.any(String));
    });

    test.each([
        '/znuny/nph-genericinterface.pl/Webservice/OtherConnector/Session',
        '/znuny/nph-genericinterface.pl/WebserviceID/2/Session',
        '/znuny/nph-genericinterface.pl/Session',
    ])('%s: the connection is closed with no reply (§6)', async (path) => {
        const err = await failureOf(axios.post(`${origin}/fakes/otrs${path}`, AUTH, { httpAgent: agent, proxy: false }));
        expect(isConnectionDrop(err)).toBe(true);
        expect(otrs.inspect().calls[0]).toMatchObject({ path, status: null });
    });

    test('a path outside the GenericInterface script: 404', async () => {
        expect((await request({ method: 'GET', url: '/znuny/index.pl' })).status).toBe(404);
    });
});

describe('TicketUpdate (§4)', () => {
    const article = { Subject: 'room-1 (2)', Body: 'Agent: bye', ContentType: 'text/plain; charset=utf8', IsVisibleForCustomer: 0 };

    test('PATCH /Ticket/0 with TicketNumber appends an article; TicketID comes back as a number', async () => {
        const created = await createTicket();
        const res = await ws('PATCH', '/Ticket/0', { ...AUTH, TicketNumber: created.TicketNumber, Article: article });
        expect(res.status).toBe(200);
        expect(res.data).toEqual({ ArticleID: expect.any(Number), TicketID: Number(created.TicketID), TicketNumber: created.TicketNumber });
        expect(res.data.ArticleID).toBeGreaterThan(created.ArticleID);
        const [ticket] = otrs.inspect().tickets;
        expect(ticket.articles.map((a) => a.Subject)).toEqual(['room-1', 'room-1 (2)']);
        expect(ticket.articles[1]).toMatchObject({ CommunicationChannel: 'Internal', SenderType: 'agent', IsVisibleForCustomer: 0 });
    });

    test('PATCH /Ticket/:id echoes the route TicketID as a string; no Article means no ArticleID', async () => {
        const created = await createTicket();
        const res = await ws('PATCH', `/Ticket/${created.TicketID}`, { ...AUTH, Article: article });
        expect(res.data).toEqual({ ArticleID: expect.any(Number), TicketID: created.TicketID, TicketNumber: created.TicketNumber });
        const noArticle = await ws('PATCH', `/Ticket/${created.TicketID}`, { ...AUTH, Ticket: { State: 'closed successful' } });
        expect(noArticle.data).toEqual({ TicketID: created.TicketID, TicketNumber: created.TicketNumber });
        expect(otrs.inspect().tickets[0].State).toBe('closed successful');
    });

    test('an unknown number or id, or no permission: TicketUpdate.AccessDenied', async () => {
        const denied = { Error: { ErrorCode: 'TicketUpdate.AccessDenied', ErrorMessage: 'TicketUpdate: User does not have access to the ticket!' } };
        expect((await ws('PATCH', '/Ticket/0', { ...AUTH, TicketNumber: '2026112210000013', Article: article })).data).toEqual(denied);
        expect((await ws('PATCH', '/Ticket/12345', { ...AUTH, Article: article })).data).toEqual(denied);
        const created = await createTicket();
        otrs.configure({ users: [{ login: 'rocketchat', password: PASSWORD, rwQueues: ['Vendas'] }] });
        expect((await ws('PATCH', '/Ticket/0', { ...AUTH, TicketNumber: created.TicketNumber, Article: article })).data).toEqual(denied);
    });

    test('PATCH /Ticket/0 without a TicketNumber: the id 0 counts as missing', async () => {
        const res = await ws('PATCH', '/Ticket/0', { ...AUTH, Article: article });
        expect(res.data.Error).toEqual({ ErrorCode: 'TicketUpdate.MissingParameter', ErrorMessage: 'TicketUpdate: TicketID or TicketNumber is required!' });
    });

    test('an Article array: TicketUpdate.InvalidParameter', async () => {
        const created = await createTicket();
        const res = await ws('PATCH', `/Ticket/${created.TicketID}`, { ...AUTH, Article: [article, article] });
        expect(res.data).toEqual({ Error: { ErrorCode: 'TicketUpdate.InvalidParameter', ErrorMessage: 'TicketUpdate: Article parameter is not valid!' } });
        expect(otrs.inspect().tickets[0].articles).toHaveLength(1);
    });

    test('no Article->Body: TicketUpdate.MissingParameter', async () => {
        const created = await createTicket();
        const res = await ws('PATCH', `/Ticket/${created.TicketID}`, { ...AUTH, Article: { ...article, Body: '' } });
        expect(res.data).toEqual({ Error: { ErrorCode: 'TicketUpdate.MissingParameter', ErrorMessage: 'TicketUpdate: Article->Body parameter is missing!' } });
    });

    test('an attachment needs an article', async () => {
        const created = await createTicket();
        const res = await ws('PATCH', `/Ticket/${created.TicketID}`, { ...AUTH, Attachment: { Content: 'aGk=', ContentType: 'text/plain', Filename: 'a.txt' } });
        expect(res.data.Error).toEqual({ ErrorCode: 'TicketUpdate.MissingParameter', ErrorMessage: 'TicketUpdate: To create an attachment an article is needed!' });
    });
});

describe('TicketSearch (§5)', () => {
    test('honoured filters: TicketNumber (exact and *), Title, Queues, States, StateType, CustomerUserLogin, CustomerID', async () => {
        const a = await createTicket({ Title: 'Livechat room-A' });
        const b = await createTicket({ Title: 'Sales room-B', Queue: 'Vendas', State: 'open', CustomerUser: 'joao@cliente.com.br', CustomerID: 'acme' });
        expect(await searchIds(`TicketNumber=${a.TicketNumber}`)).toEqual({ TicketID: [a.TicketID] });
        expect(await searchIds(`TicketNumber=${b.TicketNumber.slice(0, 10)}*`)).toEqual({ TicketID: [b.TicketID, a.TicketID] });
        expect(await searchIds(`TicketNumber=${a.TicketNumber}&TicketNumber=${b.TicketNumber}&OrderBy=Up`)).toEqual({ TicketID: [a.TicketID, b.TicketID] });
        expect(await searchIds('Title=*room-b*')).toEqual({ TicketID: [b.TicketID] });
        expect(await searchIds('Queues=Vendas')).toEqual({ TicketID: [b.TicketID] });
        expect(await searchIds('States=new')).toEqual({ TicketID: [a.TicketID] });
        expect(await searchIds('StateType=open')).toEqual({ TicketID: [b.TicketID] });
        expect(await searchIds('CustomerUserLogin=visitor1')).toEqual({ TicketID: [a.TicketID] });
        expect(await searchIds('CustomerID=acme')).toEqual({ TicketID: [b.TicketID] });
        expect(await searchIds('Queues=Livechat&CustomerUserLogin=joao@cliente.com.br')).toEqual({});
    });

    test('zero hits is {} (no TicketID key, no error)', async () => {
        await createTicket();
        const res = await ws('GET', `/Ticket?UserLogin=rocketchat&Password=${PASSWORD}&TicketNumber=2026112210000013`);
        expect(res.status).toBe(200);
        expect(res.data).toEqual({});
    });

    test('a dropped filter (DynamicField_*, Subject, Body, From) returns every ticket (§5)', async () => {
        const a = await createTicket({}, {}, { DynamicField: { Name: 'RocketChatRoomID', Value: 'room-A' } });
        const b = await createTicket({}, { Subject: 'room-B' });
        for (const filter of ['DynamicField_RocketChatRoomID=x', 'Subject=x', 'Body=nothing', 'From=x@y.com', 'Whatever=1']) {
            expect(await searchIds(filter)).toEqual({ TicketID: [b.TicketID, a.TicketID] });
        }
    });

    test('Limit, SortBy and OrderBy; the default order is newest first (Age, Down)', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 3; i += 1) ids.push((await createTicket({ Title: `t${3 - i}` })).TicketID);
        expect(await searchIds('')).toEqual({ TicketID: [...ids].reverse() });
        expect(await searchIds('Limit=2')).toEqual({ TicketID: [ids[2], ids[1]] });
        expect(await searchIds('SortBy=Title&OrderBy=Up')).toEqual({ TicketID: [ids[2], ids[1], ids[0]] });
        expect(await searchIds('SortBy=Created&OrderBy=Up&Limit=1')).toEqual({ TicketID: [ids[0]] });
        expect(await searchIds('SortBy=Nonsense')).toEqual({});
    });

    test('a queue name in the wrong case finds nothing (the §7 configuration check)', async () => {
        await createTicket();
        expect(await searchIds('Queues=livechat')).toEqual({});
        expect(await searchIds('Queues=Livechat')).toEqual({ TicketID: [expect.any(String)] });
    });

    test('TicketCreateTimeNewerMinutes', async () => {
        const old = await createTicket();
        clockSkewMs = 2 * 3600_000;
        const recent = await createTicket();
        expect(await searchIds('TicketCreateTimeNewerMinutes=60')).toEqual({ TicketID: [recent.TicketID] });
        expect(await searchIds('TicketCreateTimeOlderMinutes=60')).toEqual({ TicketID: [old.TicketID] });
    });

    test('an agent only finds tickets in the queues they may read', async () => {
        await createTicket();
        otrs.configure({ users: [{ login: 'rocketchat', password: PASSWORD, rwQueues: ['Vendas'] }] });
        expect(await searchIds('')).toEqual({});
    });
});

describe('TicketGet (§5)', () => {
    async function ticketWithArticles(): Promise<string> {
        const { TicketID } = await createTicket({}, {}, { DynamicField: { Name: 'RocketChatRoomID', Value: 'room-1' } });
        for (const n of [2, 3]) {
            await ws('PATCH', `/Ticket/${TicketID}`, { ...AUTH, Article: { Subject: `part ${n}`, Body: `body ${n}`, ContentType: 'text/plain; charset=utf8' } });
        }
        return TicketID;
    }
    const get = (id: string, query: string) => ws('GET', `/Ticket/${id}?UserLogin=rocketchat&Password=${PASSWORD}&${query}`);

    test('the ticket with its fields (TicketID a number) and the DynamicField array', async () => {
        const id = await ticketWithArticles();
        const res = await get(id, 'DynamicFields=1');
        expect(res.data.Ticket).toHaveLength(1);
        const [ticket] = res.data.Ticket;
        expect(ticket).toMatchObject({
            TicketID: Number(id),
            TicketNumber: expect.stringMatching(/^\d{16}$/),
            Title: 'Livechat: Visitor One',
            Queue: 'Livechat',
            State: 'new',
            StateType: 'new',
            Priority: '3 normal',
            CustomerUserID: 'visitor1',
            CustomerID: 'cliente',
            Owner: 'rocketchat',
            Created: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
            DynamicField: [{ Name: 'RocketChatRoomID', Value: 'room-1' }],
        });
        expect(ticket).not.toHaveProperty('Article');
    });

    test('AllArticles with ArticleLimit and ArticleOrder', async () => {
        const id = await ticketWithArticles();
        const subjects = async (query: string) => ((await get(id, query)).data.Ticket[0].Article as Array<{ Subject: string }>).map((a) => a.Subject);
        expect(await subjects('AllArticles=1')).toEqual(['room-1', 'part 2', 'part 3']);
        expect(await subjects('AllArticles=1&ArticleLimit=1')).toEqual(['room-1']);
        expect(await subjects('AllArticles=1&ArticleLimit=2&ArticleOrder=DESC')).toEqual(['part 3', 'part 2']);
        // Znuny reverses only to cut: DESC without ArticleLimit keeps the ascending order.
        expect(await subjects('AllArticles=1&ArticleOrder=DESC')).toEqual(['room-1', 'part 2', 'part 3']);
        const [first] = (await get(id, 'AllArticles=1&ArticleLimit=1')).data.Ticket[0].Article;
        expect(first).toMatchObject({
            ArticleID: expect.any(Number),
            Subject: 'room-1',
            Body: 'Visitor: hello',
            From: '"Visitor One" <visitor1@cliente.com.br>',
            SenderType: 'agent',
            CommunicationChannelID: 3,
            IsVisibleForCustomer: 0,
            ContentType: 'text/plain; charset=utf8',
            CreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        });
    });

    test('an unknown id: TicketGet.NotValidTicketID; a malformed one: WrongStructure', async () => {
        const res = await get('4242', 'AllArticles=1');
        expect(res.status).toBe(200);
        expect(res.data.Error.ErrorCode).toBe('TicketGet.NotValidTicketID');
        expect((await get('abc', '')).data.Error).toEqual({ ErrorCode: 'TicketGet.WrongStructure', ErrorMessage: 'TicketGet: Invalid ticket ID parameter(s) found!' });
    });

    test('GET /TicketList?TicketID=a&TicketID=b returns both', async () => {
        const a = await createTicket();
        const b = await createTicket();
        const res = await ws('GET', `/TicketList?UserLogin=rocketchat&Password=${PASSWORD}&TicketID=${a.TicketID}&TicketID=${b.TicketID}`);
        expect(res.data.Ticket.map((t: { TicketID: number }) => t.TicketID)).toEqual([Number(a.TicketID), Number(b.TicketID)]);
    });

    test('a ticket in a queue the agent may not read: TicketGet.AccessDenied', async () => {
        const { TicketID } = await createTicket();
        otrs.configure({ users: [{ login: 'rocketchat', password: PASSWORD, rwQueues: [] }] });
        expect((await get(TicketID, '')).data.Error).toEqual({ ErrorCode: 'TicketGet.AccessDenied', ErrorMessage: 'TicketGet: User does not have access to the ticket!' });
    });
});

describe('fault injection', () => {
    const setFault = (data: unknown) => request({ method: 'POST', url: '/_faults', data });

    test('down: the connection is reset, and the call is still recorded', async () => {
        expect((await setFault({ mode: 'down' })).data).toEqual({ mode: 'down', remaining: null });
        const err = await failureOf(axios.post(`${origin}/fakes/otrs${WS}/Ticket`, createBody(), { httpAgent: agent, proxy: false }));
        expect(isConnectionDrop(err)).toBe(true);
        expect(otrs.calls()[0]).toMatchObject({ method: 'POST', operation: 'TicketCreate', status: null, fault: 'down' });
        expect(otrs.inspect().tickets).toEqual([]);
    });

    test('status500: 500 text/plain', async () => {
        await setFault({ mode: 'status500' });
        const res = await ws('POST', '/Ticket', createBody());
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(otrs.inspect().tickets).toEqual([]);
    });

    test('timeout: no answer until the client gives up; _reset releases held sockets', async () => {
        await setFault({ mode: 'timeout' });
        const err = await failureOf(axios.post(`${origin}/fakes/otrs${WS}/Ticket`, createBody(), { timeout: 300, httpAgent: agent, proxy: false }));
        expect(err.code).toBe('ECONNABORTED');
        await waitFor(() => otrs.faults.heldSocketCount() === 0);

        const pending = failureOf(axios.post(`${origin}/fakes/otrs${WS}/Ticket`, createBody(), { timeout: 10_000, httpAgent: agent, proxy: false }));
        await waitFor(() => otrs.faults.heldSocketCount() === 1);
        await request({ method: 'POST', url: '/_reset' });
        expect(isConnectionDrop(await pending)).toBe(true);
    });

    test('error200: HTTP 200 with an OTRS business error (the AuthFail shape), nothing created', async () => {
        await setFault({ mode: 'error200', count: 1 });
        const res = await ws('POST', '/Ticket', createBody());
        expect(res.status).toBe(200);
        expect(res.data).toEqual({ Error: { ErrorCode: 'TicketCreate.AuthFail', ErrorMessage: 'TicketCreate: User could not be authenticated!' } });
        expect(otrs.inspect().tickets).toEqual([]);
        // count 1: the next call goes through
        expect((await ws('POST', '/Ticket', createBody())).data.TicketID).toEqual(expect.any(String));
        expect(otrs.calls().map((call) => call.fault)).toEqual(['error200', null]);
    });

    test('control routes keep working during a fault and need no auth', async () => {
        await setFault({ mode: 'down' });
        expect((await request({ method: 'GET', url: '/_inspect' })).status).toBe(200);
        expect((await request({ method: 'GET', url: '/_config' })).status).toBe(200);
        expect((await request({ method: 'POST', url: '/_config', data: { version: 7 } })).status).toBe(200);
        expect((await setFault({ mode: 'ok' })).data).toEqual({ mode: 'ok', remaining: null });
        expect((await ws('POST', '/Session', AUTH)).status).toBe(200);
    });

    test('an invalid fault spec: 400', async () => {
        expect((await setFault({ mode: 'broken' })).status).toBe(400);
        expect((await setFault('{"mode": ')).status).toBe(400);
    });
});

describe('_inspect, _config and _reset', () => {
    test('every call is recorded and no password is ever shown', async () => {
        const { SessionID } = (await ws('POST', '/Session', AUTH)).data;
        await ws('POST', '/Ticket', createBody());
        await ws('GET', `/Ticket?UserLogin=rocketchat&Password=${PASSWORD}`);
        await ws('GET', '/Ticket', undefined, { 'X-OTRS-Header-UserLogin': 'rocketchat', 'X-OTRS-Header-Password': PASSWORD });
        await ws('POST', '/Session', `UserLogin=rocketchat&Password=${PASSWORD}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
        await ws('POST', '/Session', { UserLogin: 'rocketchat', Password: 'a-wrong-one' });
        await ws('POST', '/Session', { CustomerUserLogin: 'visitor1', Password: 'visitor1-password' });

        const res = await request({ method: 'GET', url: '/_inspect' });
        const text = JSON.stringify(res.data);
        for (const secret of [PASSWORD, 'a-wrong-one', 'visitor1-password']) expect(text).not.toContain(secret);
        const calls = res.data.calls as Array<Record<string, any>>;
        expect(calls.map((call) => [call.operation, call.status])).toEqual([
            ['SessionCreate', 200],
            ['TicketCreate', 200],
            ['TicketSearch', 200],
            ['TicketSearch', 200],
            ['SessionCreate', 500],
            ['SessionCreate', 200],
            ['SessionCreate', 200],
        ]);
        expect(calls[0]).toMatchObject({ method: 'POST', path: `${WS}/Session`, body: { UserLogin: 'rocketchat', Password: '***' }, contentType: 'application/json; charset=UTF-8' });
        expect(calls[1].body.Ticket.Queue).toBe('Livechat');
        expect(calls[2].query).toEqual({ UserLogin: 'rocketchat', Password: '***' });
        expect(calls[3].headers['x-otrs-header-password']).toBe('***');
        expect(new Date(calls[0].at).toString()).not.toBe('Invalid Date');
        expect(res.data.sessions).toBe(2);
        expect(SessionID).toEqual(expect.any(String));
    });

    test('_config validates its input', async () => {
        for (const data of [{ version: 4 }, { database: 'oracle' }, { queues: 'Raw' }, { users: [{ login: 'x' }] }, { nope: 1 }, '{"version": ']) {
            const res = await request({ method: 'POST', url: '/_config', data });
            expect(res.status).toBe(400);
            expect(typeof res.data.error).toBe('string');
        }
        expect(() => otrs.configure({ version: 9 as 7 })).toThrow(OtrsConfigError);
        const shown = await request({ method: 'GET', url: '/_config' });
        expect(shown.data).toMatchObject({ version: 7, database: 'mysql', queues: expect.arrayContaining(['Livechat']) });
        expect(JSON.stringify(shown.data)).not.toContain(PASSWORD);
    });

    test('_config changes queues, priorities, dynamic fields and customers', async () => {
        const res = await request({
            method: 'POST',
            url: '/_config',
            data: { queues: ['Atendimento'], priorities: ['normal'], dynamicFields: ['Room'], customerUsers: ['cliente7'] },
        });
        expect(res.status).toBe(200);
        const created = await ws('POST', '/Ticket', createBody({ Queue: 'Atendimento', Priority: 'normal', CustomerUser: 'cliente7' }, {}, { DynamicField: { Name: 'Room', Value: 'r' } }));
        expect(created.data.TicketID).toEqual(expect.any(String));
        expect((await ws('POST', '/Ticket', createBody())).data.Error.ErrorCode).toBe('TicketCreate.InvalidParameter');
    });

    test('_reset forgets tickets, sessions, calls and the setup', async () => {
        otrs.configure({ version: 5 });
        await ws('POST', '/Session', AUTH);
        await createTicket();
        expect((await request({ method: 'POST', url: '/_reset' })).data).toEqual({ status: 'reset' });
        expect(otrs.inspect()).toEqual({ calls: [], tickets: [], sessions: 0 });
        expect((await request({ method: 'GET', url: '/_config' })).data.version).toBe(7);
    });
});
