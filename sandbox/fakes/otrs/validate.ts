/**
 * TicketCreate / TicketUpdate input checks, in Znuny's order and with its messages (§3, §4, §6).
 * Messages the contract quotes are verbatim; the others follow Znuny 7's Ticket operations.
 * A check answers null (fine), an `error` (HTTP 200 `{"Error": ...}`), or a `fault` (HTTP 500): Znuny
 * answers a few malformed items without an ErrorCode, and the provider turns that into a fault.
 */
import {
    ARTICLE_TYPES,
    AUTO_RESPONSE_TYPES,
    CHANNELS,
    findInsensitive,
    HISTORY_TYPES,
    LOCKS,
    ROOT_USER,
    SENDER_TYPES,
    TICKET_TYPES,
} from './config';
import type { Identity, OtrsStore } from './store';
import {
    charsetOf,
    isArrayRefWithData,
    isHashRefWithData,
    isStringWithData,
    mimeTypeOf,
    perlNumber,
    perlTrue,
    scalar,
    trimScalars,
    validateFrom,
    validCharset,
    validMimeType,
} from './text';

export type Op = 'TicketCreate' | 'TicketUpdate';
export interface OtrsError {
    ErrorCode: string;
    ErrorMessage: string;
}
export type Check = { error: OtrsError } | { fault: string } | null;

export function error(code: string, message: string): { error: OtrsError } {
    return { error: { ErrorCode: code, ErrorMessage: message } };
}

const missing = (op: Op, message: string) => error(`${op}.MissingParameter`, `${op}: ${message}`);
const invalid = (op: Op, message: string) => error(`${op}.InvalidParameter`, `${op}: ${message}`);

// ---- lookups against the fake's tables ----

export function queueExists(store: OtrsStore, ticket: Record<string, unknown>): boolean {
    if (perlTrue(ticket.Queue) && !perlTrue(ticket.QueueID)) {
        // QueueGet(Name => ...) runs SQL: case-insensitive on MySQL (§7: `livechat` passes validation).
        return findInsensitive(store.setup.queues, scalar(ticket.Queue)) !== undefined;
    }
    return idInRange(ticket.QueueID, store.setup.queues.length);
}

export function resolveState(store: OtrsStore, ticket: Record<string, unknown>): string | undefined {
    if (perlTrue(ticket.StateID)) return store.setup.states[perlNumber(ticket.StateID) - 1];
    return findInsensitive(store.setup.states, scalar(ticket.State)); // §7: state names are not case-sensitive
}

export function resolvePriority(store: OtrsStore, ticket: Record<string, unknown>): string | undefined {
    if (perlTrue(ticket.PriorityID)) return store.setup.priorities[perlNumber(ticket.PriorityID) - 1];
    const name = scalar(ticket.Priority);
    return store.setup.priorities.includes(name) ? name : undefined; // §7: case-sensitive (`normal` is invalid)
}

/** The agent a Owner/OwnerID (or Responsible) names: [UserID, login], or undefined. */
export function resolveUser(store: OtrsStore, id: unknown, login: unknown): [number, string] | undefined {
    if (perlTrue(id)) {
        const userId = perlNumber(id);
        if (userId === ROOT_USER.UserID) return [userId, ROOT_USER.login];
        const agent = store.agentById(userId);
        return agent ? [userId, agent.login] : undefined;
    }
    const name = scalar(login);
    if (name.toLowerCase() === ROOT_USER.login) return [ROOT_USER.UserID, ROOT_USER.login];
    const agent = store.agentByLogin(name);
    return agent ? [store.agentId(agent), agent.login] : undefined;
}

function idInRange(id: unknown, count: number): boolean {
    const text = scalar(id);
    return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= count;
}

/** ValidateCustomer: an existing customer login, or else a valid e-mail address (§3). */
function validCustomer(store: OtrsStore, customerUser: string): boolean {
    if (customerUser === '') return false;
    if (store.customerByLogin(customerUser)) return true;
    return validateFrom(customerUser);
}

/** The channel name an article names (ID wins), or undefined. */
export function resolveChannel(article: Record<string, unknown>): string | undefined {
    if (perlTrue(article.CommunicationChannelID)) {
        return CHANNELS.find(([id]) => String(id) === scalar(article.CommunicationChannelID))?.[1];
    }
    return findInsensitive(
        CHANNELS.map(([, name]) => name),
        scalar(article.CommunicationChannel),
    );
}

export function resolveSenderType(article: Record<string, unknown>): string | undefined {
    if (perlTrue(article.SenderTypeID)) return SENDER_TYPES[perlNumber(article.SenderTypeID) - 1];
    const name = scalar(article.SenderType);
    return SENDER_TYPES.includes(name) ? name : undefined;
}

export function resolveArticleType(article: Record<string, unknown>): string | undefined {
    if (perlTrue(article.ArticleTypeID)) return ARTICLE_TYPES[perlNumber(article.ArticleTypeID) - 1];
    const name = scalar(article.ArticleType);
    return ARTICLE_TYPES.includes(name) ? name : undefined;
}

// ---- Ticket ----

/** TicketCreate::_CheckTicket (`create`) or TicketUpdate::_CheckTicket (`update`: every field optional). */
export function checkTicket(op: Op, store: OtrsStore, ticket: Record<string, unknown>): Check {
    const creating = op === 'TicketCreate';
    if (creating) {
        for (const needed of ['Title', 'CustomerUser']) {
            if (!perlTrue(ticket[needed])) return missing(op, `Ticket->${needed} parameter is missing!`);
        }
    }
    if ((creating || perlTrue(ticket.CustomerUser)) && !validCustomer(store, scalar(ticket.CustomerUser))) {
        return invalid(op, 'Ticket->CustomerUser parameter is invalid!');
    }
    const hasQueue = perlTrue(ticket.QueueID) || perlTrue(ticket.Queue);
    if (creating && !hasQueue) return missing(op, 'Ticket->QueueID or Ticket->Queue parameter is required!');
    if (hasQueue && !queueExists(store, ticket)) return invalid(op, 'Ticket->QueueID or Ticket->Queue parameter is invalid!');

    if (perlTrue(ticket.LockID) || perlTrue(ticket.Lock)) {
        const valid = perlTrue(ticket.LockID) ? idInRange(ticket.LockID, LOCKS.length) : LOCKS.includes(scalar(ticket.Lock));
        if (!valid) return invalid(op, 'Ticket->LockID or Ticket->Lock parameter is invalid!');
    }
    if (perlTrue(ticket.TypeID) || perlTrue(ticket.Type)) {
        const valid = perlTrue(ticket.TypeID) ? idInRange(ticket.TypeID, TICKET_TYPES.length) : TICKET_TYPES.includes(scalar(ticket.Type));
        if (!valid) return invalid(op, 'Ticket->TypeID or Ticket->Type parameter is invalid!');
    }
    // The fake has no services and no SLAs (as a fresh Znuny), so naming one is always invalid.
    if (perlTrue(ticket.ServiceID) || perlTrue(ticket.Service)) return invalid(op, 'Ticket->ServiceID or Ticket->Service parameter is invalid!');
    if (perlTrue(ticket.SLAID) || perlTrue(ticket.SLA)) return invalid(op, 'Ticket->SLAID or Ticket->SLA parameter is invalid!');

    const hasState = perlTrue(ticket.StateID) || perlTrue(ticket.State);
    if (creating && !hasState) return missing(op, 'Ticket->StateID or Ticket->State parameter is required!');
    if (hasState && resolveState(store, ticket) === undefined) return invalid(op, 'Ticket->StateID or Ticket->State parameter is invalid!');

    const hasPriority = perlTrue(ticket.PriorityID) || perlTrue(ticket.Priority);
    if (creating && !hasPriority) return missing(op, 'Ticket->PriorityID or Ticket->Priority parameter is required!');
    if (hasPriority && resolvePriority(store, ticket) === undefined) {
        return invalid(op, 'Ticket->PriorityID or Ticket->Priority parameter is invalid!');
    }

    if ((perlTrue(ticket.OwnerID) || perlTrue(ticket.Owner)) && !resolveUser(store, ticket.OwnerID, ticket.Owner)) {
        return invalid(op, 'Ticket->OwnerID or Ticket->Owner parameter is invalid!');
    }
    if ((perlTrue(ticket.ResponsibleID) || perlTrue(ticket.Responsible)) && !resolveUser(store, ticket.ResponsibleID, ticket.Responsible)) {
        return invalid(op, 'Ticket->ResponsibleID or Ticket->Responsible parameter is invalid!');
    }
    if (perlTrue(ticket.PendingTime) && !validPendingTime(ticket.PendingTime)) {
        return invalid(op, 'Ticket->PendingTime parameter is invalid!');
    }
    return null;
}

/** ValidatePendingTime: `{Diff: minutes}` alone, or a real date from Year/Month/Day/Hour/Minute. */
function validPendingTime(value: unknown): boolean {
    if (!isHashRefWithData(value)) return false;
    const keys = Object.keys(value);
    if (value.Diff !== undefined && value.Diff !== null) return keys.length === 1 && /^\d+$/.test(scalar(value.Diff));
    for (const key of keys) {
        if (scalar(value[key]) === '' || perlNumber(value[key]) < 0) return false;
    }
    const [year, month, day, hour, minute] = ['Year', 'Month', 'Day', 'Hour', 'Minute'].map((key) => perlNumber(value[key]));
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
    return (
        date.getUTCFullYear() === year &&
        date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day &&
        date.getUTCHours() === hour &&
        date.getUTCMinutes() === minute
    );
}

// ---- Article ----

/** The SysConfig defaults an article gets before it is checked (§3 "Facts and defaults", §4, §8). */
export function applyArticleDefaults(op: Op, article: Record<string, unknown>, identity: Identity, version: number): void {
    trimScalars(article);
    if (!perlTrue(article.AutoResponseType)) article.AutoResponseType = op === 'TicketCreate' ? 'auto reply' : 'auto follow up';
    if (version >= 6) {
        if (!perlTrue(article.CommunicationChannelID) && !perlTrue(article.CommunicationChannel)) article.CommunicationChannel = 'Internal';
        if (article.IsVisibleForCustomer === undefined || article.IsVisibleForCustomer === null) article.IsVisibleForCustomer = 1;
    } else if (!perlTrue(article.ArticleTypeID) && !perlTrue(article.ArticleType)) {
        article.ArticleType = 'webrequest'; // §8: OTRS 5's default, visible to the customer
    }
    if (!perlTrue(article.SenderTypeID) && !perlTrue(article.SenderType)) {
        article.SenderType = identity.type === 'User' ? 'agent' : 'customer';
    }
    if (!perlTrue(article.HistoryType)) article.HistoryType = op === 'TicketCreate' ? 'NewTicket' : 'AddNote';
    if (!perlTrue(article.HistoryComment)) article.HistoryComment = '%%';
}

/** _CheckArticle, after the defaults. */
export function checkArticle(op: Op, store: OtrsStore, article: Record<string, unknown>): Check {
    for (const needed of ['Subject', 'Body', 'AutoResponseType']) {
        if (!perlTrue(article[needed])) return missing(op, `Article->${needed} parameter is missing!`);
    }
    if (!AUTO_RESPONSE_TYPES.includes(scalar(article.AutoResponseType))) return invalid(op, 'Article->AutoResponseType parameter is invalid!');

    if (store.setup.version >= 6) {
        // §3: Email, Internal or Phone; Znuny 7's Chat channel is rejected.
        const channel = resolveChannel(article);
        if (channel === undefined || !['Email', 'Internal', 'Phone'].includes(channel)) {
            return invalid(op, 'Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!');
        }
    } else if (resolveArticleType(article) === undefined) {
        return invalid(op, 'Article->ArticleTypeID or Article->ArticleType parameter is invalid!');
    }

    if (resolveSenderType(article) === undefined) return invalid(op, 'Article->SenderTypeID or Ticket->SenderType parameter is invalid!');
    if (perlTrue(article.From) && !validateFrom(scalar(article.From))) return invalid(op, 'Article->From parameter is invalid!');

    const contentCheck = checkContentType(op, article);
    if (contentCheck) return contentCheck;

    if (!HISTORY_TYPES.includes(scalar(article.HistoryType))) return invalid(op, 'Article->HistoryType parameter is invalid!');
    if (perlTrue(article.TimeUnit) && !/^\d+([.,]\d+)?$/.test(scalar(article.TimeUnit))) {
        return invalid(op, 'Article->TimeUnit parameter is invalid!');
    }
    if (perlTrue(article.NoAgentNotify) && scalar(article.NoAgentNotify) !== '1') return invalid(op, 'Article->NoAgent parameter is invalid!');
    for (const attribute of ['ForceNotificationToUserID', 'ExcludeNotificationToUserID', 'ExcludeMuteNotificationToUserID']) {
        const value = article[attribute];
        if (value === undefined || value === null) continue;
        if (isHashRefWithData(value)) return invalid(op, `Article->${attribute} parameter is invalid!`);
        for (const userId of Array.isArray(value) && value.length > 0 ? value : [value]) {
            if (!perlTrue(userId) || !resolveUser(store, userId, undefined)) {
                return invalid(op, `Article->${attribute} UserID=${scalar(userId)} parameter is invalid!`);
            }
        }
    }
    // Znuny 6.5.2+: Article.Attachment (§3, §8); older versions ignore the key.
    if (store.setup.version >= 7 && article.Attachment !== undefined && article.Attachment !== null) {
        return checkAttachments(op, article.Attachment, true);
    }
    return null;
}

/** ContentType (charset required, §3) or MimeType + Charset. Lower-cases what it checks, as Znuny does. */
function checkContentType(op: Op, article: Record<string, unknown>): Check {
    const has = (key: string) => perlTrue(article[key]);
    if (!has('ContentType') && !has('MimeType') && !has('Charset')) {
        return missing(op, 'Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!');
    }
    if (has('MimeType') && !has('Charset')) return missing(op, 'Article->Charset is required!');
    if (has('Charset') && !has('MimeType')) return missing(op, 'Article->MimeType is required!');
    if (has('MimeType')) {
        article.MimeType = scalar(article.MimeType).toLowerCase();
        if (!validMimeType(article.MimeType as string)) return invalid(op, 'Article->MimeType is invalid!');
    }
    if (has('Charset')) {
        article.Charset = scalar(article.Charset).toLowerCase();
        if (!validCharset(article.Charset as string)) return invalid(op, 'Article->Charset is invalid!');
    }
    if (has('ContentType')) {
        const contentType = scalar(article.ContentType).toLowerCase();
        article.ContentType = contentType;
        if (!validCharset(charsetOf(contentType)) || !validMimeType(mimeTypeOf(contentType))) {
            return invalid(op, 'Article->ContentType is invalid!');
        }
    }
    return null;
}

// ---- DynamicField and Attachment ----

/** A DynamicField item list: a hash or an array of hashes (`{Name, Value}`). */
export function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
}

export function checkDynamicFields(op: Op, store: OtrsStore, value: unknown): Check {
    for (const item of asList(value)) {
        // A malformed item is returned without an ErrorCode: Znuny answers HTTP 500.
        if (!isHashRefWithData(item)) return { fault: `${op}: Ticket->DynamicField parameter is invalid!` };
        trimScalars(item);
        for (const needed of ['Name', 'Value']) {
            const field = item[needed];
            if (field === undefined || field === null || (typeof field === 'object' && !Array.isArray(field))) {
                return missing(op, `DynamicField->${needed} parameter is missing!`);
            }
        }
        if (!store.setup.dynamicFields.includes(scalar(item.Name))) return invalid(op, 'DynamicField->Name parameter is invalid!');
        // The fake's dynamic fields are Text fields: one string value.
        if (Array.isArray(item.Value) || typeof item.Value === 'object') return invalid(op, 'DynamicField->Value parameter is invalid!');
    }
    return null;
}

export function checkAttachments(op: Op, value: unknown, hasArticle: boolean): Check {
    for (const item of asList(value)) {
        if (!isHashRefWithData(item)) return { fault: `${op}: Ticket->Attachment parameter is invalid!` };
        trimScalars(item);
        if (!hasArticle) return missing(op, 'To create an attachment an article is needed!');
        for (const needed of ['Content', 'ContentType', 'Filename']) {
            if (!isStringWithData(item[needed])) return missing(op, `Attachment->${needed} parameter is missing!`);
        }
        const contentType = scalar(item.ContentType).replace(/\r\n|\r|\n/g, ' ').toLowerCase();
        item.ContentType = contentType;
        const charset = charsetOf(contentType);
        if ((charset && !validCharset(charset)) || !validMimeType(mimeTypeOf(contentType))) {
            return invalid(op, 'Attachment->ContentType is invalid!');
        }
    }
    return null;
}

/** The optional DynamicField/Attachment top-level keys must be a hash or an array with data when present. */
export function checkOptionalLists(op: Op, data: Record<string, unknown>): Check {
    for (const optional of ['DynamicField', 'Attachment']) {
        const value = data[optional];
        if (value !== undefined && value !== null && !isHashRefWithData(value) && !isArrayRefWithData(value)) {
            return missing(op, `${optional} parameter is missing or not valid!`);
        }
    }
    return null;
}
