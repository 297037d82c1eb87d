import { RenderOptions, Transcript, TranscriptEntry } from '../../transcript/Transcript';
import { renderHtml, renderText } from '../../transcript/render';

/** The JSON body of the webhook adapter, version 1 (schema in the README). */
export interface WebhookPayload {
    type: 'livechat-transcript';
    version: 1;
    room: {
        id: string;
        topic: string | null;
        tags: string[];
        department: string | null;
        createdAt: string | null;
        closedAt: string | null;
        closedBy: string | null;
        closeComment: string | null;
        customFields: Record<string, string>;
    };
    visitor: { token: string | null; name: string; email: string | null; phone: string | null };
    agents: string[];
    references: string[];
    messages: Array<{
        at: string;
        from: { role: TranscriptEntry['role']; name: string };
        text: string;
        attachments: Array<{ type: string | null; url: string | null; title: string }>;
    }>;
    transcript: { text: string; html: string | null };
    /** Present only when the body had to be made smaller to fit webhook_max_kb. */
    truncated?: { htmlDropped: boolean; messagesRemoved: number };
}

export interface SizedBody {
    body: string;
    bytes: number;
    truncated?: WebhookPayload['truncated'];
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

function toPayload(transcript: Transcript, references: string[], options: RenderOptions, withHtml: boolean, truncated?: WebhookPayload['truncated']): WebhookPayload {
    const { header } = transcript;
    return {
        type: 'livechat-transcript',
        version: 1,
        room: {
            id: header.roomId,
            topic: header.topic ?? null,
            tags: [...header.tags],
            department: header.department ?? null,
            createdAt: iso(header.startedAt),
            closedAt: iso(header.closedAt),
            closedBy: header.closedBy ?? null,
            closeComment: header.closeComment ?? null,
            customFields: { ...header.customFields },
        },
        visitor: { token: header.visitor.token ?? null, name: header.visitor.name, email: header.visitor.email ?? null, phone: header.visitor.phone ?? null },
        agents: [...header.agents],
        references: references.map((number) => `#${number}`),
        messages: transcript.entries.map((entry) => ({
            at: entry.at.toISOString(),
            from: { role: entry.role, name: entry.name },
            text: entry.text,
            attachments: entry.attachments.map((a) => ({ type: a.type ?? null, url: a.url ?? null, title: a.title })),
        })),
        transcript: { text: renderText(transcript, options), html: withHtml ? renderHtml(transcript, options) : null },
        ...(truncated ? { truncated } : {}),
    };
}

/** UTF-8 length without Buffer or TextEncoder (not every engine runtime exposes them). */
export function utf8Length(text: string): number {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 0x80) bytes += 1;
        else if (code < 0x800) bytes += 2;
        else if (code >= 0xd800 && code <= 0xdbff) { bytes += 4; i++; }
        else bytes += 3;
    }
    return bytes;
}

/** The first and last messages kept, a note where the middle was. */
function withoutMiddle(transcript: Transcript, keep: number): Transcript {
    const entries = transcript.entries;
    const removed = entries.length - keep;
    const head = entries.slice(0, Math.ceil(keep / 2));
    const tail = entries.slice(entries.length - Math.floor(keep / 2));
    const at = head.length ? head[head.length - 1].at : entries.length ? entries[0].at : new Date();
    const note: TranscriptEntry = {
        at,
        role: 'system',
        name: 'Ticket Bridge',
        text: `${removed} messages were cut from the middle to fit the webhook size limit`,
        attachments: [],
        systemType: 'ticket-bridge-cut',
    };
    return { header: transcript.header, entries: [...head, note, ...tail] };
}

/**
 * The body, made to fit `maxBytes`: the whole payload if it fits; else without the HTML transcript;
 * else without as few messages from the middle as needed (a binary search over how many to keep,
 * each step linear). Never fails: even with no message left the body is sent.
 */
export function buildWebhookBody(transcript: Transcript, references: string[], options: RenderOptions, maxBytes: number): SizedBody {
    const sized = (payload: WebhookPayload): SizedBody => {
        const body = JSON.stringify(payload);
        return { body, bytes: utf8Length(body), ...(payload.truncated ? { truncated: payload.truncated } : {}) };
    };
    const full = sized(toPayload(transcript, references, options, true));
    if (full.bytes <= maxBytes) return full;
    const noHtml = sized(toPayload(transcript, references, options, false, { htmlDropped: true, messagesRemoved: 0 }));
    if (noHtml.bytes <= maxBytes) return noHtml;

    const total = transcript.entries.length;
    const attempt = (keep: number) => sized(toPayload(withoutMiddle(transcript, keep), references, options, false, { htmlDropped: true, messagesRemoved: total - keep }));
    let low = 0;
    let high = total - 1;
    let best = attempt(0);
    while (low <= high) {
        const middle = Math.floor((low + high) / 2);
        const candidate = attempt(middle);
        if (candidate.bytes <= maxBytes) {
            best = candidate;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return best;
}
