/*
 * Helpers for the fault-matrix and soak engine tests (test/engine/faults.test.ts, soak.test.ts):
 * every delivery record of the outbox, fast-forwarding until a set of deliveries settles, fault
 * switches and inspections of the embedded fakes, counting what a fake holds per room, platform
 * tickets and admin commands, and a bounded-concurrency map. HTTP only, like the harness.
 */
import { AxiosResponse } from 'axios';
import { Sandbox, uuid } from './harness';

export type FakeName = 'otrs' | 'glpi' | 'webhook' | 'mailroom';
export type FaultMode = 'ok' | 'down' | 'status500' | 'timeout' | 'error200' | 'lostReply';
export type DeliveryStatus = 'pending' | 'done' | 'dead';

/** A delivery record as the app stores it (src/delivery/DeliveryRecord.ts), the fields tests read. */
export interface DeliveryData {
    key: string;
    kind: string;
    status: DeliveryStatus;
    attempt: number;
    nextAttemptAt: string;
    updatedAt: string;
    lastError?: string;
    /** Ordered callbacks: the earlier delivery of the room this one waits for. */
    waitingFor?: string;
    result?: { tickets?: Array<{ ticketNumber?: string; ticketId?: string; id?: string; number?: string; action?: string }>; [k: string]: unknown };
    payload?: Record<string, unknown>;
    progress?: Record<string, unknown>;
}

export interface OtrsArticle { ArticleID: number; Subject: string; Body: string; Html?: string }
export interface OtrsTicket { TicketID: number; TicketNumber: string; Title: string; articles: OtrsArticle[] }
export interface OtrsCall { method: string; path: string; operation: string | null; status: number | null; fault: string | null; body: unknown }
export interface OtrsInspection { tickets: OtrsTicket[]; calls: OtrsCall[] }

export interface GlpiTicket { id: number; content: string; followups: Array<{ id: number; content: string }> }
export interface GlpiCall { method: string; path: string; status: number | null; fault: string | null }
export interface GlpiInspection { tickets: GlpiTicket[]; calls: GlpiCall[]; sessions: { created: number; active: number; initSessionCalls: number } }

export interface MailroomCall { at: string; body: { type?: string; ticketID?: string; data?: { text?: string } } | null; status: number | null; fault: string | null }
export interface MailroomInspection { calls: MailroomCall[]; tickets: Record<string, { status: string; closedCount: number }>; messages: Array<{ ticketID: string; text: string }> }

export interface WebhookInspection {
    deliveries: Array<{ idempotencyKey: string | null; status: number | null; fault: string | null; duplicate: boolean; ticket: { id: string; number: string } | null }>;
    tickets: Record<string, { id: string; number: string; deliveries: number }>;
    duplicates: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function ok(response: AxiosResponse, what: string): AxiosResponse {
    if (response.status < 200 || response.status > 299) {
        throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.data)}`);
    }
    return response;
}

/** Every delivery record the app holds (markers and other records left out). */
export async function deliveries(sb: Sandbox): Promise<DeliveryData[]> {
    const records = ok(await sb.sim('get', '/persistence'), 'GET /sim/persistence').data as Array<{ data: Partial<DeliveryData> }>;
    return records.map((r) => r.data)
        .filter((d): d is DeliveryData => typeof d?.key === 'string' && typeof d.kind === 'string' && typeof d.attempt === 'number' && typeof d.status === 'string');
}

export async function deliveryOf(sb: Sandbox, key: string): Promise<DeliveryData | undefined> {
    return (await deliveries(sb)).find((d) => d.key === key);
}

/** How many delivery records carry this key (a key must never have two). */
export async function recordsWithKey(sb: Sandbox, key: string): Promise<number> {
    return (await deliveries(sb)).filter((d) => d.key === key).length;
}

/**
 * Runs the jobs due within `withinMs` (fast-forwarding backoff) and waits for them. A big backlog
 * takes longer than the harness's 30 s request timeout: pass `timeoutMs`.
 */
export async function runJobs(sb: Sandbox, withinMs = 3600000, timeoutMs = 30000): Promise<number> {
    const response = await sb.http.post('/sim/jobs/run', { withinMs }, { timeout: timeoutMs });
    return ok(response, 'POST /sim/jobs/run').data.ran as number;
}

/**
 * Fast-forwards (runs every job due within `withinMs`, again and again) until each key's delivery
 * has the wanted status; returns the records by key. Throws with the records' last state on timeout.
 */
export async function settle(sb: Sandbox, keys: string[], want: DeliveryStatus | ((d: DeliveryData) => boolean), options: { timeoutMs?: number; withinMs?: number } = {}): Promise<Map<string, DeliveryData>> {
    const test = typeof want === 'function' ? want : (d: DeliveryData) => d.status === want;
    const deadline = Date.now() + (options.timeoutMs ?? 30000);
    const wanted = new Set(keys);
    let last: DeliveryData[] = [];
    for (;;) {
        if (options.withinMs !== 0) await runJobs(sb, options.withinMs ?? 3600000);
        last = (await deliveries(sb)).filter((d) => wanted.has(d.key));
        if (last.length === wanted.size && last.every(test)) {
            return new Map(last.map((d) => [d.key, d]));
        }
        if (Date.now() > deadline) {
            const missing = keys.filter((k) => !last.some((d) => d.key === k));
            const states = last.filter((d) => !test(d)).map((d) => `${d.key}: ${d.status} attempt ${d.attempt} ${d.lastError ?? ''}`);
            throw new Error(`deliveries did not settle (${typeof want === 'string' ? want : 'condition'}): missing ${JSON.stringify(missing)}; others ${JSON.stringify(states.slice(0, 10))}`);
        }
        await sleep(150);
    }
}

/** One delivery settled; see `settle`. */
export async function settleOne(sb: Sandbox, key: string, want: DeliveryStatus | ((d: DeliveryData) => boolean), options: { timeoutMs?: number; withinMs?: number } = {}): Promise<DeliveryData> {
    return (await settle(sb, [key], want, options)).get(key)!;
}

export async function setFault(sb: Sandbox, fake: FakeName, mode: FaultMode, count?: number): Promise<void> {
    ok(await sb.http.post(`/fakes/${fake}/_faults`, count === undefined ? { mode } : { mode, count }), `POST /fakes/${fake}/_faults`);
}

export async function inspect<T>(sb: Sandbox, fake: FakeName): Promise<T> {
    return ok(await sb.http.get(`/fakes/${fake}/_inspect`), `GET /fakes/${fake}/_inspect`).data as T;
}

export async function settings(sb: Sandbox, values: Record<string, unknown>): Promise<void> {
    ok(await sb.sim('put', '/settings', values), 'PUT /sim/settings');
}

/** OTRS tickets holding an article about this room (the app puts the room id in every article's Subject). */
export function otrsTicketsOf(inspection: OtrsInspection, roomId: string): OtrsTicket[] {
    return inspection.tickets.filter((t) => t.articles.some((a) => a.Subject.includes(roomId)));
}

/** Articles about this room on every OTRS ticket (new tickets' first articles and notes). */
export function otrsArticlesOf(inspection: OtrsInspection, roomId: string): OtrsArticle[] {
    return inspection.tickets.flatMap((t) => t.articles.filter((a) => a.Subject.includes(roomId)));
}

/** GLPI tickets whose content is this room's transcript (its header holds the room id). */
export function glpiTicketsOf(inspection: GlpiInspection, roomId: string): GlpiTicket[] {
    return inspection.tickets.filter((t) => t.content.includes(roomId));
}

/** Callbacks the mailroom fake answered 200 for this ticket, in arrival order. */
export function handledCallbacks(inspection: MailroomInspection, ticketID: string): MailroomCall[] {
    return inspection.calls.filter((c) => c.body?.ticketID === ticketID && c.status === 200);
}

let chatSeq = 0;

/**
 * A widget chat: a visitor starts it, writes, an agent answers (optionally topic/tags), and the
 * agent closes it, which fires the close event. Returns the room id.
 */
export async function widgetChat(sb: Sandbox, options: { token?: string; topic?: string; tags?: string[]; agent?: string; email?: string; close?: boolean } = {}): Promise<string> {
    const token = options.token ?? `faults-${Date.now().toString(36)}-${++chatSeq}`;
    const opened = ok(await sb.sim('post', '/rooms', { visitor: { token, name: 'Maria Silva', email: options.email ?? `maria.${token}@cliente.com.br`, phone: '+5511999990000' } }), 'POST /sim/rooms');
    const roomId = opened.data.roomId as string;
    ok(await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'visitor', text: 'Meu pedido não chegou' }), 'visitor message');
    ok(await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', ...(options.agent ? { username: options.agent } : {}), text: 'Vou verificar agora.' }), 'agent message');
    if (options.topic !== undefined || options.tags !== undefined) {
        ok(await sb.sim('patch', `/rooms/${roomId}`, { topic: options.topic, tags: options.tags }), 'PATCH room');
    }
    if (options.close !== false) {
        ok(await sb.sim('post', `/rooms/${roomId}/close`, { by: 'agent', ...(options.agent ? { username: options.agent } : {}), comment: 'Resolvido' }), 'close');
    }
    return roomId;
}

/** A platform ticket opened through the app's `GET /room`. */
export async function platformTicket(sb: Sandbox, token: string, ticketID = uuid()): Promise<{ roomId: string; ticketID: string; token: string }> {
    const opened = await sb.api('get', 'room', { ticketID, visitor: { token, name: 'Ryan Lewis', email: `ryan.${token}@cliente.com.br` } });
    if (opened.status !== 201) {
        throw new Error(`GET /room answered ${opened.status}: ${JSON.stringify(opened.data)}`);
    }
    return { roomId: opened.data.id as string, ticketID, token };
}

/** Posts an agent message into a room; returns the message id. */
export async function agentSays(sb: Sandbox, roomId: string, text: string): Promise<string> {
    return ok(await sb.sim('post', `/rooms/${roomId}/messages`, { from: 'agent', text }), 'agent message').data.messageId as string;
}

/** Runs the app's admin slash command `/ticket-bridge <args>` as `admin`. */
export async function adminCommand(sb: Sandbox, args: string[]): Promise<{ status: number; replies: string[]; error?: string }> {
    const response = await sb.sim('post', '/commands', { command: 'ticket-bridge', args, username: 'admin' });
    return { status: response.status, replies: response.data?.replies ?? [], error: response.data?.error };
}

/** Maps with at most `limit` calls in flight; results in input order. The first error is rethrown after all settle. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    let failure: unknown;
    const worker = async (): Promise<void> => {
        while (next < items.length && failure === undefined) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            } catch (error) {
                failure = failure ?? error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failure !== undefined) throw failure;
    return results;
}
