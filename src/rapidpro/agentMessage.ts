import { IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { Outbox } from '../delivery/Outbox';
import { detach } from '../lib/detach';
import { shortcodesToUnicode } from '../lib/emoji/emoji';
import { siteUrl } from '../lib/siteUrl';
import { buildAgentMessageCallback } from './callbackPayloads';
import { AGENT_MESSAGE_KIND } from './callbackDelivery';
import { isForwardableAgentMessage } from './messageFilter';
import { TicketStore } from './TicketStore';

type RawFields = { type?: string; token?: string; _unmappedProperties_?: { t?: string; token?: string } };

/** The system message type: `type` on current servers, `_unmappedProperties_.t` on older ones. */
export function systemTypeOf(message: IMessage): string | undefined {
    const raw = message as unknown as RawFields;
    return raw.type ?? raw._unmappedProperties_?.t;
}

/** Visitor messages carry the visitor's token (that is how Rocket.Chat itself tells them apart). */
export function isFromVisitor(message: IMessage): boolean {
    const raw = message as unknown as RawFields;
    return Boolean(raw.token ?? raw._unmappedProperties_?.token);
}

/**
 * IPostMessageSent: a human agent's message in a room a platform ticket owns becomes one
 * `agent-message` callback (keyed by message id). Every message of the server passes through
 * here, the visitor messages the app itself posts included, so the filter reads a few scalar
 * fields of the engine's (frozen, proxied) message first, and only a forwardable message is
 * copied (`detach`) and looked up.
 */
export async function onMessageSent(message: IMessage, outbox: Outbox, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<void> {
    const facts = {
        roomType: message.room?.type,
        systemType: systemTypeOf(message),
        senderId: message.sender?.id,
        senderType: message.sender?.type,
        senderIsVisitor: isFromVisitor(message),
        text: message.text,
        attachmentCount: message.attachments?.length ?? 0,
        hasFile: Boolean(message.file),
    };
    if (!isForwardableAgentMessage(facts, {})) {
        return;
    }
    const appUser = await acc.read.getUserReader().getAppUser();
    const roomId = message.room?.id;
    if (!message.id || !roomId || !isForwardableAgentMessage(facts, { appUserId: appUser?.id })) {
        return;
    }
    const ticket = await new TicketStore(acc.read.getPersistenceReader()).byRoom(roomId);
    if (!ticket || ticket.state !== 'open') {
        return;
    }
    const body = buildAgentMessageCallback({
        ticketID: ticket.ticketID,
        token: ticket.token,
        text: message.text,
        file: detach(message.file),
        attachments: detach(message.attachments),
        siteUrl: await siteUrl(acc.read),
    }, shortcodesToUnicode);
    await outbox.enqueue(acc, AGENT_MESSAGE_KIND, `agent-message:${message.id}`, { roomId: ticket.roomId, messageId: message.id, body });
}
