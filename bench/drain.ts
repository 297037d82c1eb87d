/*
 * Backlog drain after a helpdesk outage, in real time (the scheduler is never fast-forwarded):
 * 1,000 Livechat rooms close while the OTRS fake is down (backoff 1 s, so every delivery has failed
 * at least once and waits out a backoff; the highest attempt limit, so none dead-letters); then the
 * fake answers again, instantly, and the clock starts. Measured: time from recovery to the first and
 * to the last ticket in the fake, deliveries per second, and app persistence records per delivery
 * once the backlog is drained.
 * Expected (informational, never asserted): at least 50 deliveries/s, at most 2 records a delivery.
 * A broken run (a ticket lost or written twice, a delivery not done) throws.
 *
 * The ticket count is polled through the fake's own TicketSearch (a few bytes per poll) rather than
 * its `_inspect` (every ticket with its transcript), so that polling does not slow the sandbox.
 */
import axios, { AxiosInstance } from 'axios';
import http from 'http';
import { startSandboxProcess } from './sandboxProcess';

export interface DrainBenchRow {
    deliveries: number;
    /** Closing the rooms (16 at a time) while the helpdesk was down. */
    queueSeconds: number;
    /** From the first close until every delivery had failed at least once. */
    allFailedSeconds: number;
    /** Failed attempts per delivery before recovery (mean and max). */
    attemptsBeforeRecoveryMean: number;
    attemptsBeforeRecoveryMax: number;
    /** Longest wait still ahead of a delivery when the helpdesk recovered (its backoff). */
    longestBackoffAtRecoverySeconds: number;
    firstTicketSeconds: number;
    lastTicketSeconds: number;
    deliveriesPerSecond: number;
    /** Every record the app holds once the backlog is drained, divided by the deliveries. */
    recordsPerDelivery: number;
    /** The same without the records the app held before any room closed. */
    addedRecordsPerDelivery: number;
    recordsBefore: number;
    recordsAfter: number;
}

const ROOMS = 1000;
const CONCURRENCY = 16;
const OTRS_PATH = '/fakes/otrs/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST';
/** The sandbox's OTRS fake agent (sandbox/fakes/otrs/config.ts), as the sandbox configures the app. */
const OTRS_AUTH = { 'X-OTRS-Header-UserLogin': 'rocketchat', 'X-OTRS-Header-Password': 'otrs-password' };
const QUEUE_DEADLINE_MS = 5 * 60 * 1000;
const DRAIN_DEADLINE_MS = 10 * 60 * 1000;

interface StoredRecord { data: { key?: string; kind?: string; status?: string; attempt?: number; nextAttemptAt?: string } }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

async function ok<T = any>(request: Promise<{ status: number; data: T }>, what: string): Promise<T> {
    const response = await request;
    if (response.status < 200 || response.status > 299) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.data).slice(0, 300)}`);
    return response.data;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    }));
    return results;
}

async function records(client: AxiosInstance): Promise<StoredRecord[]> {
    return ok(client.get('/sim/persistence'), 'GET /sim/persistence');
}

async function ticketCount(client: AxiosInstance): Promise<number> {
    const answer = await ok<{ TicketID?: unknown[]; Error?: unknown }>(client.get(`${OTRS_PATH}/Ticket`, { params: { Limit: 100000 }, headers: OTRS_AUTH }), 'OTRS TicketSearch');
    if (answer.Error) throw new Error(`OTRS TicketSearch answered an error: ${JSON.stringify(answer.Error)}`);
    return (answer.TicketID ?? []).length;
}

export async function runDrainBench(secret: string, log: (line: string) => void = () => undefined): Promise<DrainBenchRow[]> {
    const sandbox = await startSandboxProcess(secret);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
    try {
        const client = axios.create({ baseURL: sandbox.url, httpAgent: agent, validateStatus: () => true, timeout: 60000, proxy: false });
        await ok(client.post('/sim/agents', { username: 'bench-drain-agent' }), 'POST /sim/agents');
        await ok(client.put('/sim/settings', { helpdesk: 'otrs', delivery_backoff_seconds: 1, delivery_max_attempts: 100 }), 'PUT /sim/settings');
        const recordsBefore = (await records(client)).length;
        await ok(client.post('/fakes/otrs/_faults', { mode: 'down' }), 'OTRS fault down');

        // Queue: every room closes while the helpdesk is down.
        const run = Date.now().toString(36);
        const queueStart = Date.now();
        const rooms = await mapLimit(Array.from({ length: ROOMS }, (_, i) => i), CONCURRENCY, async (i) => {
            const { roomId } = await ok(client.post('/sim/rooms', { visitor: { token: `drain-${run}-${i}`, name: `Visitante ${i}`, email: `drain.${run}.${i}@cliente.com.br` } }), 'POST /sim/rooms');
            await ok(client.post(`/sim/rooms/${roomId}/messages`, { from: 'visitor', text: `Preciso de ajuda com o pedido ${i}` }), 'visitor message');
            await ok(client.post(`/sim/rooms/${roomId}/close`, { by: 'agent', comment: 'Resolvido' }), 'close');
            return roomId as string;
        });
        const queueSeconds = (Date.now() - queueStart) / 1000;
        log(`  ${ROOMS} rooms closed in ${queueSeconds.toFixed(1)} s`);
        const keys = new Set(rooms.map((roomId) => `helpdesk:${roomId}`));
        const deliveriesOf = async () => (await records(client)).map((r) => r.data).filter((d) => d && typeof d.key === 'string' && keys.has(d.key) && typeof d.attempt === 'number');

        // Every delivery has failed at least once (polled once a second: each look serialises every record).
        let waiting = await deliveriesOf();
        while (!(waiting.length === ROOMS && waiting.every((d) => d.status === 'pending' && (d.attempt ?? 0) >= 1))) {
            if (Date.now() - queueStart > QUEUE_DEADLINE_MS) {
                throw new Error(`only ${waiting.filter((d) => (d.attempt ?? 0) >= 1).length} of ${ROOMS} deliveries had failed once after ${QUEUE_DEADLINE_MS / 1000} s (${waiting.filter((d) => d.status !== 'pending').length} not pending)`);
            }
            await sleep(1000);
            waiting = await deliveriesOf();
        }
        const allFailedSeconds = (Date.now() - queueStart) / 1000;
        const attempts = waiting.map((d) => d.attempt ?? 0);

        // Recovery: the fake answers instantly again; the clock runs until the last ticket arrives.
        await ok(client.post('/fakes/otrs/_faults', { mode: 'ok' }), 'OTRS fault ok');
        const t0 = Date.now();
        const longestBackoff = Math.max(...waiting.map((d) => Date.parse(d.nextAttemptAt ?? '') - t0).filter(Number.isFinite));
        log(`  every delivery failed at least once after ${allFailedSeconds.toFixed(1)} s; recovery`);
        let first: number | undefined;
        let count = 0;
        for (;;) {
            count = await ticketCount(client);
            if (count > 0 && first === undefined) first = Date.now();
            if (count >= ROOMS) break;
            if (Date.now() - t0 > DRAIN_DEADLINE_MS) throw new Error(`lost deliveries: ${count} of ${ROOMS} tickets ${DRAIN_DEADLINE_MS / 1000} s after recovery`);
            await sleep(count === 0 ? 20 : 100);
        }
        const t1 = Date.now();
        log(`  ${count} tickets ${((t1 - t0) / 1000).toFixed(1)} s after recovery`);

        // Settled: every delivery record done (the ticket can arrive just before its record is saved).
        let after: StoredRecord[] = [];
        for (const settleStart = Date.now(); ;) {
            after = await records(client);
            const mine = after.map((r) => r.data).filter((d) => d && typeof d.key === 'string' && keys.has(d.key) && typeof d.attempt === 'number');
            if (mine.length === ROOMS && mine.every((d) => d.status === 'done')) break;
            if (Date.now() - settleStart > 60000) {
                throw new Error(`${mine.filter((d) => d.status !== 'done').length} deliveries not done 60 s after the last ticket arrived`);
            }
            await sleep(250);
        }
        await sleep(1500); // a late duplicate would show up now
        const inspection = await ok<{ tickets: Array<{ articles: Array<{ Subject: string }> }> }>(client.get('/fakes/otrs/_inspect'), 'OTRS _inspect');
        const perRoom = new Map<string, number>();
        for (const ticket of inspection.tickets) {
            const subject = ticket.articles[0]?.Subject ?? '';
            const roomId = rooms.find((r) => subject.includes(r));
            if (roomId) perRoom.set(roomId, (perRoom.get(roomId) ?? 0) + 1);
        }
        const duplicated = [...perRoom.values()].filter((n) => n > 1).length;
        const lost = rooms.filter((r) => !perRoom.has(r)).length;
        if (inspection.tickets.length !== ROOMS || duplicated || lost) {
            throw new Error(`broken run: ${inspection.tickets.length} tickets for ${ROOMS} rooms, ${duplicated} rooms with more than one, ${lost} rooms without`);
        }

        return [{
            deliveries: ROOMS,
            queueSeconds: round(queueSeconds, 1),
            allFailedSeconds: round(allFailedSeconds, 1),
            attemptsBeforeRecoveryMean: round(attempts.reduce((a, b) => a + b, 0) / attempts.length, 2),
            attemptsBeforeRecoveryMax: Math.max(...attempts),
            longestBackoffAtRecoverySeconds: round(Math.max(0, longestBackoff) / 1000, 1),
            firstTicketSeconds: round(((first ?? t1) - t0) / 1000, 2),
            lastTicketSeconds: round((t1 - t0) / 1000, 2),
            deliveriesPerSecond: round(ROOMS / ((t1 - t0) / 1000), 1),
            recordsPerDelivery: round(after.length / ROOMS, 3),
            addedRecordsPerDelivery: round((after.length - recordsBefore) / ROOMS, 3),
            recordsBefore,
            recordsAfter: after.length,
        }];
    } finally {
        agent.destroy();
        await sandbox.stop();
    }
}

/** `node build/bench/drain.js`: this benchmark alone (npm run bench runs it with the others). */
if (require.main === module) {
    runDrainBench('bench-secret-drain-7Hq2', (line) => console.log(line)).then((rows) => {
        console.log(JSON.stringify(rows, null, 2));
    }, (error) => {
        console.error(error instanceof Error ? error.stack : String(error));
        process.exitCode = 1;
    });
}
