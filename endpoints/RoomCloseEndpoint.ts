import { platformSecret } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { closeFromPlatform } from '../src/rapidpro/closeFromPlatform';
import { validateRoomCloseRequest } from '../src/rapidpro/validation';
import { validated } from './validated';

/** `GET /room.close` (JSON body): the platform closes its ticket's room -> 204, also when already closed. */
export class RoomCloseEndpoint extends JsonEndpoint {
    public path = 'room.close';
    protected readonly access = platformSecret;

    protected readonly methods: Record<string, MethodSpec> = {
        get: {
            jsonBody: true,
            handle: async ({ body, read, modify, persis }) => {
                const request = validated(validateRoomCloseRequest(body));
                await closeFromPlatform(request.visitor.token, { read, modify, persis });
                return { status: 204 };
            },
        },
    };
}
