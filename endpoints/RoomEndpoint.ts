import { platformSecret } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { openRoom } from '../src/rapidpro/openRoom';
import { validateRoomRequest } from '../src/rapidpro/validation';
import { validated } from './validated';

/** `GET /room` (JSON body): opens the Livechat room of a platform ticket -> 201 `{"id": roomId}`. */
export class RoomEndpoint extends JsonEndpoint {
    public path = 'room';
    protected readonly access = platformSecret;

    protected readonly methods: Record<string, MethodSpec> = {
        get: {
            jsonBody: true,
            handle: async ({ body, read, modify, persis }) => {
                const request = validated(validateRoomRequest(body));
                const { roomId } = await openRoom(request, {
                    read, modify, persis,
                    logger: this.services.getLogger(),
                    outbox: this.services.outbox,
                    appId: this.services.getID(),
                    appName: this.services.getName(),
                });
                // The same answer for a retry of the same ticket, so a platform's retry is harmless.
                return { status: 201, body: { id: roomId } };
            },
        },
    };
}
