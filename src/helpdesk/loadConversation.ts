import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { permanentFailure } from '../delivery/DeliveryFailure';
import { detach } from '../lib/detach';

export interface Conversation {
    room: ILivechatRoom;
    messages: IMessage[];
    /** Topic and tags: Rocket.Chat's room converter does not map them, so they travel unmapped. */
    topic?: string;
    tags: string[];
}

type Unmapped = { _unmappedProperties_?: { topic?: unknown; tags?: unknown }; topic?: unknown; tags?: unknown };

/**
 * The room as it is now (the close event's copy may predate the agent's last edits of topic and
 * tags) and every message of it, oldest first. `_fetchLivechatRoomMessages` exists on every engine
 * from 1.42 on and returns the whole Livechat transcript in one call; the paged `getMessages` only
 * arrived in 1.44, so this stays on the call every supported server has.
 */
export async function loadConversation(read: IRead, roomId: string): Promise<Conversation> {
    const room = detach((await read.getRoomReader().getById(roomId)) as ILivechatRoom | undefined);
    if (!room || !room.id) {
        throw permanentFailure(`room ${roomId} no longer exists in Rocket.Chat`);
    }
    const raw = await read.getLivechatReader()._fetchLivechatRoomMessages(roomId);
    const messages: IMessage[] = [];
    for (let i = 0; i < (raw?.length ?? 0); i++) {
        messages.push(detach(raw[i]));
    }
    messages.sort((a, b) => timeOf(a.createdAt) - timeOf(b.createdAt));
    const extra = room as unknown as Unmapped;
    const topic = firstString(extra._unmappedProperties_?.topic, extra.topic);
    const tagsValue = extra._unmappedProperties_?.tags ?? extra.tags;
    const tags = Array.isArray(tagsValue) ? tagsValue.filter((t): t is string => typeof t === 'string') : [];
    return { room, messages, topic, tags };
}

function timeOf(value: unknown): number {
    const time = value instanceof Date ? value.getTime() : Date.parse(String(value));
    return Number.isFinite(time) ? time : 0;
}

function firstString(...values: unknown[]): string | undefined {
    return values.find((v): v is string => typeof v === 'string' && v.trim().length > 0);
}
