import { deliveryAdmins } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';

/** `POST /admin.retry-dead`: every dead delivery is queued again, attempts counted from zero. */
export class AdminRetryDeadEndpoint extends JsonEndpoint {
    public path = 'admin.retry-dead';
    /** Rocket.Chat authenticates the caller before the app is called. */
    public authRequired = true;
    protected readonly access = deliveryAdmins;

    protected readonly methods: Record<string, MethodSpec> = {
        post: {
            jsonBody: false,
            handle: async ({ read, persis, modify }) => {
                const replayed = await this.services.outbox.replayDead({ read, persis, modify });
                this.services.getLogger().info(`admin.retry-dead: ${replayed} dead deliveries queued again`);
                return { status: 200, body: { replayed } };
            },
        },
    };
}
