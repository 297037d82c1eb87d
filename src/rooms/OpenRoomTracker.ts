import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { misc, putRecord, readRecord, readRecords, removeRecords } from '../lib/records';

/** A Livechat room the app has seen open, so that a close it misses can still be found. */
export interface OpenRoomRecord {
    roomId: string;
    seenAt: string;
}

const ALL = misc('tb-open-room');
const byRoom = (roomId: string) => misc(`tb-open-room:${roomId}`);
/** Rooms remembered as tracked in this app instance before the cache starts over (bounds memory). */
const SEEN_CACHE_LIMIT = 10000;

/** Whether the room is tracked as open, i.e. its close has not been handled yet. */
export async function isTrackedOpen(reader: IPersistenceRead, roomId: string): Promise<boolean> {
    return !!(await readRecord<OpenRoomRecord>(reader, [byRoom(roomId)]));
}

/**
 * Remembers the Livechat rooms the app has seen open (room started, or a message in an open room),
 * one small record per open room, removed once the room's close has been handled. The missed-close
 * sweep reads what is left. The in-memory set only saves a persistence read per message; losing it
 * costs one read per room.
 */
export class OpenRoomTracker {
    private readonly seen = new Set<string>();

    public async track(roomId: string, persis: IPersistence): Promise<void> {
        const record: OpenRoomRecord = { roomId, seenAt: new Date().toISOString() };
        await putRecord(persis, [ALL, byRoom(roomId)], record);
        this.remember(roomId);
    }

    /** Tracks the room unless it already is: called on every message, so it reads at most once per room. */
    public async ensureTracked(roomId: string, reader: IPersistenceRead, persis: IPersistence): Promise<void> {
        if (this.seen.has(roomId)) {
            return;
        }
        if (await isTrackedOpen(reader, roomId)) {
            this.remember(roomId);
            return;
        }
        await this.track(roomId, persis);
    }

    public async forget(roomId: string, persis: IPersistence): Promise<void> {
        await removeRecords(persis, [ALL, byRoom(roomId)]);
        this.seen.delete(roomId);
    }

    public tracked(reader: IPersistenceRead): Promise<OpenRoomRecord[]> {
        return readRecords<OpenRoomRecord>(reader, [ALL]);
    }

    private remember(roomId: string): void {
        if (this.seen.size >= SEEN_CACHE_LIMIT) {
            this.seen.clear();
        }
        this.seen.add(roomId);
    }
}
