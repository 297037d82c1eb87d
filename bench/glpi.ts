/*
 * Requests sent to GLPI per closed room, counted by the sandbox's GLPI fake: a visitor GLPI knows
 * (found by phone), first with a cold app (no session, no cached requester), then returning.
 * Expected warm: 1 write per ticket written, 0 initSession, 0 requester searches; cold: at most
 * 1 initSession and 2 searches more.
 */
import axios, { AxiosInstance } from 'axios';
import { startSandboxProcess } from './sandboxProcess';

export interface GlpiBenchRow {
    scenario: string;
    rooms: number;
    initSessions: number;
    userSearches: number;
    otherReads: number;
    writes: number;
    writesPerTicket: number;
}

interface Call { method: string; path: string }

async function closeRoom(sim: AxiosInstance, token: string): Promise<string> {
    const { data } = await sim.post('/sim/rooms', { visitor: { token, name: 'Maria Silva', phone: '+5511999990000' } });
    await sim.post(`/sim/rooms/${data.roomId}/messages`, { from: 'visitor', text: 'Oi' });
    await sim.post(`/sim/rooms/${data.roomId}/close`, { by: 'agent', comment: 'ok' });
    return data.roomId;
}

async function drain(sim: AxiosInstance, roomIds: string[]): Promise<void> {
    const keys = new Set(roomIds.map((r) => `helpdesk:${r}`));
    const deadline = Date.now() + 60000;
    for (;;) {
        const records = (await sim.get('/sim/persistence')).data as Array<{ data: { key?: string; status?: string; attempt?: number } }>;
        const states = records.map((r) => r.data).filter((d) => d.key && keys.has(d.key) && d.attempt !== undefined);
        if (states.length === roomIds.length && states.every((d) => d.status === 'done')) return;
        if (states.some((d) => d.status === 'dead')) throw new Error('a GLPI delivery became a dead letter');
        if (Date.now() > deadline) throw new Error('GLPI deliveries did not finish within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

function row(scenario: string, rooms: number, calls: Call[]): GlpiBenchRow {
    const init = calls.filter((c) => /initSession$/.test(c.path)).length;
    const searches = calls.filter((c) => /search\/User/.test(c.path)).length;
    const writes = calls.filter((c) => c.method !== 'GET').length;
    return { scenario, rooms, initSessions: init / rooms, userSearches: searches / rooms, otherReads: (calls.length - init - searches - writes) / rooms, writes: writes / rooms, writesPerTicket: writes / rooms };
}

export async function runGlpiBench(secret: string): Promise<GlpiBenchRow[]> {
    const sandbox = await startSandboxProcess(secret);
    try {
        const sim = axios.create({ baseURL: sandbox.url, timeout: 30000 });
        await sim.post('/sim/agents', { username: 'bench-glpi-agent' });
        await sim.put('/sim/settings', { helpdesk: 'glpi' });
        const token = `bench-glpi-${Date.now()}`;
        const calls = async (): Promise<Call[]> => (await sim.get('/fakes/glpi/_inspect')).data.calls;
        const before = (await calls()).length;
        const cold = await closeRoom(sim, token);
        await drain(sim, [cold]);
        const afterCold = (await calls()).length;
        const warmRooms: string[] = [];
        for (let i = 0; i < 20; i++) warmRooms.push(await closeRoom(sim, token));
        await drain(sim, warmRooms);
        const all = await calls();
        return [
            row('cold app, visitor found by phone', 1, all.slice(before, afterCold)),
            row('warm app, returning visitor', warmRooms.length, all.slice(afterCold)),
        ];
    } finally {
        await sandbox.stop();
    }
}
