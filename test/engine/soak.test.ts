/*
 * Soak: 1,000 Livechat rooms close while the helpdesk (the OTRS fake) is down, then it recovers.
 * Every room must be delivered exactly once: exactly 1,000 tickets in the fake, one per room, and
 * every delivery record done. Backoff 1 s and the highest attempt limit, so nothing dead-letters
 * while the rooms are being closed; after recovery the test fast-forwards the scheduler (the real
 * drain rate, without fast-forwarding, is what bench/drain.ts measures). Prints what it measures.
 */
import { Sandbox, startSandbox } from './harness';
import { DeliveryData, deliveries, inspect, mapLimit, OtrsInspection, runJobs, setFault, settings } from './faultHelpers';

const ROOMS = 1000;
const CONCURRENCY = 16;

let sb: Sandbox;

beforeAll(async () => {
    sb = await startSandbox();
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza' });
    await settings(sb, { helpdesk: 'otrs', delivery_backoff_seconds: 1, delivery_max_attempts: 100 });
});

afterAll(async () => {
    await sb?.stop();
});

async function post(path: string, body: unknown): Promise<any> {
    const response = await sb.sim('post', path, body);
    if (response.status < 200 || response.status > 299) throw new Error(`POST /sim${path} answered ${response.status}: ${JSON.stringify(response.data)}`);
    return response.data;
}

async function helpdeskRecords(keys: Set<string>): Promise<DeliveryData[]> {
    return (await deliveries(sb)).filter((d) => keys.has(d.key));
}

it(`${ROOMS} rooms closed while the helpdesk is down are each delivered exactly once after it recovers`, async () => {
    const started = Date.now();
    await setFault(sb, 'otrs', 'down');
    const run = Date.now().toString(36);

    const rooms = await mapLimit(Array.from({ length: ROOMS }, (_, i) => i), CONCURRENCY, async (i) => {
        const token = `soak-${run}-${i}`;
        const { roomId } = await post('/rooms', { visitor: { token, name: `Visitante ${i}`, email: `soak.${run}.${i}@cliente.com.br` } });
        await post(`/rooms/${roomId}/messages`, { from: 'visitor', text: `Mensagem do visitante ${i}` });
        await post(`/rooms/${roomId}/close`, { by: 'agent', comment: 'Resolvido' });
        return roomId as string;
    });
    const closedAt = Date.now();
    process.stderr.write(`soak: ${ROOMS} rooms closed in ${Date.now() - started} ms\n`);
    expect(new Set(rooms).size).toBe(ROOMS);
    const keys = new Set(rooms.map((roomId) => `helpdesk:${roomId}`));

    // Every delivery queued and failed at least once against the dead helpdesk (in real time, no fast-forward).
    // Polled once a second: each look at the persistence costs the sandbox a serialisation of every record.
    let failed: DeliveryData[] = [];
    for (const deadline = Date.now() + 150000; ;) {
        failed = await helpdeskRecords(keys);
        if (failed.length === ROOMS && failed.every((d) => d.status === 'pending' && d.attempt >= 1)) break;
        if (Date.now() > deadline) throw new Error(`only ${failed.filter((d) => d.attempt >= 1).length} of ${ROOMS} deliveries failed at least once within 150 s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const allFailedAt = Date.now();
    process.stderr.write(`soak: every delivery failed at least once after ${Date.now() - started} ms\n`);
    const attemptsWhileDown = failed.reduce((sum, d) => sum + d.attempt, 0);
    const maxAttemptWhileDown = Math.max(...failed.map((d) => d.attempt));
    const before = await inspect<OtrsInspection>(sb, 'otrs');
    expect(before.tickets.length).toBe(0);

    // Recovery: the helpdesk answers again; the scheduler is fast-forwarded until the backlog is drained.
    await setFault(sb, 'otrs', 'ok');
    const recoveredAt = Date.now();
    let records: DeliveryData[] = [];
    let jobRuns = 0;
    const deadline = recoveredAt + 180000;
    for (;;) {
        jobRuns += await runJobs(sb, 6 * 3600 * 1000, 170000);
        records = await helpdeskRecords(keys);
        if (records.every((d) => d.status !== 'pending')) break;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const drainedAt = Date.now();

    const otrs = await inspect<OtrsInspection>(sb, 'otrs');
    const ticketsByRoom = new Map<string, number>();
    for (const ticket of otrs.tickets) {
        const subject = ticket.articles[0]?.Subject ?? '';
        const roomId = rooms.find((r) => subject.includes(r));
        if (roomId) ticketsByRoom.set(roomId, (ticketsByRoom.get(roomId) ?? 0) + 1);
    }
    const duplicated = [...ticketsByRoom.entries()].filter(([, n]) => n > 1);
    const missing = rooms.filter((roomId) => !ticketsByRoom.has(roomId));
    const notDone = records.filter((d) => d.status !== 'done');
    const recordsPerKey = new Map<string, number>();
    for (const d of await deliveries(sb)) recordsPerKey.set(d.key, (recordsPerKey.get(d.key) ?? 0) + 1);

    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log([
        `soak: ${ROOMS} rooms closed at concurrency ${CONCURRENCY} while OTRS was down`,
        `  closing the rooms:               ${seconds(closedAt - started)} s`,
        `  until every delivery had failed: ${seconds(allFailedAt - started)} s (${attemptsWhileDown} failed attempts, up to ${maxAttemptWhileDown} per delivery)`,
        `  drain after recovery:            ${seconds(drainedAt - recoveredAt)} s fast-forwarded (${jobRuns} job runs, ${(ROOMS / ((drainedAt - recoveredAt) / 1000)).toFixed(1)} deliveries/s)`,
        `  total:                           ${seconds(drainedAt - started)} s`,
        `  tickets in OTRS: ${otrs.tickets.length}; rooms with one ticket: ${ticketsByRoom.size - duplicated.length}; duplicated: ${duplicated.length}; missing: ${missing.length}; deliveries not done: ${notDone.length}`,
    ].join('\n'));

    expect(notDone.map((d) => `${d.key} ${d.status} ${d.attempt} ${d.lastError ?? ''}`)).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(missing).toEqual([]);
    expect(otrs.tickets.length).toBe(ROOMS);
    expect([...keys].filter((key) => recordsPerKey.get(key) !== 1)).toEqual([]);
    expect(otrs.tickets.filter((t) => t.articles.length !== 1).map((t) => t.TicketNumber)).toEqual([]);
}, 300000);
