import { IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { Outbox } from '../delivery/Outbox';
import { buildCloseRoomCallback } from './callbackPayloads';
import { CLOSE_ROOM_KIND } from './callbackDelivery';
import { TicketRecord, TicketStore } from './TicketStore';

export const closeRoomKey = (roomId: string) => `close-room:${roomId}`;

/**
 * A ticket's room is closed: record it and, unless the platform closed it itself, queue one
 * `close-room` callback (keyed by room id, so an event fired twice sends it once).
 */
export async function closeRoomCallbackFor(ticket: TicketRecord, tickets: TicketStore, outbox: Outbox, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<void> {
    const byPlatform = ticket.state === 'closing_by_platform' || ticket.closedBy === 'platform';
    if (ticket.state !== 'closed') {
        await tickets.save({ ...ticket, state: 'closed', closedBy: byPlatform ? 'platform' : 'rocket.chat', closedAt: new Date().toISOString() });
    }
    if (!byPlatform) {
        await outbox.enqueue(acc, CLOSE_ROOM_KIND, closeRoomKey(ticket.roomId), {
            roomId: ticket.roomId,
            body: buildCloseRoomCallback(ticket.ticketID, ticket.token),
        });
    }
}

/** IPostLivechatRoomClosed for platform tickets; rooms no platform opened are not its business. */
export async function onPlatformRoomClosed(roomId: string, outbox: Outbox, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<void> {
    const tickets = new TicketStore(acc.read.getPersistenceReader(), acc.persis);
    const ticket = await tickets.byRoom(roomId);
    if (ticket) {
        await closeRoomCallbackFor(ticket, tickets, outbox, acc);
    }
}
