import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { AppServices } from '../src/AppServices';
import { detach } from '../src/lib/detach';
import { describeError } from '../src/lib/redact';

/** A Livechat room started: remember it, so that its close is delivered even if the app misses the event. */
export class LivechatRoomStartedHandler {
    constructor(private readonly app: AppServices) {}

    public async run(room: ILivechatRoom, persis: IPersistence): Promise<void> {
        const roomId = detach(room).id;
        try {
            await this.app.openRooms.track(roomId, persis);
        } catch (error) {
            this.app.getLogger().warn(`room ${roomId} started, but could not be tracked for the missed-close sweep: ${describeError(error)}`);
        }
    }
}
