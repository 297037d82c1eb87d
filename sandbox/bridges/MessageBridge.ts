import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { MessageBridge } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';
import { countCall, notEmulated, SandboxContext } from '../context';
import { fromAppAttachment, toAppMessage } from '../converters';

/** Messages an app sends as a user (its app user, usually), and private notifications. */
export class SandboxMessageBridge extends MessageBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async create(message: IMessage): Promise<string> {
        countCall(this.ctx, 'message.create');
        const room = message.room?.id ? this.ctx.world.rooms.get(message.room.id) : undefined;
        if (!room) {
            throw new Error('Invalid room provided on the message.');
        }
        const sender = message.sender?.id ? this.ctx.world.users.get(message.sender.id) : undefined;
        const raw = this.ctx.livechat.postMessage(room, {
            u: sender ? { _id: sender._id, username: sender.username, name: sender.name }
                : { _id: message.sender?.id ?? 'unknown', username: message.sender?.username ?? 'unknown' },
            msg: message.text ?? '',
            attachments: message.attachments?.map((a) => fromAppAttachment(a as unknown as Record<string, unknown>)),
            origin: 'app',
        });
        return raw._id;
    }

    protected async update(): Promise<void> {
        notEmulated('MessageBridge.update');
    }

    protected async notifyUser(user: IUser, message: IMessage): Promise<void> {
        this.ctx.notices.push({ userId: user.id, roomId: message.room?.id, text: message.text ?? '', at: new Date().toISOString() });
    }

    protected async notifyRoom(room: IRoom, message: IMessage): Promise<void> {
        this.ctx.notices.push({ userId: '*', roomId: room.id, text: message.text ?? '', at: new Date().toISOString() });
    }

    protected async typing(): Promise<void> {
        // Typing indicators have no observable effect here.
    }

    protected async getById(messageId: string): Promise<IMessage> {
        const found = this.ctx.world.findMessage(messageId);
        return (found ? toAppMessage(this.ctx.world, found) : undefined) as unknown as IMessage;
    }

    protected async delete(): Promise<void> {
        notEmulated('MessageBridge.delete');
    }
}
