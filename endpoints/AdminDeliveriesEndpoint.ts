import { deliveryAdmins } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { deliveryOverview } from '../src/admin/deliveryReport';

/** `GET /admin.deliveries`: pending and dead deliveries with attempts and reasons, and the last missed-close sweep. */
export class AdminDeliveriesEndpoint extends JsonEndpoint {
    public path = 'admin.deliveries';
    /** Rocket.Chat authenticates the caller before the app is called. */
    public authRequired = true;
    protected readonly access = deliveryAdmins;

    protected readonly methods: Record<string, MethodSpec> = {
        get: { jsonBody: false, handle: async ({ read }) => ({ status: 200, body: await deliveryOverview(read) }) },
    };
}
