import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { AppServices } from '../src/AppServices';
import { onMessageSent } from '../src/rapidpro/agentMessage';
import { describeError } from '../src/lib/redact';

/**
 * A message was saved: an agent's reply in a platform ticket's room goes back to the platform; and a
 * Livechat room the app had not seen start (it started while the app was disabled) is tracked now.
 */
export class PostMessageSentHandler {
    constructor(private readonly app: AppServices) {}

    public async run(message: IMessage, read: IRead, _http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
        await Promise.all([this.forwardToPlatform(message, read, persis, modify), this.trackRoom(message, read, persis)]);
    }

    private async forwardToPlatform(message: IMessage, read: IRead, persis: IPersistence, modify: IModify): Promise<void> {
        try {
            await onMessageSent(message, this.app.outbox, { read, persis, modify });
        } catch (error) {
            this.app.getLogger().error(`message ${message.id} could not be queued for the platform: ${describeError(error)}`);
        }
    }

    private async trackRoom(message: IMessage, read: IRead, persis: IPersistence): Promise<void> {
        const room = message.room as ILivechatRoom | undefined;
        if (!room || room.type !== RoomType.LIVE_CHAT || !room.isOpen) {
            return;
        }
        try {
            await this.app.openRooms.ensureTracked(room.id, read.getPersistenceReader(), persis);
        } catch (error) {
            this.app.getLogger().warn(`room ${room.id} could not be tracked for the missed-close sweep: ${describeError(error)}`);
        }
    }
}
