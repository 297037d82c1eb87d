/**
 * Bodies of the app -> platform callbacks, exactly as the contract's §4.1 shows them
 * (shared/contracts/rapidpro.md). Key order follows the contract: type, ticketID, visitor, data.
 * mailroom reads only `type`, `ticketID`, `data.text` and `data.attachments[].url` (§1), but the
 * whole shape is kept byte-compatible with the Ilhasoft app.
 *
 * Fixes over [T] (§4.1, §8 item 7):
 * - an attachment without a usable link (e.g. a quoted message) is skipped instead of throwing, so
 *   the text is always sent;
 * - every document is sent (type = the file's MIME type, else "document"), not only PDFs;
 * - URLs are built with a normalised Site_Url (no `//` when Site_Url ends with a slash).
 */

import { absoluteUrl } from '../lib/absoluteUrl';
import { MediaAttachment } from '../lib/MediaAttachment';

export interface CloseRoomCallback {
    type: 'close-room';
    ticketID: string;
    visitor: { token: string };
}

export interface CallbackAttachment {
    /** A MIME type (`image/png`, `application/pdf`) or `"document"`. mailroom ignores it (§4.3). */
    type: string;
    /** Absolute URL mailroom downloads with its admin token (§4.3). */
    url: string;
}

export interface AgentMessageCallback {
    type: 'agent-message';
    ticketID: string;
    visitor: { token: string };
    data: {
        text: string;
        /** Present only when at least one attachment could be turned into an absolute URL. */
        attachments?: CallbackAttachment[];
    };
}

/** The parts of an engine message attachment this module reads. */
export interface AgentAttachmentLike extends MediaAttachment {
    /** Raw Rocket.Chat spelling of the title link, in case a caller passes unconverted data. */
    titleLink?: string;
    /** `message_link` of a quoted message; such attachments carry no file. */
    timestampLink?: string;
}

/** The parts of the uploaded file an engine message carries (IMessageFile is assignable). */
export interface AgentFileLike {
    _id?: string;
    name?: string;
    type?: string;
}

export interface AgentMessageCallbackInput {
    ticketID: string;
    token: string;
    /** Message text; undefined or empty for a file-only message. */
    text?: string;
    file?: AgentFileLike;
    attachments?: ReadonlyArray<AgentAttachmentLike>;
    /** Rocket.Chat's `Site_Url` setting, e.g. `https://rc.example.com` or `https://rc.example.com/`. */
    siteUrl: string;
}

export function buildCloseRoomCallback(ticketID: string, token: string): CloseRoomCallback {
    return { type: 'close-room', ticketID, visitor: { token } };
}

/**
 * @param convertShortcodes turns `:shortcodes:` into Unicode emoji (§4.1: the contact's channel does
 *   not know Rocket.Chat's shortcodes). Passed in so this module stays free of the emoji table.
 */
export function buildAgentMessageCallback(
    input: AgentMessageCallbackInput,
    convertShortcodes: (text: string) => string,
): AgentMessageCallback {
    const rawText = input.text ?? '';
    const text = rawText === '' ? '' : convertShortcodes(rawText);
    const attachments = toCallbackAttachments(input.attachments ?? [], input.file, input.siteUrl);
    const data: AgentMessageCallback['data'] = attachments.length > 0 ? { text, attachments } : { text };
    return { type: 'agent-message', ticketID: input.ticketID, visitor: { token: input.token }, data };
}

/** Attachments that cannot give an absolute http(s) URL are left out (never thrown on). */
export function toCallbackAttachments(
    attachments: ReadonlyArray<AgentAttachmentLike>,
    file: AgentFileLike | undefined,
    siteUrl: string,
): CallbackAttachment[] {
    const result: CallbackAttachment[] = [];
    for (const attachment of attachments) {
        const link = pickLink(attachment);
        if (link === undefined) {
            continue;
        }
        const url = absoluteAttachmentUrl(siteUrl, link);
        if (url === undefined) {
            continue;
        }
        result.push({ type: pickType(attachment, link, file), url });
    }
    return result;
}

/**
 * An absolute http(s) URL for `link`: kept as is when already absolute, otherwise joined to
 * `siteUrl` with exactly one slash. Undefined when no absolute http(s) URL can be made (a relative
 * link with an empty or non-http Site_Url, or another scheme such as `data:`): mailroom could not
 * download it and would then drop the whole message, text included (§4.3 step 5).
 */
export function absoluteAttachmentUrl(siteUrl: string, link: string): string | undefined {
    return absoluteUrl(link, siteUrl);
}

/** The file itself first (title link = original upload), then the media URL (may be a thumbnail). */
function pickLink(attachment: AgentAttachmentLike): string | undefined {
    const titleLink = nonEmpty(attachment.title?.link) ?? nonEmpty(attachment.titleLink);
    if (titleLink === undefined && nonEmpty(attachment.timestampLink) !== undefined) {
        return undefined; // a quoted message, not a file
    }
    return (
        titleLink ?? nonEmpty(attachment.imageUrl) ?? nonEmpty(attachment.audioUrl) ?? nonEmpty(attachment.videoUrl)
    );
}

function pickType(attachment: AgentAttachmentLike, link: string, file: AgentFileLike | undefined): string {
    const mediaType =
        nonEmpty(attachment.imageType) ?? nonEmpty(attachment.audioType) ?? nonEmpty(attachment.videoType);
    if (mediaType !== undefined) {
        return mediaType;
    }
    const fileType = nonEmpty(file?.type);
    if (fileType !== undefined && isAttachmentOfFile(attachment, link, file)) {
        return fileType;
    }
    return 'document';
}

/** The upload's attachment has `type: 'file'`; a link naming the file id identifies it as well. */
function isAttachmentOfFile(attachment: AgentAttachmentLike, link: string, file: AgentFileLike | undefined): boolean {
    if (attachment.type === 'file') {
        return true;
    }
    const fileId = nonEmpty(file?._id);
    return fileId !== undefined && link.indexOf(`/${fileId}/`) >= 0;
}

function nonEmpty(value: string | undefined): string | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
}
