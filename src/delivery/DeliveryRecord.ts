import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { misc, putRecord, readRecord, readRecords, removeRecords } from '../lib/records';

export type DeliveryStatus = 'pending' | 'done' | 'dead';

/** One outbound write (a callback, a ticket) and everything known about it. */
export interface DeliveryRecord {
    key: string;
    kind: string;
    payload: Record<string, unknown>;
    status: DeliveryStatus;
    /** Attempts made so far. */
    attempt: number;
    nextAttemptAt: string;
    /**
     * Identifies the one scheduler job allowed to work on this record. A job carrying another token
     * (a duplicate enqueue, a job rescheduled by the watchdog) does nothing.
     */
    scheduleToken: string;
    lastError?: string;
    /** An earlier delivery of the same room this one waits for (ordered kinds only; see ordering.ts). */
    waitingFor?: string;
    result?: Record<string, unknown>;
    /** Checkpoints of a delivery that writes several things (see DeliveryAttempt.saveProgress). */
    progress?: Record<string, unknown>;
    createdAt: string;
    updatedAt: string;
}

/**
 * A small marker per delivery that is pending or dead, so listing them never reads the (many) done
 * deliveries. A delivery has at most two records: itself and one marker.
 */
export interface DeliveryMarker {
    key: string;
    status: 'pending' | 'dead';
    nextAttemptAt: string;
    /** The delivery kind; markers written before it was recorded lack it (their record tells). */
    kind?: string;
}

const ALL = 'tb-delivery';
const byKey = (key: string) => misc(`tb-delivery-key:${key}`);
const byRoom = (roomId: string) => misc(`tb-delivery-room:${roomId}`);

/**
 * A record's associations, always the same list for the same record (Rocket.Chat's
 * updateByAssociations matches the list exactly): every delivery, its key, and the room it concerns.
 */
function associationsOf(record: DeliveryRecord) {
    const roomId = record.payload?.roomId;
    return [misc(ALL), byKey(record.key), ...(typeof roomId === 'string' && roomId ? [byRoom(roomId)] : [])];
}
const MARKER = (status: DeliveryMarker['status']) => misc(`tb-delivery-${status}`);

export class DeliveryStore {
    constructor(private readonly reader: IPersistenceRead, private readonly persis?: IPersistence) {}

    private writer(): IPersistence {
        if (!this.persis) {
            throw new Error('DeliveryStore: this accessor set cannot write');
        }
        return this.persis;
    }

    public get(key: string): Promise<DeliveryRecord | undefined> {
        return readRecord<DeliveryRecord>(this.reader, [byKey(key)]);
    }

    /** Writes the record and keeps its marker in step; `previous` is the status it had before (none when new). */
    public async save(record: DeliveryRecord, previous?: DeliveryStatus): Promise<void> {
        const persis = this.writer();
        await putRecord(persis, associationsOf(record), record);
        if (record.status !== 'done') {
            const marker: DeliveryMarker = { key: record.key, kind: record.kind, status: record.status, nextAttemptAt: record.nextAttemptAt };
            await putRecord(persis, [MARKER(record.status), byKey(record.key)], marker);
        }
        if (previous && previous !== 'done' && previous !== record.status) {
            await removeRecords(persis, [MARKER(previous), byKey(record.key)]);
        }
    }

    /** A checkpoint of a running delivery: its status and next attempt are unchanged, so its marker is too. */
    public async saveProgress(record: DeliveryRecord): Promise<void> {
        await putRecord(this.writer(), associationsOf(record), record);
    }

    /** Every delivery a room produced (its helpdesk write, its platform callbacks). */
    public ofRoom(roomId: string): Promise<DeliveryRecord[]> {
        return readRecords<DeliveryRecord>(this.reader, [byRoom(roomId)]);
    }

    public markers(status: DeliveryMarker['status']): Promise<DeliveryMarker[]> {
        return readRecords<DeliveryMarker>(this.reader, [MARKER(status)]);
    }
}
