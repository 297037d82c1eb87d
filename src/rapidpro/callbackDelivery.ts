import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { readSettings } from '../../settings/AppSettings';
import { DeliveryHandler } from '../delivery/DeliveryHandler';
import { permanentFailure, transientFailure } from '../delivery/DeliveryFailure';
import { excerpt, isRetryableStatus, isSuccessStatus, retryAfterMs, sendJson } from '../lib/http';
import { readWebhookConfig } from './WebhookConfig';

export const AGENT_MESSAGE_KIND = 'rapidpro.agent-message';
export const CLOSE_ROOM_KIND = 'rapidpro.close-room';

/** mailroom answers within its own 15 s; a slow answer is treated as a failure and retried. */
const CALLBACK_TIMEOUT_MS = 10000;

/**
 * POSTs a callback body, stored in the delivery payload as `body`, to the platform's webhook with
 * `Authorization: Token <app secret>`. Any 2xx is success (the Ilhasoft app wanted exactly 200).
 * 408, 429, 5xx and network errors retry; other answers are permanent, with the answer in the reason.
 * mailroom's agent-message handling is not idempotent, so a retry happens only when no 2xx came back.
 */
export const sendCallback: DeliveryHandler = async ({ payload }, { read, http }) => {
    const settings = await readSettings(read);
    if (!settings.appSecret) {
        throw transientFailure('the app secret is not set, so callbacks cannot be authenticated');
    }
    const webhook = await readWebhookConfig(read.getPersistenceReader());
    if (!webhook) {
        throw permanentFailure('no callback URL: the platform has not called PUT /settings yet');
    }
    const response = await sendJson(http, {
        method: 'post',
        url: webhook.url,
        body: payload.body,
        headers: { Authorization: `Token ${settings.appSecret}` },
        timeoutMs: CALLBACK_TIMEOUT_MS,
    });
    if (isSuccessStatus(response.statusCode)) {
        return { status: response.statusCode };
    }
    const reason = `callback answered ${response.statusCode}: ${excerpt(response.content)}`;
    if (isRetryableStatus(response.statusCode)) {
        throw transientFailure(reason, retryAfterMs(response.headers));
    }
    if (response.statusCode === HttpStatusCode.UNAUTHORIZED) {
        throw permanentFailure(`${reason} (the platform does not accept the app secret)`);
    }
    throw permanentFailure(reason);
};
