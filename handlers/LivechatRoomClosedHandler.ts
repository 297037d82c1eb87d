import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { AppServices } from '../src/AppServices';
import { detach } from '../src/lib/detach';
import { describeError } from '../src/lib/redact';
import { onPlatformRoomClosed } from '../src/rapidpro/roomClosed';

/** A Livechat room closed (agent, visitor, platform, bot or auto-close): queue what must follow. */
export class LivechatRoomClosedHandler {
    constructor(private readonly app: AppServices) {}

    public async run(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
        if (!modify) {
            this.app.getLogger().error(`room ${room.id} closed, but the engine gave no modify accessor: nothing can be queued`);
            return;
        }
        try {
            await onPlatformRoomClosed(detach(room).id, this.app.outbox, { read, persis, modify });
        } catch (error) {
            this.app.getLogger().error(`room ${room.id} closed, but its deliveries could not be queued: ${describeError(error)}`);
        }
    }
}
