/*
 * Requests sent to OTRS per closed room, counted by the sandbox's OTRS fake: rooms without
 * references (one new ticket each) and rooms naming two existing tickets (one note each).
 * Expected: exactly one request per ticket written, nothing else.
 */
import axios, { AxiosInstance } from 'axios';
import { SandboxProcess, startSandboxProcess } from './sandboxProcess';

export interface OtrsBenchRow {
    scenario: string;
    rooms: number;
    ticketsWritten: number;
    requestsPerRoom: number;
    writesPerTicketWritten: number;
    readsPerRoom: number;
    drainSeconds: number;
}

interface Call { method: string }

const ROOMS = 50;

async function closeRooms(sim: AxiosInstance, count: number, tags: string[]): Promise<string[]> {
    const rooms: string[] = [];
    for (let i = 0; i < count; i++) {
        const { data } = await sim.post('/sim/rooms', { visitor: { token: `bench-${tags.length}-${i}-${Date.now()}`, name: `Visitante ${i}`, email: `v${i}@cliente.com.br` } });
        await sim.post(`/sim/rooms/${data.roomId}/messages`, { from: 'visitor', text: 'Preciso de ajuda com meu pedido' });
        await sim.post(`/sim/rooms/${data.roomId}/messages`, { from: 'agent', text: 'Claro, já verifico.' });
        if (tags.length) await sim.patch(`/sim/rooms/${data.roomId}`, { tags });
        await sim.post(`/sim/rooms/${data.roomId}/close`, { by: 'agent', comment: 'ok' });
        rooms.push(data.roomId);
    }
    return rooms;
}

async function drain(sim: AxiosInstance, rooms: string[]): Promise<number> {
    const started = Date.now();
    const keys = new Set(rooms.map((r) => `helpdesk:${r}`));
    for (;;) {
        const records = (await sim.get('/sim/persistence')).data as Array<{ data: { key?: string; status?: string; attempt?: number } }>;
        const states = records.map((r) => r.data).filter((d) => d.key && keys.has(d.key) && d.attempt !== undefined);
        if (states.length === rooms.length && states.every((d) => d.status !== 'pending')) {
            const notDone = states.filter((d) => d.status !== 'done');
            if (notDone.length) throw new Error(`${notDone.length} OTRS deliveries did not succeed`);
            return (Date.now() - started) / 1000;
        }
        if (Date.now() - started > 120000) throw new Error('OTRS deliveries did not finish within 120 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

async function measure(sandbox: SandboxProcess, sim: AxiosInstance, scenario: string, tags: string[], ticketsPerRoom: number): Promise<OtrsBenchRow> {
    const before = ((await sim.get('/fakes/otrs/_inspect')).data.calls as Call[]).length;
    const rooms = await closeRooms(sim, ROOMS, tags);
    const drainSeconds = await drain(sim, rooms);
    const calls = ((await sim.get('/fakes/otrs/_inspect')).data.calls as Call[]).slice(before);
    const writes = calls.filter((c) => c.method !== 'GET').length;
    const reads = calls.length - writes;
    void sandbox;
    return {
        scenario,
        rooms: ROOMS,
        ticketsWritten: ROOMS * ticketsPerRoom,
        requestsPerRoom: calls.length / ROOMS,
        writesPerTicketWritten: writes / (ROOMS * ticketsPerRoom),
        readsPerRoom: reads / ROOMS,
        drainSeconds,
    };
}

export async function runOtrsBench(secret: string): Promise<OtrsBenchRow[]> {
    const sandbox = await startSandboxProcess(secret);
    try {
        const sim = axios.create({ baseURL: sandbox.url, timeout: 30000 });
        await sim.post('/sim/agents', { username: 'bench-otrs-agent' });
        const seedRooms = await closeRooms(sim, 2, []);
        await drain(sim, seedRooms);
        const tickets = ((await sim.get('/fakes/otrs/_inspect')).data.tickets as Array<{ TicketNumber: string }>).map((t) => `#${t.TicketNumber}`);
        return [
            await measure(sandbox, sim, 'closed room, no reference (new ticket)', [], 1),
            await measure(sandbox, sim, 'closed room naming 2 tickets (2 notes)', tickets.slice(0, 2), 2),
        ];
    } finally {
        await sandbox.stop();
    }
}
