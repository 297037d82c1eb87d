import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppServices } from '../src/AppServices';
import { onMessageSent } from '../src/rapidpro/agentMessage';
import { describeError } from '../src/lib/redact';

/** A message was saved: an agent's reply in a platform ticket's room goes back to the platform. */
export class PostMessageSentHandler {
    constructor(private readonly app: AppServices) {}

    public async run(message: IMessage, read: IRead, _http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
        try {
            await onMessageSent(message, this.app.outbox, { read, persis, modify });
        } catch (error) {
            this.app.getLogger().error(`message ${message.id} could not be queued for the platform: ${describeError(error)}`);
        }
    }
}
