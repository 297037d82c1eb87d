import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { AppServices } from '../src/AppServices';
import { detach } from '../src/lib/detach';
import { describeError } from '../src/lib/redact';
import { queueHelpdeskDelivery } from '../src/helpdesk/queueHelpdeskDelivery';
import { onPlatformRoomClosed } from '../src/rapidpro/roomClosed';

/** A Livechat room closed (agent, visitor, platform, bot or auto-close): queue what must follow. */
export class LivechatRoomClosedHandler {
    constructor(private readonly app: AppServices) {}

    public async run(room: ILivechatRoom, read: IRead, _http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
        if (!modify) {
            this.app.getLogger().error(`room ${room.id} closed, but the engine gave no modify accessor: nothing can be queued`);
            return;
        }
        const roomId = detach(room).id;
        const acc = { read, persis, modify };
        // Each independently: a failure to queue one must not keep the other from being queued.
        const queued = await Promise.allSettled([
            queueHelpdeskDelivery(roomId, this.app.outbox, acc),
            onPlatformRoomClosed(roomId, this.app.outbox, acc),
        ]);
        for (const outcome of queued) {
            if (outcome.status === 'rejected') {
                this.app.getLogger().error(`room ${roomId} closed, but a delivery could not be queued: ${describeError(outcome.reason)}`);
            }
        }
    }
}
