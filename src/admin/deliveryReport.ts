import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { DeliveryRecord, DeliveryStatus, DeliveryStore } from '../delivery/DeliveryRecord';
import { ticketLabels } from '../helpdesk/ticketLabels';
import { lastSweep, SweepState } from '../rooms/missedCloseSweep';
import { isTrackedOpen } from '../rooms/OpenRoomTracker';

/** How many deliveries of each list a report shows in full (the totals are always exact). */
export const REPORT_LIMIT = 50;

/** One delivery as an admin sees it: no payload (it can hold a whole transcript), no secrets. */
export interface DeliverySummary {
    id: string;
    kind: string;
    status: DeliveryStatus;
    attempts: number;
    nextAttemptAt?: string;
    lastError?: string;
    /** An earlier delivery of the same room it waits for (a room's callbacks go out in order). */
    waitingFor?: string;
    tickets?: string[];
    createdAt: string;
    updatedAt: string;
}

export interface DeliveryList {
    total: number;
    items: DeliverySummary[];
}

export interface DeliveryOverview {
    pending: DeliveryList;
    dead: DeliveryList;
    lastSweep?: SweepState;
}

export interface RoomReport {
    roomId: string;
    /** Still tracked as open: its close has not been handled yet. */
    awaitingClose: boolean;
    deliveries: DeliverySummary[];
}

export function summarize(record: DeliveryRecord): DeliverySummary {
    const tickets = ticketLabels(record.result);
    return {
        id: record.key,
        kind: record.kind,
        status: record.status,
        attempts: record.attempt,
        ...(record.status === 'pending' ? { nextAttemptAt: record.nextAttemptAt } : {}),
        ...(record.lastError ? { lastError: record.lastError } : {}),
        ...(record.status === 'pending' && record.waitingFor ? { waitingFor: record.waitingFor } : {}),
        ...(tickets.length ? { tickets } : {}),
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
    };
}

async function list(store: DeliveryStore, status: 'pending' | 'dead'): Promise<DeliveryList> {
    const markers = (await store.markers(status)).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt));
    const records = await Promise.all(markers.slice(0, REPORT_LIMIT).map((marker) => store.get(marker.key)));
    return { total: markers.length, items: records.filter((r): r is DeliveryRecord => !!r && r.status === status).map(summarize) };
}

export async function deliveryOverview(read: IRead): Promise<DeliveryOverview> {
    const store = new DeliveryStore(read.getPersistenceReader());
    const [pending, dead, sweep] = await Promise.all([list(store, 'pending'), list(store, 'dead'), lastSweep(read)]);
    return { pending, dead, ...(sweep ? { lastSweep: sweep } : {}) };
}

export async function roomReport(read: IRead, roomId: string): Promise<RoomReport> {
    const reader = read.getPersistenceReader();
    const [records, tracked] = await Promise.all([new DeliveryStore(reader).ofRoom(roomId), isTrackedOpen(reader, roomId)]);
    return {
        roomId,
        awaitingClose: tracked,
        deliveries: records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(summarize),
    };
}
