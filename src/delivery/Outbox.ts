import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { AppSettings, readSettings } from '../../settings/AppSettings';
import { configuredSecrets } from '../../settings/secrets';
import { describeError, redact } from '../lib/redact';
import { backoffDelayMs } from './backoff';
import { isDeliveryFailure, permanentFailure } from './DeliveryFailure';
import { DeliveryRecord, DeliveryStatus, DeliveryStore } from './DeliveryRecord';
import { DeliveryFollowUp, DeliveryHandler } from './DeliveryHandler';
import { aheadInLine, nextInLine, roomOf, shardKeyOf } from './ordering';
import { processorIdFor } from './shards';

/** Scheduler processor id of the watchdog (Rocket.Chat suffixes ids with the app id). */
export const WATCHDOG_PROCESSOR = 'delivery-watchdog';
/** How long past its due time a pending delivery may go without a run before the watchdog reschedules it. */
export const WATCHDOG_GRACE_MS = 2 * 60 * 1000;
/**
 * A delivery is woken early only when its next attempt is at least this far away: a record due
 * sooner may be running right now, and rewriting it under a running attempt could undo its result.
 */
const WAKE_MIN_WAIT_MS = 5000;
/** After waking a kind's backlog, further successes of that kind do not rescan it for this long (unless one fails in between). */
const WAKE_QUIET_MS = 30000;

export interface OutboxAccessors {
    read: IRead;
    persis: IPersistence;
    modify: IModify;
    http: IHttp;
    logger: ILogger;
}

export interface RetryOutcome {
    /** replayed: was dead, pending again; rescheduled: was waiting, due now; already-due: runs shortly anyway; done: delivered, left alone. */
    outcome: 'replayed' | 'rescheduled' | 'already-due' | 'done' | 'unknown';
    record?: DeliveryRecord;
}

export interface DeliveryJobData {
    key: string;
    token: string;
}

function newToken(): string {
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * The durable outbox: every outbound write goes through here. A delivery is a persistence record
 * plus one scheduler job; the job carries the record's schedule token, so duplicates and stale jobs
 * do nothing. Rocket.Chat's scheduler never retries a failed job, so the outbox reschedules itself
 * with exponential backoff, and turns a delivery into a dead letter (payload kept for replay) when
 * the failure is permanent or the attempts run out.
 */
export class Outbox {
    /** When each kind's backlog was last woken (a throttle: safe to lose with the app instance). */
    private readonly lastWake = new Map<string, number>();

    private readonly ordered: ReadonlySet<string>;

    /**
     * @param handlers how each kind is delivered
     * @param followUps what follows a done delivery of a kind (never fails it)
     * @param orderedKinds kinds whose deliveries reach the receiver in queue order, per room (ordering.ts)
     */
    constructor(
        private readonly handlers: Readonly<Record<string, DeliveryHandler>>,
        private readonly followUps: Readonly<Record<string, DeliveryFollowUp>> = {},
        orderedKinds: readonly string[] = [],
    ) {
        this.ordered = new Set(orderedKinds);
    }

    /** Queues a delivery once per key: a second enqueue of the same key (an event fired twice) is a no-op. */
    public async enqueue(acc: Pick<OutboxAccessors, 'read' | 'persis' | 'modify'>, kind: string, key: string, payload: Record<string, unknown>): Promise<DeliveryRecord> {
        if (!this.handlers[kind]) {
            throw new Error(`no delivery handler for kind "${kind}"`);
        }
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        const existing = await store.get(key);
        if (existing) {
            return existing;
        }
        const now = new Date().toISOString();
        const record: DeliveryRecord = {
            key, kind, payload, status: 'pending', attempt: 0, nextAttemptAt: now,
            scheduleToken: newToken(), createdAt: now, updatedAt: now,
        };
        await store.save(record);
        await this.schedule(acc.modify, record, new Date());
        return record;
    }

    /** Makes a dead delivery pending again, attempts counted from zero. */
    public async replay(acc: Pick<OutboxAccessors, 'read' | 'persis' | 'modify'>, key: string): Promise<DeliveryRecord | undefined> {
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        const record = await store.get(key);
        if (!record || record.status !== 'dead') {
            return record;
        }
        const now = new Date();
        const replayed: DeliveryRecord = { ...record, status: 'pending', attempt: 0, nextAttemptAt: now.toISOString(), scheduleToken: newToken(), updatedAt: now.toISOString() };
        await store.save(replayed, 'dead');
        await this.schedule(acc.modify, replayed, now);
        return replayed;
    }

    /**
     * An admin's "retry": a dead delivery is replayed; a pending one waiting out its backoff is tried
     * now. A delivery that is done is never written again.
     */
    public async retry(acc: Pick<OutboxAccessors, 'read' | 'persis' | 'modify'>, key: string): Promise<RetryOutcome> {
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        const record = await store.get(key);
        if (!record) {
            return { outcome: 'unknown' };
        }
        if (record.status === 'dead') {
            return { outcome: 'replayed', record: await this.replay(acc, key) };
        }
        if (record.status === 'done') {
            return { outcome: 'done', record };
        }
        if (Date.parse(record.nextAttemptAt) < Date.now() + WAKE_MIN_WAIT_MS) {
            return { outcome: 'already-due', record };
        }
        await this.runNow(store, acc.modify, record);
        return { outcome: 'rescheduled', record: await store.get(key) };
    }

    /** Replays every dead delivery; returns how many. */
    public async replayDead(acc: Pick<OutboxAccessors, 'read' | 'persis' | 'modify'>): Promise<number> {
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        let replayed = 0;
        for (const marker of await store.markers('dead')) {
            if ((await this.replay(acc, marker.key))?.status === 'pending') replayed++;
        }
        return replayed;
    }

    /** The scheduler processor: one attempt of one delivery. Never throws (a thrown job is dropped by Rocket.Chat). */
    public async runJob(data: Partial<DeliveryJobData>, acc: OutboxAccessors): Promise<void> {
        if (typeof data.key !== 'string' || typeof data.token !== 'string') {
            acc.logger.warn('delivery job without key or token ignored');
            return;
        }
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        const stored = await store.get(data.key);
        if (!stored || stored.status !== 'pending' || stored.scheduleToken !== data.token) {
            return; // done already, dead, or superseded by a newer schedule
        }
        if (await this.waitsInLine(store, acc.modify, stored)) {
            return;
        }
        const { waitingFor: _waitedFor, ...record } = stored; // its turn now
        const settings = await readSettings(acc.read);
        const handler = this.handlers[record.kind];
        const attempt = record.attempt + 1;
        let current = record;
        const saveProgress = async (progress: Record<string, unknown>): Promise<void> => {
            current = { ...current, progress, updatedAt: new Date().toISOString() };
            await store.saveProgress(current);
        };
        try {
            if (!handler) {
                throw permanentFailure(`no handler for kind "${record.kind}" in this app version`);
            }
            const result = await handler({ payload: record.payload, attempt, key: record.key, lastError: record.lastError, progress: record.progress, saveProgress }, acc);
            const done = await this.finish(store, current, { status: 'done', attempt, result: result ?? undefined, lastError: undefined });
            acc.logger.info(`delivery ${record.key} done after ${attempt} attempt(s)`);
            await this.followUp(done, acc);
            await this.callNextInLine(store, acc.modify, done);
            if (attempt > 1) {
                await this.wakeBackedOff(store, acc, record.kind);
            }
        } catch (error) {
            await this.handleFailure(store, acc, settings, current, attempt, error);
        }
    }

    private async handleFailure(store: DeliveryStore, acc: OutboxAccessors, settings: AppSettings, record: DeliveryRecord, attempt: number, error: unknown): Promise<void> {
        const failure = isDeliveryFailure(error) ? error : undefined;
        const reason = redact(failure ? failure.message : `unexpected error: ${describeError(error)}`, await configuredSecrets(acc.read));
        const permanent = failure?.permanent === true;
        if (permanent || attempt >= settings.deliveryMaxAttempts) {
            const why = permanent ? reason : `gave up after ${attempt} attempts; last error: ${reason}`;
            const dead = await this.finish(store, record, { status: 'dead', attempt, lastError: why });
            acc.logger.error(`delivery ${record.key} is a dead letter: ${why}`);
            await this.callNextInLine(store, acc.modify, dead);
            return;
        }
        // The receiver is failing (again): its next recovery may wake the backlog, however recent the last wake.
        this.lastWake.delete(record.kind);
        const delay = backoffDelayMs(attempt, settings.deliveryBackoffSeconds, Math.random, failure?.retryAfterMs);
        const next = new Date(Date.now() + delay);
        const retry: DeliveryRecord = { ...record, attempt, lastError: reason, nextAttemptAt: next.toISOString(), scheduleToken: newToken(), updatedAt: new Date().toISOString() };
        await store.save(retry, 'pending');
        await this.schedule(acc.modify, retry, next);
        acc.logger.warn(`delivery ${record.key} attempt ${attempt} failed (${reason}); retry in ${Math.round(delay / 1000)} s`);
    }

    private async finish(store: DeliveryStore, record: DeliveryRecord, change: { status: DeliveryStatus; attempt: number; result?: Record<string, unknown>; lastError?: string }): Promise<DeliveryRecord> {
        const now = new Date().toISOString();
        const finished: DeliveryRecord = { ...record, ...change, nextAttemptAt: now, updatedAt: now };
        if (change.result === undefined) delete finished.result;
        if (change.lastError === undefined) delete finished.lastError;
        await store.save(finished, 'pending');
        return finished;
    }

    private async followUp(record: DeliveryRecord, acc: OutboxAccessors): Promise<void> {
        const followUp = this.followUps[record.kind];
        if (!followUp) return;
        try {
            await followUp(record, acc);
        } catch (error) {
            acc.logger.warn(`delivery ${record.key} is done, but its follow-up failed: ${redact(describeError(error), await configuredSecrets(acc.read))}`);
        }
    }

    /**
     * The recurring watchdog: a pending delivery whose job never ran (it fell due while the app was
     * disabled, and Rocket.Chat then drops one-time jobs; or scheduling itself failed) gets a new job.
     */
    public async runWatchdog(acc: OutboxAccessors): Promise<number> {
        const store = new DeliveryStore(acc.read.getPersistenceReader(), acc.persis);
        const overdue = Date.now() - WATCHDOG_GRACE_MS;
        let rescheduled = 0;
        for (const marker of await store.markers('pending')) {
            if (Date.parse(marker.nextAttemptAt) > overdue) continue;
            const record = await store.get(marker.key);
            if (!record || record.status !== 'pending') continue;
            await this.runNow(store, acc.modify, record);
            rescheduled++;
        }
        if (rescheduled) {
            acc.logger.warn(`delivery watchdog rescheduled ${rescheduled} overdue deliveries`);
        }
        return rescheduled;
    }

    /**
     * A delivery of `kind` just went through after failing before: its receiver is back. Deliveries of
     * the same kind that are waiting out a backoff (possibly hours) are due now instead, so a backlog
     * drains as soon as the helpdesk recovers rather than one backoff at a time.
     */
    private async wakeBackedOff(store: DeliveryStore, acc: OutboxAccessors, kind: string): Promise<void> {
        const now = Date.now();
        if ((this.lastWake.get(kind) ?? 0) > now - WAKE_QUIET_MS) {
            return;
        }
        this.lastWake.set(kind, now);
        let woken = 0;
        for (const marker of await store.markers('pending')) {
            if ((marker.kind !== undefined && marker.kind !== kind) || Date.parse(marker.nextAttemptAt) < now + WAKE_MIN_WAIT_MS) continue;
            const record = await store.get(marker.key);
            if (!record || record.status !== 'pending' || record.kind !== kind || record.attempt === 0
                || Date.parse(record.nextAttemptAt) < Date.now() + WAKE_MIN_WAIT_MS) continue;
            await this.runNow(store, acc.modify, record);
            woken++;
        }
        if (woken) {
            acc.logger.info(`${kind} is reachable again: ${woken} waiting deliveries retry now`);
        }
    }

    /**
     * A delivery of an ordered kind with an earlier one of its room still pending waits for it: it is
     * rescheduled just after that one's next attempt, its own attempts untouched.
     */
    private async waitsInLine(store: DeliveryStore, modify: IModify, record: DeliveryRecord): Promise<boolean> {
        const roomId = roomOf(record);
        if (!this.ordered.has(record.kind) || !roomId) return false;
        const ahead = aheadInLine(record, await store.ofRoom(roomId), this.ordered);
        if (!ahead) return false;
        const when = new Date(Math.max(Date.parse(ahead.nextAttemptAt), Date.now()) + 1000);
        const waiting: DeliveryRecord = { ...record, scheduleToken: newToken(), nextAttemptAt: when.toISOString(), updatedAt: new Date().toISOString(), waitingFor: ahead.key };
        await store.save(waiting, 'pending');
        await this.schedule(modify, waiting, when);
        return true;
    }

    /** An ordered delivery is out of the line (done or dead): the next one of its room need not wait out a backoff. */
    private async callNextInLine(store: DeliveryStore, modify: IModify, finished: DeliveryRecord): Promise<void> {
        const roomId = roomOf(finished);
        if (!this.ordered.has(finished.kind) || !roomId) return;
        const next = nextInLine(finished, await store.ofRoom(roomId), this.ordered);
        if (next && Date.parse(next.nextAttemptAt) >= Date.now() + WAKE_MIN_WAIT_MS) {
            await this.runNow(store, modify, next);
        }
    }

    /** Gives a pending delivery a fresh job due now; the job it had (if any) becomes a no-op. */
    private async runNow(store: DeliveryStore, modify: IModify, record: DeliveryRecord): Promise<void> {
        const now = new Date();
        const revived: DeliveryRecord = { ...record, scheduleToken: newToken(), nextAttemptAt: now.toISOString(), updatedAt: now.toISOString() };
        await store.save(revived, 'pending');
        await this.schedule(modify, revived, now);
    }

    private async schedule(modify: IModify, record: DeliveryRecord, when: Date): Promise<void> {
        const data: DeliveryJobData = { key: record.key, token: record.scheduleToken };
        await modify.getScheduler().scheduleOnce({ id: processorIdFor(shardKeyOf(record, this.ordered)), when, data });
    }
}
