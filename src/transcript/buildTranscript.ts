/**
 * Builds the language-neutral Transcript of a Livechat room from the room and its messages as the
 * engine gives them, after a plain copy (src/lib/detach.ts). Pure and linear in the number of
 * messages (plus a sort, only when the messages do not arrive oldest first).
 *
 * The shapes below are the least this needs, structurally, so engine objects of every version
 * (ILivechatRoom / IMessage of 1.42, the IMessageRaw of paged reads, the fields Rocket.Chat sends
 * beyond the typed ones in `_unmappedProperties_`) can be passed as they are.
 */
import { absoluteUrl } from '../lib/absoluteUrl';
import { MediaAttachment } from '../lib/MediaAttachment';
import {
    EntryRole,
    Transcript,
    TranscriptAttachment,
    TranscriptEntry,
    TranscriptHeader,
} from './Transcript';

/** A date as the engine hands it (Date, possibly from another realm), or as JSON left it. */
export type DateLike = Date | string | number;

export interface PersonLike {
    id?: string;
    _id?: string;
    username?: string;
    name?: string;
}

/** Fields older engines do not map, which Rocket.Chat then leaves in `_unmappedProperties_`. */
export interface UnmappedRoomProperties {
    topic?: string;
    tags?: ReadonlyArray<string>;
    closer?: string;
    closedBy?: PersonLike;
    [key: string]: unknown;
}

export interface RoomLike {
    id: string;
    visitor?: {
        name?: string;
        username?: string;
        token?: string;
        visitorEmails?: ReadonlyArray<{ address?: string }>;
        phone?: ReadonlyArray<{ phoneNumber?: string }>;
    };
    visitorChannelInfo?: { phone?: string };
    department?: { id?: string; name?: string };
    servedBy?: PersonLike;
    createdAt?: DateLike;
    closedAt?: DateLike;
    /** Engine 1.45+: 'user' (an agent), 'visitor', or on newer servers 'bot'. */
    closer?: string;
    closedBy?: PersonLike;
    /** Room custom fields. */
    livechatData?: { [key: string]: unknown };
    /** Present when a server or sandbox maps them directly. */
    topic?: string;
    tags?: ReadonlyArray<string>;
    _unmappedProperties_?: UnmappedRoomProperties;
}

export interface AttachmentLike extends MediaAttachment {
    description?: string;
    text?: string;
}

/** What a transfer system message carries (Rocket.Chat's `transferData`, unmapped by the engine). */
export interface TransferDataLike {
    transferredTo?: PersonLike;
    nextDepartment?: { _id?: string; name?: string };
    comment?: string;
    scope?: string;
}

export interface MessageLike {
    id?: string;
    createdAt?: DateLike;
    text?: string;
    /** The name shown instead of the sender's (bots and integrations set it). */
    alias?: string;
    sender?: PersonLike & { type?: string; roles?: ReadonlyArray<string> };
    /** Set on messages of the visitor (and on system messages the visitor caused). */
    token?: string;
    /** The system message type on newer engines (1.66 `IMessage.type`). */
    type?: string;
    /** The raw system type, when a caller passes Rocket.Chat's own field. */
    t?: string;
    transferData?: TransferDataLike;
    _unmappedProperties_?: { t?: string; token?: string; transferData?: TransferDataLike; [key: string]: unknown };
    attachments?: ReadonlyArray<AttachmentLike>;
    file?: { _id?: string; name?: string; type?: string };
}

export interface BuildOptions {
    /** The server's Site_Url, the base of relative attachment links (`/file-upload/...`). */
    siteUrl: string;
}

const CLOSE_TYPE = 'livechat-close';
const TRANSFER_TYPE = 'livechat_transfer_history';

export function buildTranscript(
    room: RoomLike,
    messages: ReadonlyArray<MessageLike>,
    options: BuildOptions,
): Transcript {
    const unmapped: UnmappedRoomProperties = room._unmappedProperties_ ?? {};
    const visitor = room.visitor ?? {};
    const visitorName = str(visitor.name) || str(visitor.username);
    const visitorUsername = str(visitor.username);
    const siteUrl = str(options.siteUrl);

    const entries: TranscriptEntry[] = [];
    const agents: string[] = [];
    const agentKeys = new Set<string>();
    let closeComment: string | undefined;
    let closeEntry: { role: 'agent' | 'visitor' | 'bot'; name: string } | undefined;
    let sorted = true;
    let lastTime = -Infinity;
    let fallbackTime = toDate(room.createdAt)?.getTime() ?? 0;

    // By index: arrays handed across the engine's sandbox may refuse iteration.
    for (let i = 0; i < messages.length; i++) {
        const m = messages[i];
        if (!m || typeof m !== 'object') continue;
        const sender = m.sender ?? {};
        const mu = m._unmappedProperties_ ?? {};
        const systemType = str(m.type) || str(m.t) || str(mu.t);
        const hasToken = str(m.token) !== '' || str(mu.token) !== '';
        const senderUsername = str(sender.username);
        const isVisitorSender =
            hasToken ||
            (visitorUsername !== '' && senderUsername === visitorUsername) ||
            (str(sender.type) === 'unknown' && !(sender.roles && sender.roles.length > 0));

        let role: EntryRole;
        if (systemType) role = 'system';
        else if (isVisitorSender) role = 'visitor';
        else if (isBot(sender)) role = 'bot';
        else role = 'agent';

        const name = isVisitorSender
            ? str(m.alias) || str(sender.name) || visitorName || senderUsername
            : str(m.alias) || str(sender.name) || senderUsername;

        const created = toDate(m.createdAt);
        const time = created ? created.getTime() : fallbackTime;
        fallbackTime = time;
        if (time < lastTime) sorted = false;
        lastTime = time;

        let text = typeof m.text === 'string' ? m.text : '';
        const attachments = collectAttachments(m, siteUrl);
        if (text === '' && m.attachments && m.attachments.length > 0) {
            // An upload's caption lives in its attachment's description on many servers.
            text = str(m.attachments[0] && m.attachments[0].description);
        }

        const entry: TranscriptEntry = { at: new Date(time), role, name, text, attachments };
        if (role === 'system') {
            entry.systemType = systemType;
            if (systemType === CLOSE_TYPE) {
                if (text.trim() !== '') closeComment = text.trim();
                closeEntry = { role: isVisitorSender ? 'visitor' : isBot(sender) ? 'bot' : 'agent', name };
            } else if (systemType === TRANSFER_TYPE) {
                const transfer = m.transferData ?? mu.transferData;
                if (transfer && typeof transfer === 'object') {
                    const to = transfer.transferredTo
                        ? str(transfer.transferredTo.name) || str(transfer.transferredTo.username)
                        : '';
                    const target = to || str(transfer.nextDepartment && transfer.nextDepartment.name);
                    if (target) entry.transferredTo = target;
                    if (entry.text === '' && str(transfer.comment)) entry.text = str(transfer.comment);
                }
            }
        } else if (role === 'agent') {
            addAgent(agents, agentKeys, senderUsername || name, name || senderUsername);
        }
        entries.push(entry);
    }

    if (!sorted) {
        // Array.prototype.sort is stable (ES2019), so messages of the same instant keep their order.
        entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    }

    const servedBy = room.servedBy;
    if (servedBy && (str(servedBy.username) || str(servedBy.name))) {
        addAgent(agents, agentKeys, str(servedBy.username) || str(servedBy.name), str(servedBy.name) || str(servedBy.username));
    }

    const header: TranscriptHeader = {
        roomId: str(room.id),
        visitor: { name: visitorName },
        agents,
        tags: stringList(room.tags ?? unmapped.tags),
        customFields: customFields(room.livechatData),
    };
    const email = firstOf(visitor.visitorEmails, (e) => str(e && e.address));
    if (email) header.visitor.email = email;
    const phone = firstOf(visitor.phone, (p) => str(p && p.phoneNumber)) || str(room.visitorChannelInfo && room.visitorChannelInfo.phone);
    if (phone) header.visitor.phone = phone;
    if (str(visitor.token)) header.visitor.token = str(visitor.token);
    const department = str(room.department && room.department.name);
    if (department) header.department = department;
    const startedAt = toDate(room.createdAt) ?? (entries.length > 0 ? entries[0].at : undefined);
    if (startedAt) header.startedAt = startedAt;
    const closedAt = toDate(room.closedAt);
    if (closedAt) header.closedAt = closedAt;
    if (closeComment !== undefined) header.closeComment = closeComment;
    const topic = str(room.topic) || str(unmapped.topic);
    if (topic) header.topic = topic;

    // Who closed: the room's own fields (engine 1.45+, or unmapped on older ones), else the close message.
    const closer = str(room.closer) || str(unmapped.closer);
    const closedBy = room.closedBy ?? unmapped.closedBy;
    const closedByName = closedBy ? str(closedBy.name) || str(closedBy.username) : '';
    const closedByIsVisitor =
        closer === 'visitor' ||
        (!closer && closedBy !== undefined && visitorUsername !== '' && str(closedBy.username) === visitorUsername);
    const closedByRole: 'agent' | 'visitor' | 'bot' | undefined = closedByIsVisitor
        ? 'visitor'
        : closer === 'bot'
          ? 'bot'
          : closer === 'user' || closedByName
            ? 'agent'
            : closeEntry?.role;
    if (closedByRole) {
        const fromMessage = closeEntry && closeEntry.role !== 'visitor' ? closeEntry.name : '';
        setClosedBy(header, closedByRole, closedByRole === 'visitor' ? '' : closedByName || fromMessage);
    }

    return { header, entries };
}

function setClosedBy(header: TranscriptHeader, role: 'agent' | 'visitor' | 'bot', name: string): void {
    header.closedByRole = role;
    if (role === 'visitor') {
        header.closedBy = 'visitor';
        return;
    }
    if (name) header.closedByName = name;
    header.closedBy = name ? `${role} ${name}` : role;
}

function isBot(sender: { type?: string; roles?: ReadonlyArray<string> }): boolean {
    const type = str(sender.type);
    if (type === 'bot' || type === 'app') return true;
    const roles = sender.roles;
    if (roles) {
        for (let i = 0; i < roles.length; i++) if (roles[i] === 'bot') return true;
    }
    return false;
}

function addAgent(agents: string[], keys: Set<string>, key: string, display: string): void {
    if (!key || keys.has(key)) return;
    keys.add(key);
    agents.push(display);
}

/** The attachments of a message, with absolute http(s) links; an upload's `file` when there are none. */
function collectAttachments(m: MessageLike, siteUrl: string): TranscriptAttachment[] {
    const result: TranscriptAttachment[] = [];
    const list = m.attachments;
    const file = m.file;
    if (list) {
        for (let i = 0; i < list.length; i++) {
            const a = list[i];
            if (!a || typeof a !== 'object') continue;
            const link = str(a.title && a.title.link) || str(a.imageUrl) || str(a.audioUrl) || str(a.videoUrl);
            let title = str(a.title && a.title.value);
            if (!title && !link) continue; // quotes, message links, action buttons: no file to list
            if (!title && i === 0 && file) title = str(file.name);
            const attachment: TranscriptAttachment = { title };
            const url = link ? absoluteUrl(link, siteUrl) : undefined;
            if (url) attachment.url = url;
            const type = mimeType(a.imageType) || mimeType(a.audioType) || mimeType(a.videoType) || mimeType(a.type) ||
                (i === 0 && file ? mimeType(file.type) : '');
            if (type) attachment.type = type;
            result.push(attachment);
        }
    }
    if (result.length === 0 && file && (str(file._id) || str(file.name))) {
        const attachment: TranscriptAttachment = { title: str(file.name) };
        if (str(file._id) && str(file.name)) {
            const url = absoluteUrl(`/file-upload/${str(file._id)}/${encodeURIComponent(str(file.name))}`, siteUrl);
            if (url) attachment.url = url;
        }
        if (mimeType(file.type)) attachment.type = mimeType(file.type);
        result.push(attachment);
    }
    return result;
}

/** A MIME type (type/subtype); the attachment `type` field often says just "file". */
function mimeType(value: unknown): string {
    const s = str(value);
    return /^[\w.+-]+\/[\w.+-]+/.test(s) ? s : '';
}

/** A Date from a Date (of any realm), an ISO string or epoch milliseconds; undefined when invalid. */
export function toDate(value: unknown): Date | undefined {
    if (value === null || value === undefined || value === '') return undefined;
    let ms: number;
    if (typeof value === 'object' && typeof (value as Date).getTime === 'function') {
        ms = (value as Date).getTime();
    } else if (typeof value === 'string' || typeof value === 'number') {
        ms = new Date(value).getTime();
    } else if (typeof value === 'object' && typeof (value as { $date?: unknown }).$date !== 'undefined') {
        return toDate((value as { $date?: unknown }).$date); // EJSON, as some REST answers carry dates
    } else {
        return undefined;
    }
    return isFinite(ms) ? new Date(ms) : undefined;
}

function str(value: unknown): string {
    return typeof value === 'string' ? value.trim() : '';
}

function firstOf<T>(list: ReadonlyArray<T> | undefined, pick: (item: T) => string): string {
    if (!list) return '';
    for (let i = 0; i < list.length; i++) {
        const v = pick(list[i]);
        if (v) return v;
    }
    return '';
}

function stringList(value: unknown): string[] {
    const out: string[] = [];
    if (!value || typeof value !== 'object' || typeof (value as ArrayLike<unknown>).length !== 'number') return out;
    const list = value as ArrayLike<unknown>;
    for (let i = 0; i < list.length; i++) {
        const s = str(list[i]);
        if (s && out.indexOf(s) < 0) out.push(s);
    }
    return out;
}

function customFields(data: { [key: string]: unknown } | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!data || typeof data !== 'object') return out;
    const keys = Object.keys(data);
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === '__proto__') continue;
        const value = fieldValue(data[key]);
        if (value !== undefined) out[key] = value;
    }
    return out;
}

function fieldValue(value: unknown): string | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const date = toDate(value);
    if (date && typeof value === 'object' && typeof (value as Date).getTime === 'function') return date.toISOString();
    try {
        return JSON.stringify(value);
    } catch {
        return String(value);
    }
}
