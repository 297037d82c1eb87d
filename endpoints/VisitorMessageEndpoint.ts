import { platformSecret } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { forwardVisitorMessage } from '../src/rapidpro/forwardVisitorMessage';
import { validateVisitorMessageRequest } from '../src/rapidpro/validation';
import { validated } from './validated';

/** `POST /visitor-message`: the contact's message, as the visitor, into the open room -> 201 `{"id"}`. */
export class VisitorMessageEndpoint extends JsonEndpoint {
    public path = 'visitor-message';
    protected readonly access = platformSecret;

    protected readonly methods: Record<string, MethodSpec> = {
        post: {
            jsonBody: true,
            handle: async ({ body, read, modify, persis }) => {
                const request = validated(validateVisitorMessageRequest(body));
                const id = await forwardVisitorMessage(request, this.services.outbox, { read, modify, persis });
                return { status: 201, body: { id } };
            },
        },
    };
}
