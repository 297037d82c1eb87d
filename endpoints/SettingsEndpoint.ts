import { platformSecret } from '../src/api/endpointAccess';
import { JsonEndpoint, MethodSpec } from '../src/api/JsonEndpoint';
import { readWebhookConfig, saveWebhookConfig } from '../src/rapidpro/WebhookConfig';
import { validateSettingsRequest } from '../src/rapidpro/validation';
import { validated } from './validated';

/**
 * `PUT /settings {"webhook":{"url"}}`: stores the platform's callback URL; answers exactly 204
 * (RapidPro treats anything else, 200 included, as a failed connection). `GET /settings` shows the
 * URL for diagnostics, never the secret.
 */
export class SettingsEndpoint extends JsonEndpoint {
    public path = 'settings';
    protected readonly access = platformSecret;

    protected readonly methods: Record<string, MethodSpec> = {
        put: {
            jsonBody: true,
            handle: async ({ body, persis }) => {
                const { webhookUrl } = validated(validateSettingsRequest(body));
                await saveWebhookConfig(persis, webhookUrl);
                return { status: 204 };
            },
        },
        get: {
            jsonBody: false,
            handle: async ({ read }) => {
                const config = await readWebhookConfig(read.getPersistenceReader());
                return { status: 200, body: { webhook: { url: config?.url ?? null } } };
            },
        },
    };
}
