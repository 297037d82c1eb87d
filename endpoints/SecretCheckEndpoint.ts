import { MethodSpec, PlatformEndpoint } from '../src/api/PlatformEndpoint';

/** `GET /secret.check`: 200 `{"status":"ok"}` when the secret is right; for people and monitoring. */
export class SecretCheckEndpoint extends PlatformEndpoint {
    public path = 'secret.check';

    protected readonly methods: Record<string, MethodSpec> = {
        get: { jsonBody: false, handle: async () => ({ status: 200, body: { status: 'ok' } }) },
    };
}

