import { deliveryAdmins } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { validRoomId } from '../src/admin/adminCommand';
import { roomReport } from '../src/admin/deliveryReport';
import { apiFailure } from '../src/lib/ApiFailure';

/** `GET /admin.room?roomId=<id>`: what a room produced (helpdesk write, platform callbacks) and whether its close is handled. */
export class AdminRoomEndpoint extends JsonEndpoint {
    public path = 'admin.room';
    /** Rocket.Chat authenticates the caller before the app is called. */
    public authRequired = true;
    protected readonly access = deliveryAdmins;

    protected readonly methods: Record<string, MethodSpec> = {
        get: {
            jsonBody: false,
            handle: async ({ query, read }) => {
                if (!validRoomId(query.roomId)) {
                    throw apiFailure(400, 'roomId must be given as a query parameter (a Rocket.Chat room id)');
                }
                return { status: 200, body: await roomReport(read, query.roomId) };
            },
        },
    };
}
