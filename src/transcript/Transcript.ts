/**
 * A Livechat conversation as every helpdesk adapter receives it: a header about the room and its
 * people, then every entry oldest first. Built from the engine's room and messages by
 * `buildTranscript`, rendered by `renderText` / `renderHtml`.
 */
export type EntryRole = 'visitor' | 'agent' | 'bot' | 'system';

export interface TranscriptAttachment {
    title: string;
    /** Absolute (Site_Url + link) http(s) URL; attachments without one are listed by title only. */
    url?: string;
    /** MIME type when known (image/png, application/pdf, ...). */
    type?: string;
}

export interface TranscriptEntry {
    at: Date;
    role: EntryRole;
    /** Display name of the sender (agent name, visitor name, bot name); for system entries, who acted. */
    name: string;
    /** Chat text as written (not escaped: renderers escape). For system entries, a short note. */
    text: string;
    attachments: TranscriptAttachment[];
    /** The Rocket.Chat system message type for role 'system' (livechat_transfer_history, ...). */
    systemType?: string;
    /** For a transfer (livechat_transfer_history): the agent or department it went to, when known. */
    transferredTo?: string;
}

export interface TranscriptHeader {
    roomId: string;
    visitor: { name: string; email?: string; phone?: string; token?: string };
    department?: string;
    /** Every agent who wrote or served the room, in order of first appearance. */
    agents: string[];
    startedAt?: Date;
    closedAt?: Date;
    /** "agent <name>", "visitor", or undefined when unknown. */
    closedBy?: string;
    /** Who closed, as data for renderers that localise: the role ... */
    closedByRole?: 'agent' | 'visitor' | 'bot';
    /** ... and the display name (agents and bots; the visitor's name is in `visitor`). */
    closedByName?: string;
    closeComment?: string;
    tags: string[];
    topic?: string;
    /** Room custom fields (livechatData), key -> value. */
    customFields: Record<string, string>;
}

export interface Transcript {
    header: TranscriptHeader;
    entries: TranscriptEntry[];
}

export interface RenderOptions {
    /** IANA zone, e.g. "America/Sao_Paulo"; invalid zones fall back to UTC. */
    timeZone: string;
    /** "pt-BR" (dd/MM/yyyy HH:mm), "en", "es": date format and header labels. */
    locale: string;
    /** Turn 4-byte emoji into :shortcodes: (helpdesks on MySQL lose them). */
    emojiShortcodes: boolean;
    /** Told once per render when `timeZone` is not a valid IANA zone (UTC is used instead). */
    onInvalidZone?: (zone: string) => void;
}
