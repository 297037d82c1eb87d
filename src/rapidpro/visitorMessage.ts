/**
 * Turns a validated `POST /visitor-message` body into the text and attachments the app posts into
 * the Livechat room as the visitor (fed to the engine's livechat message builder: `setText`,
 * `setAttachments`).
 *
 * Why (contract shared/contracts/rapidpro.md §3.4 REC, §8 item 7): [T] rendered only images and
 * wrote every other attachment into the text, each overwriting the last, so with several
 * attachments all but one were lost. Here EVERY attachment is kept:
 * - image/*  -> inline image (`imageUrl`);
 * - audio/*  -> audio player (`audioUrl`), and its URL listed in the text;
 * - video/*  -> video player (`videoUrl`), and its URL listed in the text;
 * - geo      -> "<lat>,<lng> <OpenStreetMap link>" in the text, plus a titled link attachment;
 * - anything else (documents) -> a titled link (file name from the URL), and its URL in the text.
 * The text is the visitor's text first, then one line per non-image attachment, so nothing is lost
 * even when a client (mobile app, transcript, helpdesk export) does not render attachments.
 * Images are not listed in the text: every Rocket.Chat client renders `imageUrl`.
 */
import type { IMessageAttachment } from '@rocket.chat/apps-engine/definition/messages/IMessageAttachment';
import { URL } from 'url';

import type { VisitorAttachment } from './validation';
import { parseGeoCoordinates } from './validation';

/**
 * IMessageAttachment plus the media MIME fields Rocket.Chat stores beside the media URL
 * (`image_type`, `audio_type`, `video_type`; the engine's converter maps them both ways although
 * engine 1.42's type does not declare them). Clients use them for `<source type>`.
 */
export interface VisitorMessageAttachment extends IMessageAttachment {
    imageType?: string;
    audioType?: string;
    videoType?: string;
}

export interface VisitorMessageContent {
    text: string;
    attachments: VisitorMessageAttachment[];
}

export interface VisitorMessageInput {
    text?: string;
    attachments: ReadonlyArray<VisitorAttachment>;
}

export type AttachmentKind = 'image' | 'audio' | 'video' | 'geo' | 'document';

export function buildVisitorMessageContent(message: VisitorMessageInput): VisitorMessageContent {
    const lines: string[] = [];
    if (message.text !== undefined && message.text.trim() !== '') {
        lines.push(message.text);
    }
    const attachments: VisitorMessageAttachment[] = [];
    for (const attachment of message.attachments) {
        const rendered = renderAttachment(attachment);
        attachments.push(rendered.attachment);
        if (rendered.line !== undefined) {
            lines.push(rendered.line);
        }
    }
    return { text: lines.join('\n'), attachments };
}

/** The MIME major type decides; a bare `image`/`audio`/`video` (as other RapidPro apps send) works too. */
export function classifyAttachment(type: string): AttachmentKind {
    const normalized = type.trim().toLowerCase();
    if (normalized === 'geo') {
        return 'geo';
    }
    const major = normalized.split('/')[0];
    if (major === 'image' || major === 'audio' || major === 'video') {
        return major;
    }
    return 'document';
}

/** `https://www.openstreetmap.org/?mlat=<lat>&mlon=<lng>`: a marker on the map, no API key needed. */
export function openStreetMapUrl(latitude: string, longitude: string): string {
    return `https://www.openstreetmap.org/?mlat=${encodeURIComponent(latitude)}&mlon=${encodeURIComponent(longitude)}`;
}

/** Last path segment of the URL, percent-decoded; falls back to the host, then to the URL itself. */
export function fileNameFromUrl(url: string): string {
    try {
        const parsed = new URL(url);
        const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
        const last = segments.length > 0 ? segments[segments.length - 1] : '';
        if (last !== '') {
            try {
                return decodeURIComponent(last);
            } catch {
                return last; // malformed percent-encoding: show it raw rather than fail
            }
        }
        return parsed.hostname || url;
    } catch {
        return url;
    }
}

interface RenderedAttachment {
    attachment: VisitorMessageAttachment;
    /** The line added to the text, if this kind is listed there. */
    line?: string;
}

function renderAttachment(source: VisitorAttachment): RenderedAttachment {
    const kind = classifyAttachment(source.type);
    const mime = source.type.indexOf('/') > 0 ? source.type : undefined;
    if (kind === 'geo') {
        return renderGeo(source.url);
    }
    const title = { value: fileNameFromUrl(source.url), link: source.url };
    switch (kind) {
        case 'image':
            return { attachment: withOptional({ title, imageUrl: source.url }, 'imageType', mime) };
        case 'audio':
            return { attachment: withOptional({ title, audioUrl: source.url }, 'audioType', mime), line: source.url };
        case 'video':
            return { attachment: withOptional({ title, videoUrl: source.url }, 'videoType', mime), line: source.url };
        default:
            return { attachment: { title: { ...title, displayDownloadLink: true } }, line: source.url };
    }
}

function renderGeo(url: string): RenderedAttachment {
    const coordinates = parseGeoCoordinates(url);
    // Validation already guarantees well-formed coordinates; stay total anyway and keep the raw value.
    if (!coordinates) {
        return { attachment: { title: { value: url } }, line: url };
    }
    const { latitude, longitude } = coordinates;
    const mapUrl = openStreetMapUrl(latitude, longitude);
    return {
        attachment: { title: { value: `${latitude},${longitude}`, link: mapUrl } },
        line: `${latitude},${longitude} ${mapUrl}`,
    };
}

function withOptional(
    attachment: VisitorMessageAttachment,
    key: 'imageType' | 'audioType' | 'videoType',
    value: string | undefined,
): VisitorMessageAttachment {
    return value === undefined ? attachment : { ...attachment, [key]: value };
}
