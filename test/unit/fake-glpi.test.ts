/**
 * The sandbox's fake GLPI legacy API (sandbox/fakes/glpi.ts) over real HTTP on 127.0.0.1:
 * sessions, users, tickets, follow-ups, version quirks, faults and what `_inspect` shows.
 */
import http from 'http';
import { once } from 'events';
import type { AddressInfo } from 'net';
import express from 'express';
import axios, { AxiosError, AxiosRequestConfig, AxiosResponse } from 'axios';
import { createGlpiFake, GlpiFake, GLPI_DEFAULT_USER_TOKEN, parseGlpiConfig } from '../../sandbox/fakes/glpi';

let glpi: GlpiFake;
let server: http.Server;
let origin: string;
let api: string;
const agent = new http.Agent({ keepAlive: false });

function request(config: AxiosRequestConfig): Promise<AxiosResponse> {
    return axios.request({
        validateStatus: () => true,
        httpAgent: agent,
        proxy: false,
        ...config,
        headers: { 'Content-Type': 'application/json', ...config.headers },
    });
}

const control = (path: string, data?: unknown) => request({ method: 'POST', url: `${origin}/fakes/glpi${path}`, data });
const inspect = async () => (await request({ method: 'GET', url: `${origin}/fakes/glpi/_inspect` })).data;

async function login(headers: Record<string, string> = {}): Promise<string> {
    const res = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `user_token ${GLPI_DEFAULT_USER_TOKEN}`, ...headers } });
    expect(res.status).toBe(200);
    return res.data.session_token as string;
}

function call(session: string, method: string, path: string, data?: unknown, headers: Record<string, string> = {}): Promise<AxiosResponse> {
    return request({ method, url: `${api}/${path}`, data, headers: { 'Session-Token': session, ...headers } });
}

async function failureOf(promise: Promise<unknown>): Promise<AxiosError> {
    try {
        await promise;
    } catch (err) {
        return err as AxiosError;
    }
    throw new Error('expected the request to fail');
}

beforeAll(async () => {
    glpi = createGlpiFake();
    const app = express();
    app.use('/fakes/glpi', glpi.router);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = `${origin}/fakes/glpi/apirest.php`;
});

beforeEach(() => {
    glpi.reset();
});

afterAll(async () => {
    glpi.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
});

describe('sessions', () => {
    test('initSession with the user token gives a session token; killSession ends it', async () => {
        const token = await login();
        expect(token).toMatch(/^[0-9a-f]{26}$/);
        const cfg = await call(token, 'GET', 'getGlpiConfig');
        expect(cfg.status).toBe(200);
        expect(cfg.data.cfg_glpi.version).toBe('10.0.15');
        expect((await call(token, 'GET', 'killSession')).status).toBe(200);
        const after = await call(token, 'GET', 'getGlpiConfig');
        expect(after.status).toBe(401);
        expect(after.data).toEqual(['ERROR_SESSION_TOKEN_INVALID', 'session_token seems invalid']);
    });

    test('a wrong token, a missing one and a double space are refused as GLPI does', async () => {
        const wrong = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: 'user_token nope' } });
        expect(wrong.status).toBe(401);
        expect(wrong.data).toEqual(['ERROR_GLPI_LOGIN_USER_TOKEN', 'parameter user_token seems invalid']);
        const missing = await request({ method: 'GET', url: `${api}/initSession` });
        expect(missing.status).toBe(400);
        expect(missing.data[0]).toBe('ERROR_LOGIN_PARAMETERS_MISSING');
        expect(missing.data[1]).toMatch(/^parameter\(s\) login, password or user_token are missing; view documentation/);
        const twoSpaces = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `user_token  ${GLPI_DEFAULT_USER_TOKEN}` } });
        expect(twoSpaces.status).toBe(400);
        expect(twoSpaces.data[0]).toBe('ERROR_LOGIN_PARAMETERS_MISSING');
        const basic = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `Basic ${Buffer.from('glpi:glpi').toString('base64')}` } });
        expect(basic.status).toBe(200);
        const badBasic = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `Basic ${Buffer.from('glpi:x').toString('base64')}` } });
        expect(badBasic.status).toBe(401);
        expect(badBasic.data[0]).toBe('ERROR_GLPI_LOGIN');
    });

    test('an App-Token is checked when configured', async () => {
        await control('/_config', { appToken: 'app-secret' });
        const none = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `user_token ${GLPI_DEFAULT_USER_TOKEN}` } });
        expect(none.status).toBe(400);
        expect(none.data[0]).toBe('ERROR_APP_TOKEN_PARAMETERS_MISSING');
        const wrong = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `user_token ${GLPI_DEFAULT_USER_TOKEN}`, 'App-Token': 'x' } });
        expect(wrong.status).toBe(400);
        expect(wrong.data[0]).toBe('ERROR_WRONG_APP_TOKEN_PARAMETER');
        const token = await login({ 'App-Token': 'app-secret' });
        expect((await call(token, 'GET', 'Ticket/1')).data[0]).toBe('ERROR_APP_TOKEN_PARAMETERS_MISSING');
        expect((await call(token, 'GET', 'getGlpiConfig', undefined, { 'App-Token': 'app-secret' })).status).toBe(200);
    });

    test('expired sessions get ERROR_SESSION_TOKEN_INVALID, then a new initSession works', async () => {
        const token = await login();
        await control('/_config', { expireSessions: true });
        const res = await call(token, 'GET', 'Ticket/1');
        expect(res.status).toBe(401);
        expect(res.data).toEqual(['ERROR_SESSION_TOKEN_INVALID', 'session_token seems invalid']);
        const fresh = await login();
        expect(fresh).not.toBe(token);
        expect((await call(fresh, 'GET', 'getGlpiConfig')).status).toBe(200);
        const missing = await request({ method: 'GET', url: `${api}/getGlpiConfig` });
        expect(missing.status).toBe(400);
        expect(missing.data[0]).toBe('ERROR_SESSION_TOKEN_MISSING');
        const { sessions } = await inspect();
        expect(sessions).toEqual({ created: 2, active: 1, initSessionCalls: 2 });
    });

    test('the version is configurable', async () => {
        await control('/_config', { version: '11.0.0' });
        const token = await login();
        expect((await call(token, 'GET', 'getGlpiConfig')).data.cfg_glpi.version).toBe('11.0.0');
        expect((await control('/_config', { version: '12' })).status).toBe(400);
    });
});

describe('users', () => {
    const PHONE_SEARCH = (tail: string) =>
        `search/User?criteria[0][field]=6&criteria[0][searchtype]=contains&criteria[0][value]=${tail}` +
        `&criteria[1][link]=OR&criteria[1][field]=11&criteria[1][searchtype]=contains&criteria[1][value]=${tail}` +
        `&criteria[2][link]=OR&criteria[2][field]=10&criteria[2][searchtype]=contains&criteria[2][value]=${tail}` +
        '&forcedisplay[0]=2&forcedisplay[1]=80';

    test('find a user by a tail of phone digits (raw LIKE: formatting matters) and by e-mail', async () => {
        const token = await login();
        const hit = await call(token, 'GET', PHONE_SEARCH('0000'));
        expect(hit.status).toBe(200);
        expect(hit.data).toMatchObject({ totalcount: 1, count: 1, 'content-range': '0-0/1' });
        expect(hit.data.data[0]).toMatchObject({ '1': 'maria.silva', '2': 7, '6': '+55 (11) 99999-0000', '80': 'Root entity > Cliente Exemplo' });
        const formatted = await call(token, 'GET', PHONE_SEARCH('99990000'));
        expect(formatted.status).toBe(200);
        expect(formatted.data.totalcount).toBe(0);
        expect(formatted.data).not.toHaveProperty('data');

        const byMail = await call(token, 'GET', 'search/User?criteria[0][field]=5&criteria[0][searchtype]=contains&criteria[0][value]=^MARIA@cliente.com.br$&forcedisplay[0]=2');
        expect(byMail.data.data).toEqual([{ '1': 'maria.silva', '2': 7, '5': 'maria@cliente.com.br' }]);
        const emailRows = await call(token, 'GET', 'UserEmail?searchText[email]=maria@cliente');
        expect(emailRows.data).toEqual([{ id: expect.any(Number), users_id: 7, email: 'maria@cliente.com.br', is_default: 1, is_dynamic: 0 }]);
        const byPhone = await call(token, 'GET', 'User?searchText[phone]=99999-0000');
        expect(byPhone.data.map((u: { id: number }) => u.id)).toEqual([7]);
        const user = await call(token, 'GET', 'User/7');
        expect(user.data).toMatchObject({ id: 7, name: 'maria.silva', entities_id: 1, phone: '+55 (11) 99999-0000' });
        expect(user.data.password).toBe('');
    });

    test('create a user (201 + Location) and link an e-mail', async () => {
        const token = await login();
        const res = await call(token, 'POST', 'User', {
            input: { name: 'wa_5511988887777', realname: 'Pereira', firstname: 'Ana', mobile: '+5511988887777', entities_id: 1, _useremails: ['ana@cliente.com.br'] },
        });
        expect(res.status).toBe(201);
        expect(res.data).toEqual({ id: expect.any(Number), message: '' });
        expect(res.headers.location).toBe(`${api}/User/${res.data.id}`);
        const mail = await call(token, 'POST', 'UserEmail', { input: { users_id: res.data.id, email: 'ana2@cliente.com.br', is_default: 1 } });
        expect(mail.status).toBe(201);
        expect(mail.headers.location).toBe(`${api}/UserEmail/${mail.data.id}`);
        const dup = await call(token, 'POST', 'User', { input: { name: 'wa_5511988887777' } });
        expect(dup.status).toBe(400);
        expect(dup.data).toEqual(['ERROR_GLPI_ADD', 'Unable to add. The user already exists.']);
        const { users } = await inspect();
        expect(users.find((u: { id: number }) => u.id === res.data.id)).toMatchObject({
            name: 'wa_5511988887777',
            entities_id: 1,
            email: 'ana2@cliente.com.br',
            emails: ['ana2@cliente.com.br', 'ana@cliente.com.br'],
        });
    });

    test('partial lists answer 206 with Content-Range', async () => {
        const token = await login();
        const res = await call(token, 'GET', 'User?range=0-0');
        expect(res.status).toBe(206);
        expect(res.headers['content-range']).toBe('0-0/3');
        expect(res.headers['accept-range']).toBe('User 1000');
        const search = await call(token, 'GET', 'search/User?range=1-1&forcedisplay[0]=2');
        expect(search.status).toBe(206);
        expect(search.data).toMatchObject({ totalcount: 3, count: 1, 'content-range': '1-1/3' });
        expect((await call(token, 'GET', 'User?range=5-9')).data[0]).toBe('ERROR_RANGE_EXCEED_TOTAL');
    });

    test('self-service rights get 403 ERROR_RIGHT_MISSING on users', async () => {
        await control('/_config', { userTokens: [{ token: 'self', userId: 7, rights: 'self-service' }] });
        const res = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: 'user_token self' } });
        const users = await call(res.data.session_token, 'GET', 'search/User');
        expect(users.status).toBe(403);
        expect(users.data).toEqual(['ERROR_RIGHT_MISSING', "You don't have permission to perform this action."]);
    });
});

describe('tickets', () => {
    const TICKET = {
        name: 'WhatsApp: printer [rc:room-42]',
        content: '<p>Hello &amp; bye</p>',
        entities_id: 1,
        type: 2,
        urgency: 4,
        requesttypes_id: 7,
        itilcategories_id: 3,
        _users_id_requester: 7,
    };

    test('create (201 + Location), read, follow up; unknown ticket is 404', async () => {
        const token = await login();
        const res = await call(token, 'POST', 'Ticket', { input: TICKET });
        expect(res.status).toBe(201);
        expect(res.data).toEqual({ id: 1, message: '' });
        expect(res.headers.location).toBe(`${api}/Ticket/1`);

        const read = await call(token, 'GET', 'Ticket/1');
        expect(read.status).toBe(200);
        expect(read.data).toMatchObject({ id: 1, status: 1, entities_id: 1, type: 2, urgency: 4, requesttypes_id: 7, itilcategories_id: 3, users_id_recipient: 2 });
        expect(read.data).not.toHaveProperty('externalid');
        expect(read.data.content).toBe('&#60;p&#62;Hello &#38;amp; bye&#60;/p&#62;');
        const decoded = await call(token, 'GET', 'Ticket/1', undefined, { 'X-GLPI-Sanitized-Content': 'false' });
        expect(decoded.data.content).toBe(TICKET.content);
        const actors = await call(token, 'GET', 'Ticket/1/Ticket_User');
        expect(actors.data).toEqual([expect.objectContaining({ tickets_id: 1, users_id: 7, type: 1 })]);

        const fu = await call(token, 'POST', 'ITILFollowup', { input: { itemtype: 'Ticket', items_id: 1, content: '<p>more</p>', is_private: 0 } });
        expect(fu.status).toBe(201);
        expect(fu.headers.location).toBe(`${api}/ITILFollowup/${fu.data.id}`);
        const sub = await call(token, 'POST', 'Ticket/1/ITILFollowup', { input: { content: 'private note', is_private: 1 } });
        expect(sub.status).toBe(201);
        const list = await call(token, 'GET', 'Ticket/1/ITILFollowup');
        expect(list.data).toHaveLength(2);

        const unknown = await call(token, 'GET', 'Ticket/99');
        expect(unknown.status).toBe(404);
        expect(unknown.data).toEqual(['ERROR_ITEM_NOT_FOUND', 'Item not found']);
        const orphan = await call(token, 'POST', 'ITILFollowup', { input: { itemtype: 'Ticket', items_id: 99, content: 'x' } });
        expect(orphan.status).toBe(400);
        expect(orphan.data).toEqual(['ERROR_GLPI_ADD', "You don't have permission to perform this action."]);
        const empty = await call(token, 'POST', 'ITILFollowup', { input: { itemtype: 'Ticket', items_id: 1, content: '' } });
        expect(empty.data).toEqual(['ERROR_GLPI_ADD', "You can't add a followup without description"]);

        const { tickets } = await inspect();
        expect(tickets).toEqual([
            {
                id: 1,
                name: TICKET.name,
                content: '&#60;p&#62;Hello &#38;amp; bye&#60;/p&#62;',
                entities_id: 1,
                type: 2,
                urgency: 4,
                requesttypes_id: 7,
                itilcategories_id: 3,
                requesters: [7],
                status: 1,
                followups: [
                    { id: 1, content: '&#60;p&#62;more&#60;/p&#62;', is_private: 0, users_id: 2 },
                    { id: 2, content: 'private note', is_private: 1, users_id: 2 },
                ],
            },
        ]);
    });

    test('a solved ticket takes a follow-up and stays solved; a closed one refuses it', async () => {
        const token = await login();
        await call(token, 'POST', 'Ticket', { input: TICKET });
        await control('/_ticketStatus', { id: 1, status: 5 });
        expect((await call(token, 'POST', 'ITILFollowup', { input: { itemtype: 'Ticket', items_id: 1, content: 'x' } })).status).toBe(201);
        expect((await call(token, 'GET', 'Ticket/1')).data.status).toBe(5);
        await control('/_ticketStatus', { id: 1, status: 6 });
        expect((await call(token, 'POST', 'ITILFollowup', { input: { itemtype: 'Ticket', items_id: 1, content: 'x' } })).data[0]).toBe('ERROR_GLPI_ADD');
    });

    test('empty-body mode answers 201 with only the Location header', async () => {
        await control('/_config', { emptyCreateBody: true });
        const token = await login();
        const res = await call(token, 'POST', 'Ticket', { input: TICKET });
        expect(res.status).toBe(201);
        expect(res.data).toBe('');
        expect(res.headers.location).toBe(`${api}/Ticket/1`);
    });

    test('ERROR_GLPI_ADD on validation, ERROR_RIGHT_MISSING (403) without rights', async () => {
        const token = await login();
        await control('/_config', { mandatoryTicketFields: ['itilcategories_id'] });
        const mandatory = await call(token, 'POST', 'Ticket', { input: { ...TICKET, itilcategories_id: 0 } });
        expect(mandatory.status).toBe(400);
        expect(mandatory.data).toEqual(['ERROR_GLPI_ADD', 'Mandatory fields are not filled. Please correct: itilcategories_id']);
        const entity = await call(token, 'POST', 'Ticket', { input: { ...TICKET, entities_id: 42 } });
        expect(entity.data).toEqual(['ERROR_GLPI_ADD', "You don't have permission to perform this action."]);
        const noInput = await call(token, 'POST', 'Ticket', { name: 'x' });
        expect(noInput.status).toBe(400);
        expect(noInput.data[0]).toBe('ERROR_BAD_ARRAY');
        await control('/_config', { rightMissing: true });
        const denied = await call(token, 'POST', 'Ticket', { input: TICKET });
        expect(denied.status).toBe(403);
        expect(denied.data).toEqual(['ERROR_RIGHT_MISSING', "You don't have permission to perform this action."]);
        expect((await inspect()).tickets).toEqual([]);
    });

    test('raw storage on GLPI 11 (and html: raw)', async () => {
        await control('/_config', { version: '11.0.0' });
        let token = await login();
        await call(token, 'POST', 'Ticket', { input: TICKET });
        await control('/_config', { version: '9.5.13' });
        token = await login();
        await call(token, 'POST', 'Ticket', { input: TICKET });
        await control('/_config', { version: '10.0.15', html: 'raw' });
        await call(token, 'POST', 'Ticket', { input: TICKET });
        const contents = (await inspect()).tickets.map((t: { content: string }) => t.content);
        expect(contents).toEqual([TICKET.content, '&lt;p&gt;Hello &amp; bye&lt;/p&gt;', TICKET.content]);
    });

    test('search by a marker in the title (206 when partial, no data key when nothing matches)', async () => {
        const token = await login();
        await call(token, 'POST', 'Ticket', { input: TICKET });
        await call(token, 'POST', 'Ticket', { input: { ...TICKET, name: 'other [rc:room-43]' } });
        await call(token, 'POST', 'Ticket', { input: { ...TICKET, name: 'third [rc:room-42] again' } });
        const q = (value: string, extra = '') =>
            `search/Ticket?criteria[0][field]=1&criteria[0][searchtype]=contains&criteria[0][value]=${encodeURIComponent(value)}&forcedisplay[0]=2&forcedisplay[1]=12${extra}`;
        const all = await call(token, 'GET', q('[rc:room-42]'));
        expect(all.status).toBe(200);
        expect(all.data).toMatchObject({ totalcount: 2, count: 2 });
        expect(all.data.data).toEqual([
            { '1': TICKET.name, '2': 1, '12': 1 },
            { '1': 'third [rc:room-42] again', '2': 3, '12': 1 },
        ]);
        const partial = await call(token, 'GET', q('[rc:room-42]', '&range=0-0'));
        expect(partial.status).toBe(206);
        expect(partial.headers['content-range']).toBe('0-0/2');
        const none = await call(token, 'GET', q('[rc:nothing]'));
        expect(none.status).toBe(200);
        expect(none.data).toMatchObject({ totalcount: 0, count: 0 });
        expect(none.data).not.toHaveProperty('data');
        const open = await call(token, 'GET', 'search/Ticket?criteria[0][field]=4&criteria[0][searchtype]=equals&criteria[0][value]=7&criteria[1][link]=AND&criteria[1][field]=12&criteria[1][searchtype]=equals&criteria[1][value]=notold&forcedisplay[0]=2');
        expect(open.data.totalcount).toBe(3);
        const ext = await call(token, 'GET', 'Ticket?searchText[externalid]=room-42');
        expect(ext.status).toBe(200);
        expect(ext.data).toBe('');
    });
});

describe('misconfigured server and faults', () => {
    test('HTML login page for the next N calls', async () => {
        await control('/_config', { htmlLoginPageCount: 1 });
        const page = await request({ method: 'GET', url: `${api}/initSession`, headers: { Authorization: `user_token ${GLPI_DEFAULT_USER_TOKEN}` } });
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
        expect(page.data).toMatch(/<html/);
        await login();
    });

    test('faults: status500, error200, down; control routes stay reachable', async () => {
        const token = await login();
        await control('/_faults', { mode: 'status500', count: 1 });
        expect((await call(token, 'GET', 'Ticket/1')).status).toBe(500);
        await control('/_faults', { mode: 'error200', count: 1 });
        const e200 = await call(token, 'GET', 'Ticket/1');
        expect(e200.status).toBe(200);
        expect(e200.data[0]).toBe('ERROR');
        await control('/_faults', { mode: 'down', count: 1 });
        const err = await failureOf(axios.get(`${api}/Ticket/1`, { httpAgent: agent, proxy: false, headers: { 'Session-Token': token } }));
        expect(err.code === 'ECONNRESET' || /socket hang up/.test(err.message)).toBe(true);
        await control('/_faults', { mode: 'lostReply', count: 1 });
        await failureOf(axios.post(`${api}/Ticket`, { input: TICKET_MIN }, { httpAgent: agent, proxy: false, headers: { 'Session-Token': token } }));
        const state = await inspect();
        expect(state.tickets).toHaveLength(1);
        expect(state.calls.map((c: { fault: string | null }) => c.fault)).toEqual([null, 'status500', 'error200', 'down', 'lostReply']);
    });

    test('_inspect never shows a token', async () => {
        await control('/_config', { appToken: 'app-secret-123' });
        const token = await login({ 'App-Token': 'app-secret-123' });
        await call(token, 'GET', 'getGlpiConfig', undefined, { 'App-Token': 'app-secret-123' });
        await request({ method: 'GET', url: `${api}/getGlpiConfig?session_token=${token}&app_token=app-secret-123` });
        const text = JSON.stringify(await inspect());
        expect(text).not.toContain(token);
        expect(text).not.toContain('app-secret-123');
        expect(text).not.toContain(GLPI_DEFAULT_USER_TOKEN);
        const { calls } = await inspect();
        expect(calls[0].headers.authorization).toBe('user_token ***');
        expect(calls[1].headers['session-token']).toBe('***');
        expect(calls[2].query.session_token).toBe('***');
        expect(calls.map((c: { status: number }) => c.status)).toEqual([200, 200, 200]);
    });

    test('config validation', () => {
        expect(() => parseGlpiConfig({ nope: 1 })).toThrow(/unknown config key/);
        expect(() => parseGlpiConfig({ appToken: '' })).toThrow();
        expect(parseGlpiConfig({ appToken: null })).toEqual({ appToken: null });
    });
});

const TICKET_MIN = { name: 'lost reply', content: '<p>x</p>' };
