/*
 * Some Rocket.Chat versions end updateByAssociations with `result.upsertedId.toString()`, which
 * throws after updating an existing record. The sandbox emulates that (SANDBOX_RC_UPSERT_QUIRK=1):
 * the app must still deliver, retry and record outcomes exactly as on a well-behaved server.
 */
import { eventually, helpdeskDeliveryWith, Sandbox, startSandbox, uuid } from './harness';

let sb: Sandbox;

beforeAll(async () => {
    sb = await startSandbox({ SANDBOX_RC_UPSERT_QUIRK: '1' });
    await sb.sim('post', '/agents', { username: 'ana' });
});

afterAll(async () => {
    await sb?.stop();
});

it('opens, closes and delivers through retries although every record update throws after writing', async () => {
    await sb.http.post('/fakes/otrs/_faults', { mode: 'status500', count: 1 });
    const ticketID = uuid();
    const opened = await sb.api('get', 'room', { ticketID, visitor: { token: 'quirk-1', name: 'Maria' } });
    expect(opened.status).toBe(201);
    // A retry of the same ticket updates nothing but must find the record written above.
    expect((await sb.api('get', 'room', { ticketID, visitor: { token: 'quirk-1' } })).data.id).toBe(opened.data.id);
    await sb.sim('post', `/rooms/${opened.data.id}/messages`, { from: 'agent', text: 'Olá' });
    expect((await sb.sim('post', `/rooms/${opened.data.id}/close`, { by: 'agent' })).status).toBe(200);

    const done = await helpdeskDeliveryWith<{ status: string; attempt: number; result?: { tickets?: unknown[] } }>(sb, opened.data.id);
    expect(done.attempt).toBe(2);
    expect(done.result!.tickets).toHaveLength(1);
    const calls = await eventually(async () => {
        const all = (await sb.http.get('/fakes/mailroom/_inspect')).data.calls as Array<{ body: { type?: string; ticketID?: string }; status: number | null }>;
        const mine = all.filter((c) => c.body.ticketID === ticketID && c.status === 200);
        return mine.length >= 2 ? mine : undefined;
    }, 10000, 'callbacks');
    expect(calls.map((c) => c.body.type).sort()).toEqual(['agent-message', 'close-room']);
    const tickets = (await sb.http.get('/fakes/otrs/_inspect')).data.tickets as Array<{ articles: Array<{ Subject: string }> }>;
    expect(tickets.filter((t) => t.articles.some((a) => a.Subject.includes(opened.data.id)))).toHaveLength(1);
});
