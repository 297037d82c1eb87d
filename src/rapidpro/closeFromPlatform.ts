import { HttpStatusCode, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { apiFailure } from '../lib/ApiFailure';
import { TicketStore } from './TicketStore';

/**
 * `GET /room.close`: closes the token's open room with a comment saying who closed it. Marked
 * "closing by platform" first, so the close event that follows sends no close-room back.
 * Idempotent: a token whose tickets are all closed gets 204 again; a token never seen gets 404.
 */
export async function closeFromPlatform(token: string, acc: { read: IRead; modify: IModify; persis: IPersistence }): Promise<void> {
    const tickets = new TicketStore(acc.read.getPersistenceReader(), acc.persis);
    const all = await tickets.byToken(token);
    const ticket = all.find((t) => t.state !== 'closed');
    if (!ticket) {
        if (all.length) {
            return;
        }
        throw apiFailure(HttpStatusCode.NOT_FOUND, `Could not find a room for visitor token: ${token}`);
    }
    const closing = { ...ticket, state: 'closing_by_platform' as const, closedBy: 'platform' as const };
    await tickets.save(closing);
    const room = (await acc.read.getRoomReader().getById(ticket.roomId)) as ILivechatRoom | undefined;
    if (room && room.isOpen) {
        await acc.modify.getUpdater().getLivechatUpdater().closeRoom(room, `Closed by the platform (ticket ${ticket.ticketID})`);
    }
    await tickets.save({ ...closing, state: 'closed', closedAt: new Date().toISOString() });
}
