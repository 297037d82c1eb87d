import { createHmac } from 'crypto';
import { readHelpdeskSettings } from '../../../settings/HelpdeskSettings';
import { DeliveryHandler } from '../../delivery/DeliveryHandler';
import { permanentFailure, transientFailure } from '../../delivery/DeliveryFailure';
import { describeError } from '../../lib/redact';
import { excerpt, isRetryableStatus, isSuccessStatus, retryAfterMs } from '../../lib/http';
import { siteUrl } from '../../lib/siteUrl';
import { buildTranscript } from '../../transcript/buildTranscript';
import { loadConversation } from '../loadConversation';
import { ticketReferences } from '../references';
import { buildWebhookBody } from './webhookPayload';

export const WEBHOOK_KIND = 'helpdesk.webhook';

const TIMEOUT_MS = 30000;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, so a receiver can prove the body is ours and intact. */
export function signature(body: string, token: string): string {
    return `sha256=${createHmac('sha256', token).update(body, 'utf8').digest('hex')}`;
}

/**
 * One POST of the room's transcript to webhook_url. `Idempotency-Key: <room id>` lets the receiver
 * drop a retry; any 2xx is success and its `{"ticket": {id, number, url}}`, when present, is
 * recorded. 408, 429, 5xx, timeouts and connection errors retry (Retry-After honoured); any other
 * answer is a dead letter with the first 500 characters of the answer.
 */
export const deliverToWebhook: DeliveryHandler = async ({ payload }, acc) => {
    const roomId = String(payload.roomId ?? '');
    const settings = await readHelpdeskSettings(acc.read);
    const { url, token, maxKb } = settings.webhook;
    if (!/^https?:\/\/\S+$/i.test(url)) {
        throw permanentFailure('the webhook is not configured: set webhook_url to an http(s) URL');
    }
    const conversation = await loadConversation(acc.read, roomId);
    const transcript = buildTranscript(conversation.room as never, conversation.messages as never, { siteUrl: await siteUrl(acc.read) });
    const references = ticketReferences(conversation.topic, conversation.tags, settings.refsFrom);
    const renderOptions = { timeZone: settings.transcript.timeZone, locale: settings.transcript.locale, emojiShortcodes: settings.transcript.emojiShortcodes };
    const sized = buildWebhookBody(transcript, references, renderOptions, maxKb * 1024);

    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Idempotency-Key': roomId };
    if (token) {
        headers.Authorization = `Token ${token}`;
        headers['X-Ticket-Bridge-Signature'] = signature(sized.body, token);
    }
    let response;
    try {
        response = await acc.http.post(url, { content: sized.body, headers, timeout: TIMEOUT_MS });
    } catch (error) {
        throw transientFailure(`could not reach the webhook: ${describeError(error)}`);
    }
    if (!response) {
        throw permanentFailure('the HTTP call returned nothing: the app lacks the "networking" permission');
    }
    const status = response.statusCode;
    if (isSuccessStatus(status)) {
        const ticket = (response.data as { ticket?: { id?: unknown; number?: unknown; url?: unknown } } | undefined)?.ticket;
        return {
            helpdesk: 'webhook',
            status,
            bytes: sized.bytes,
            ...(sized.truncated ? { truncated: sized.truncated } : {}),
            tickets: ticket && typeof ticket === 'object'
                ? [{ id: ticket.id === undefined ? undefined : String(ticket.id), number: ticket.number === undefined ? undefined : String(ticket.number), url: typeof ticket.url === 'string' ? ticket.url : undefined }]
                : [],
        };
    }
    const reason = `webhook answered ${status}: ${excerpt(response.content, 500)}`;
    if (isRetryableStatus(status)) {
        throw transientFailure(reason, retryAfterMs(response.headers));
    }
    throw permanentFailure(reason);
};
