import { platformSecret } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';

/** `GET /secret.check`: 200 `{"status":"ok"}` when the secret is right; for people and monitoring. */
export class SecretCheckEndpoint extends JsonEndpoint {
    public path = 'secret.check';
    protected readonly access = platformSecret;

    protected readonly methods: Record<string, MethodSpec> = {
        get: { jsonBody: false, handle: async () => ({ status: 200, body: { status: 'ok' } }) },
    };
}

