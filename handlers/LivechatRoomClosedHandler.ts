import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { AppServices } from '../src/AppServices';
import { detach } from '../src/lib/detach';
import { describeError } from '../src/lib/redact';
import { queueClosedRoom } from '../src/rooms/closedRoom';

/** A Livechat room closed (agent, visitor, platform, bot or auto-close): queue what must follow. */
export class LivechatRoomClosedHandler {
    constructor(private readonly app: AppServices) {}

    public async run(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
        const roomId = detach(room).id;
        if (!modify) {
            this.app.getLogger().error(`room ${roomId} closed, but the engine gave no modify accessor: left to the missed-close sweep`);
            return;
        }
        for (const reason of await queueClosedRoom(roomId, this.app, { read, persis, modify })) {
            this.app.getLogger().error(`room ${roomId} closed, but a delivery could not be queued (the missed-close sweep retries): ${describeError(reason)}`);
        }
    }
}
