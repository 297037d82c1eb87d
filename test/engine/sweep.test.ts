/*
 * Missed closes, through the real engine: rooms that close while the app is disabled (no close
 * event reaches it) are found by the sweep that runs after the app is enabled again, and delivered
 * exactly once; rooms that started while it was off are tracked from their first message; a close
 * the app handled is never delivered again by the sweep; sweep_hours 0 turns the sweep off.
 */
import { inspect, OtrsInspection, otrsTicketsOf } from './faultHelpers';
import { eventually, helpdeskDelivery, helpdeskDeliveryWith, Sandbox, startSandbox } from './harness';

interface Delivery { key: string; status: string; attempt: number }
interface Job { name: string; data: Record<string, unknown> }

let sb: Sandbox;
let seq = 0;

beforeAll(async () => {
    sb = await startSandbox();
    await sb.sim('post', '/agents', { username: 'ana', name: 'Ana Souza' });
});

afterAll(async () => {
    await sb?.stop();
});

afterEach(async () => {
    await sb.sim('post', '/enable');
    await sb.sim('put', '/settings', { sweep_hours: 24 });
});

async function ticketsOf(roomId: string): Promise<number> {
    return otrsTicketsOf(await inspect<OtrsInspection>(sb, 'otrs'), roomId).length;
}

async function openChat(): Promise<string> {
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token: `sweep-${Date.now()}-${++seq}`, name: 'Maria Silva' } })).data.roomId;
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: 'Preciso de ajuda' });
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text: 'Claro!' });
    return roomId;
}

async function isTracked(roomId: string): Promise<boolean> {
    const records = (await sb.sim('get', '/persistence')).data as Array<{ associations: Array<{ id: string }> }>;
    return records.some((r) => r.associations.some((a) => a.id === `tb-open-room:${roomId}`));
}

async function sweepJobs(): Promise<Job[]> {
    return ((await sb.sim('get', '/jobs')).data as Job[]).filter((job) => job.name.startsWith('missed-close-sweep'));
}

/** Enabling schedules a sweep 30 s later; this runs it (and whatever it queued) without waiting. */
async function runSweepAfterEnable(): Promise<void> {
    await sb.sim('post', '/jobs/run', { withinMs: 60000 });
}

async function sweepReport(): Promise<string> {
    return (await sb.sim('post', '/commands', { command: 'ticket-bridge', args: ['status'], username: 'admin' })).data.replies[0];
}

it('tracks a room from its start, and forgets it once its close is handled', async () => {
    const roomId = await openChat();
    await eventually(() => isTracked(roomId), 10000, 'the room to be tracked');
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent' });
    await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
    expect(await isTracked(roomId)).toBe(false);
});

it('delivers, exactly once, a room that closed while the app was disabled', async () => {
    const roomId = await openChat();
    await eventually(() => isTracked(roomId), 10000, 'the room to be tracked');
    expect((await sb.sim('post', '/disable')).data.status).toBe('manually_disabled');
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent' });
    await sb.sim('post', '/enable');
    expect(await helpdeskDelivery(sb, roomId)).toBeUndefined();
    expect((await sweepJobs()).some((job) => job.data.reason === 'enabled')).toBe(true);

    await runSweepAfterEnable();
    await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
    expect(await ticketsOf(roomId)).toBe(1);
    expect(await isTracked(roomId)).toBe(false);
    expect(await sweepReport()).toMatch(/Last missed-close sweep .*: \d+ open room\(s\) checked, 1 missed close\(s\) queued, 0 failed\./);

    // Another enable, another sweep: nothing is delivered twice.
    await sb.sim('post', '/restart');
    await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
    expect(await ticketsOf(roomId)).toBe(1);
});

it('tracks a room that started while the app was disabled from its first message after', async () => {
    await sb.sim('post', '/disable');
    const roomId = (await sb.sim('post', '/rooms', { visitor: { token: `sweep-off-${++seq}`, name: 'João' } })).data.roomId;
    await sb.sim('post', '/enable');
    expect(await isTracked(roomId)).toBe(false);
    await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: 'Ainda aí?' });
    await eventually(() => isTracked(roomId), 10000, 'the room to be tracked from its message');

    await sb.sim('post', '/disable');
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'visitor' });
    await sb.sim('post', '/enable');
    await runSweepAfterEnable();
    await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
    expect(await ticketsOf(roomId)).toBe(1);
});

it('sweep_hours 0 turns the sweep off; the room waits, still tracked, until it is turned on', async () => {
    await sb.sim('put', '/settings', { sweep_hours: 0 });
    const roomId = await openChat();
    await eventually(() => isTracked(roomId), 10000, 'the room to be tracked');
    await sb.sim('post', '/disable');
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent' });
    await sb.sim('post', '/enable');
    await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
    expect(await helpdeskDelivery(sb, roomId)).toBeUndefined();
    expect(await isTracked(roomId)).toBe(true);

    await sb.sim('put', '/settings', { sweep_hours: 24 });
    await sb.sim('post', '/restart');
    await runSweepAfterEnable();
    await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
    expect(await ticketsOf(roomId)).toBe(1);
});

it('leaves open rooms alone', async () => {
    const roomId = await openChat();
    await eventually(() => isTracked(roomId), 10000, 'the room to be tracked');
    await sb.sim('post', '/restart');
    await runSweepAfterEnable();
    expect(await helpdeskDelivery(sb, roomId)).toBeUndefined();
    expect(await isTracked(roomId)).toBe(true);
    await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent' });
    await helpdeskDeliveryWith<Delivery>(sb, roomId, 'done');
    expect(await ticketsOf(roomId)).toBe(1);
});
