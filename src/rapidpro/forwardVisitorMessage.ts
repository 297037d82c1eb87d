import { HttpStatusCode, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { apiFailure } from '../lib/ApiFailure';
import { Outbox } from '../delivery/Outbox';
import { closeRoomCallbackFor } from './roomClosed';
import { TicketStore } from './TicketStore';
import { VisitorMessageRequest } from './validation';
import { buildVisitorMessageContent } from './visitorMessage';

/**
 * `POST /visitor-message`: posts the contact's message as the visitor into the ticket's room.
 * A room that is closed (or a token with no open ticket) gets 404 and nothing is posted: posting
 * into a closed room would make Rocket.Chat silently open a new, untracked one. If the room closed
 * while the app missed it, the platform is told with a close-room callback.
 */
export async function forwardVisitorMessage(request: VisitorMessageRequest, outbox: Outbox, acc: { read: IRead; modify: IModify; persis: IPersistence }): Promise<string> {
    const token = request.visitor.token;
    const notFound = apiFailure(HttpStatusCode.NOT_FOUND, `Could not find a room for visitor token: ${token}`);
    const tickets = new TicketStore(acc.read.getPersistenceReader(), acc.persis);
    const ticket = await tickets.openByToken(token);
    if (!ticket || ticket.state !== 'open') {
        throw notFound;
    }
    const room = (await acc.read.getRoomReader().getById(ticket.roomId)) as ILivechatRoom | undefined;
    if (!room || !room.isOpen) {
        await closeRoomCallbackFor(ticket, tickets, outbox, acc);
        throw notFound;
    }
    const content = buildVisitorMessageContent(request);
    const builder = acc.modify.getCreator().startLivechatMessage()
        .setVisitor(room.visitor)
        .setToken(token)
        .setRoom(room)
        .setText(content.text);
    if (content.attachments.length) {
        builder.setAttachments(content.attachments);
    }
    const messageId = await acc.modify.getCreator().finish(builder);
    if (!messageId) {
        throw new Error('Rocket.Chat returned no message id');
    }
    return messageId;
}
