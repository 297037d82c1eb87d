import { deliveryAdmins } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { validDeliveryId } from '../src/admin/adminCommand';
import { summarize } from '../src/admin/deliveryReport';
import { apiFailure } from '../src/lib/ApiFailure';

/**
 * `POST /admin.retry {"id": "<delivery id>"}`: a dead delivery is replayed, a waiting one is tried now.
 * 404 for an unknown id, 409 for a delivery that is done (it is never written twice).
 */
export class AdminRetryEndpoint extends JsonEndpoint {
    public path = 'admin.retry';
    /** Rocket.Chat authenticates the caller before the app is called. */
    public authRequired = true;
    protected readonly access = deliveryAdmins;

    protected readonly methods: Record<string, MethodSpec> = {
        post: {
            jsonBody: true,
            handle: async ({ body, read, persis, modify }) => {
                const id = (body as { id?: unknown } | undefined)?.id;
                if (!validDeliveryId(id)) {
                    throw apiFailure(400, 'id must be a delivery id as /admin.deliveries lists it, e.g. "helpdesk:<roomId>"');
                }
                const { outcome, record } = await this.services.outbox.retry({ read, persis, modify }, id);
                if (outcome === 'unknown' || !record) {
                    throw apiFailure(404, `There is no delivery ${id}`);
                }
                if (outcome === 'done') {
                    throw apiFailure(409, `${id} was delivered already; it is not written twice`);
                }
                this.services.getLogger().info(`admin.retry ${id}: ${outcome}`);
                return { status: 200, body: { id, outcome, delivery: summarize(record) } };
            },
        },
    };
}

