import { IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { Outbox } from '../delivery/Outbox';
import { queueHelpdeskDelivery } from '../helpdesk/queueHelpdeskDelivery';
import { onPlatformRoomClosed } from '../rapidpro/roomClosed';
import { OpenRoomTracker } from './OpenRoomTracker';

export interface ClosedRoomServices {
    outbox: Outbox;
    openRooms: OpenRoomTracker;
}

/**
 * Everything that must follow a Livechat room's close: its helpdesk delivery and, for a platform's
 * ticket, the close-room callback. Both are keyed by room id, so this may run any number of times
 * (the close event fired twice, the missed-close sweep) and still queues each once. The room stops
 * being tracked only when both are queued: otherwise the sweep tries again later.
 * Returns the reasons of what could not be queued (empty when all went well).
 */
export async function queueClosedRoom(roomId: string, services: ClosedRoomServices, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<unknown[]> {
    // Each independently: a failure to queue one must not keep the other from being queued.
    const outcomes = await Promise.allSettled([
        queueHelpdeskDelivery(roomId, services.outbox, acc),
        onPlatformRoomClosed(roomId, services.outbox, acc),
    ]);
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    if (!failures.length) {
        await services.openRooms.forget(roomId, acc.persis);
    }
    return failures;
}
