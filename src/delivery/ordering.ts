import { DeliveryRecord } from './DeliveryRecord';

/**
 * Deliveries of an ordered kind (a platform's agent messages and close-room callback) reach their
 * receiver in the order they were queued, per room: a later one waits while an earlier one of the
 * same room is still pending (retrying, or not yet run). Dead letters do not hold the line.
 */
export function roomOf(record: DeliveryRecord): string | undefined {
    const roomId = record.payload?.roomId;
    return typeof roomId === 'string' && roomId ? roomId : undefined;
}

function queuedBefore(a: DeliveryRecord, b: DeliveryRecord): boolean {
    return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.key < b.key);
}

/** The room's line: its pending deliveries of ordered kinds, other than `except`, first queued first. */
function pendingLine(roomDeliveries: DeliveryRecord[], ordered: ReadonlySet<string>, except: DeliveryRecord): DeliveryRecord[] {
    return roomDeliveries
        .filter((other) => ordered.has(other.kind) && other.status === 'pending' && other.key !== except.key)
        .sort((a, b) => (queuedBefore(a, b) ? -1 : 1));
}

/** The earliest pending delivery of the room's line queued before `record`, if any. */
export function aheadInLine(record: DeliveryRecord, roomDeliveries: DeliveryRecord[], ordered: ReadonlySet<string>): DeliveryRecord | undefined {
    return pendingLine(roomDeliveries, ordered, record).find((other) => queuedBefore(other, record));
}

/** The first pending delivery of the room's line, once `finished` is out of it. */
export function nextInLine(finished: DeliveryRecord, roomDeliveries: DeliveryRecord[], ordered: ReadonlySet<string>): DeliveryRecord | undefined {
    return pendingLine(roomDeliveries, ordered, finished)[0];
}

/** Where a delivery's jobs run: an ordered line on one shard (so it runs in order), anything else by its own key. */
export function shardKeyOf(record: DeliveryRecord, ordered: ReadonlySet<string>): string {
    const roomId = roomOf(record);
    return ordered.has(record.kind) && roomId ? `room:${roomId}` : record.key;
}
