/**
 * The reading operations: TicketSearch and TicketGet (§5), and TicketHistoryGet (§1 table).
 */
import { findInsensitive, idOf, LOCKS, stateTypeOf } from './config';
import type { Identity, OtrsStore } from './store';
import { isArrayRefWithData, isStringWithData, otrsTimestamp, perlNumber, perlTrue, scalar, wildcardMatcher } from './text';
import type { OperationResult, StoredArticle, StoredTicket } from './types';
import { articleTypeId, channelId, returnError, senderTypeId } from './write';

// ---- TicketSearch (§5) ----

/** Array-valued filters Znuny's TicketSearch operation reads (a single value counts as a list of one). */
function listParam(data: Record<string, unknown>, key: string): string[] | null {
    const value = data[key];
    if (isArrayRefWithData(value)) return value.map(scalar);
    if (isStringWithData(value)) return [scalar(value)];
    return null;
}

function stringParam(data: Record<string, unknown>, key: string): string | null {
    return isStringWithData(data[key]) ? scalar(data[key]).trim() : null;
}

type Filter = (ticket: StoredTicket) => boolean;
/** Sort columns Znuny accepts; the others make the search return nothing. */
const SORT_COLUMNS: Record<string, (ticket: StoredTicket, store: OtrsStore) => string | number> = {
    Age: (ticket) => ticket.createdAt.getTime(),
    Created: (ticket) => ticket.createdAt.getTime(),
    Changed: (ticket) => ticket.changedAt.getTime(),
    Ticket: (ticket) => ticket.TicketNumber,
    TicketNumber: (ticket) => ticket.TicketNumber,
    Title: (ticket) => ticket.Title.toLowerCase(),
    Queue: (ticket) => ticket.Queue.toLowerCase(),
    State: (ticket, store) => idOf(store.setup.states, ticket.State),
    Priority: (ticket, store) => idOf(store.setup.priorities, ticket.Priority),
    CustomerID: (ticket) => ticket.CustomerID.toLowerCase(),
    Owner: (ticket) => ticket.Owner.toLowerCase(),
    Responsible: (ticket) => ticket.Responsible.toLowerCase(),
    Lock: (ticket) => LOCKS.indexOf(ticket.Lock) + 1,
    Type: () => 1,
    Service: () => 0,
    SLA: () => 0,
    PendingTime: () => 0,
    EscalationTime: () => 0,
    EscalationUpdateTime: () => 0,
    EscalationResponseTime: () => 0,
    EscalationSolutionTime: () => 0,
};

/**
 * §5: only the ticket attributes below filter; every other key (DynamicField_*, Subject, Body, From,
 * anything unknown) is silently dropped, so such a search answers with every ticket up to the limit.
 * A name that does not resolve (an unknown queue or state, a bad SortBy) makes the search find nothing.
 */
export function ticketSearch(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    const identity = store.authenticate(data);
    if (!identity) return returnError('TicketSearch.AuthFail', 'TicketSearch: Authorization failing!');

    const limitValue = perlTrue(data.Limit) ? Math.floor(perlNumber(data.Limit)) : 500; // SysConfig SearchLimit
    const limit = limitValue > 0 ? limitValue : 500;
    const sortBy = perlTrue(data.SortBy) ? listOf(data.SortBy) : ['Age'];
    const orderBy = perlTrue(data.OrderBy) ? listOf(data.OrderBy) : ['Down'];

    const filters = searchFilters(store, data);
    const nothing: OperationResult = { kind: 'data', data: {} };
    if (filters === null) return nothing;
    for (let index = 0; index < sortBy.length; index += 1) {
        const column = sortBy[index];
        const validColumn = SORT_COLUMNS[column] !== undefined || dynamicFieldColumn(store, column) !== null;
        if (!validColumn || (orderBy[index] !== 'Up' && orderBy[index] !== 'Down')) return nothing;
    }

    const found = [...store.tickets.values()].filter(
        (ticket) => store.canAccessTicket(identity, ticket) && filters.every((filter) => filter(ticket)),
    );
    found.sort((a, b) => {
        for (let index = 0; index < sortBy.length; index += 1) {
            const order = compare(sortValue(store, sortBy[index], a), sortValue(store, sortBy[index], b));
            if (order !== 0) return orderBy[index] === 'Up' ? order : -order;
        }
        return orderBy[0] === 'Up' ? a.TicketID - b.TicketID : b.TicketID - a.TicketID;
    });
    const ids = found.slice(0, limit).map((ticket) => String(ticket.TicketID));
    // §5: zero hits is `{}`, with no TicketID key and no error.
    return ids.length > 0 ? { kind: 'data', data: { TicketID: ids } } : nothing;
}

function listOf(value: unknown): string[] {
    return Array.isArray(value) ? value.map(scalar) : [scalar(value)];
}

function dynamicFieldColumn(store: OtrsStore, column: string): string | null {
    const match = /^DynamicField_(.+)$/.exec(column);
    return match && store.setup.dynamicFields.includes(match[1]) ? match[1] : null;
}

function sortValue(store: OtrsStore, column: string, ticket: StoredTicket): string | number {
    const field = dynamicFieldColumn(store, column);
    if (field !== null) return scalar(ticket.dynamicFields[field]).toLowerCase();
    return SORT_COLUMNS[column](ticket, store);
}

function compare(a: string | number, b: string | number): number {
    if (a === b) return 0;
    return a < b ? -1 : 1;
}

/** The honoured filters, or null when one of them names something that does not exist. */
function searchFilters(store: OtrsStore, data: Record<string, unknown>): Filter[] | null {
    const filters: Filter[] = [];
    const { states, queues, priorities } = store.setup;

    const numbers = listParam(data, 'TicketNumber');
    if (numbers) {
        const matchers = numbers.map(wildcardMatcher);
        filters.push((ticket) => matchers.some((match) => match(ticket.TicketNumber)));
    }
    const titles = listParam(data, 'Title');
    if (titles) {
        const matchers = titles.map(wildcardMatcher);
        filters.push((ticket) => matchers.some((match) => match(ticket.Title)));
    }
    const ticketIds = listParam(data, 'TicketID');
    if (ticketIds) filters.push((ticket) => ticketIds.includes(String(ticket.TicketID)));

    // Queues are looked up by exact name (QueueLookup): `livechat` for `Livechat` finds nothing (§7).
    const queueNames = listParam(data, 'Queues');
    const queueIds = listParam(data, 'QueueIDs') ?? [];
    if (queueNames) {
        for (const name of queueNames) {
            if (!queues.includes(name)) return null;
            queueIds.push(String(idOf(queues, name)));
        }
    }
    if (queueIds.length > 0) filters.push((ticket) => queueIds.includes(String(idOf(queues, ticket.Queue))));

    // States by name (case-insensitive, StateGet), StateIDs, and StateType (a state type name).
    const stateNames = listParam(data, 'States');
    const stateIds = listParam(data, 'StateIDs') ?? [];
    if (stateNames) {
        for (const name of stateNames) {
            const state = findInsensitive(states, name);
            if (state === undefined) return null;
            stateIds.push(String(idOf(states, state)));
        }
    }
    if (stateIds.length > 0) filters.push((ticket) => stateIds.includes(String(idOf(states, ticket.State))));
    const stateTypes = listParam(data, 'StateType');
    if (stateTypes) {
        const wanted = stateTypes.map((type) => type.toLowerCase());
        if (!states.some((state) => wanted.includes(stateTypeOf(state)))) return null;
        filters.push((ticket) => wanted.includes(stateTypeOf(ticket.State)));
    }

    const priorityNames = listParam(data, 'Priorities');
    const priorityIds = listParam(data, 'PriorityIDs') ?? [];
    if (priorityNames) {
        for (const name of priorityNames) {
            if (!priorities.includes(name)) return null;
            priorityIds.push(String(idOf(priorities, name)));
        }
    }
    if (priorityIds.length > 0) filters.push((ticket) => priorityIds.includes(String(idOf(priorities, ticket.Priority))));

    const locks = listParam(data, 'Locks');
    if (locks) {
        if (!locks.every((lock) => LOCKS.includes(lock))) return null;
        filters.push((ticket) => locks.includes(ticket.Lock));
    }
    const ownerIds = listParam(data, 'OwnerIDs');
    if (ownerIds) filters.push((ticket) => ownerIds.includes(String(ticket.OwnerID)));

    const customerIds = listParam(data, 'CustomerID');
    if (customerIds) {
        const wanted = customerIds.map((id) => id.toLowerCase());
        filters.push((ticket) => wanted.includes(ticket.CustomerID.toLowerCase()));
    }
    const customerLogins = listParam(data, 'CustomerUserLogin');
    if (customerLogins) {
        const wanted = customerLogins.map((login) => login.toLowerCase());
        filters.push((ticket) => wanted.includes(ticket.CustomerUserID.toLowerCase()));
    }

    const timeFilters = createTimeFilters(store, data);
    if (timeFilters === null) return null;
    filters.push(...timeFilters);
    return filters;
}

/** TicketCreateTime{Newer,Older}{Minutes,Date}. */
function createTimeFilters(store: OtrsStore, data: Record<string, unknown>): Filter[] | null {
    const filters: Filter[] = [];
    const now = store.now().getTime();
    for (const [key, newer] of [
        ['TicketCreateTimeNewerMinutes', true],
        ['TicketCreateTimeOlderMinutes', false],
    ] as const) {
        const value = stringParam(data, key);
        if (value === null) continue;
        const bound = now - perlNumber(value) * 60_000;
        filters.push((ticket) => (newer ? ticket.createdAt.getTime() >= bound : ticket.createdAt.getTime() <= bound));
    }
    for (const [key, newer] of [
        ['TicketCreateTimeNewerDate', true],
        ['TicketCreateTimeOlderDate', false],
    ] as const) {
        const value = stringParam(data, key);
        if (value === null) continue;
        const match = /(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(value);
        if (!match) return null; // "Invalid time format": the search is not executed
        const [, y, mo, d, h, mi, s] = match.map(Number);
        const bound = Date.UTC(y, mo - 1, d, h, mi, s);
        filters.push((ticket) => {
            const created = Math.floor(ticket.createdAt.getTime() / 1000) * 1000; // the column has seconds
            return newer ? created >= bound : created <= bound;
        });
    }
    return filters;
}

// ---- TicketGet (§5) ----

/** GET /Ticket/:TicketID and GET /TicketList?TicketID=...: one or more tickets, articles on request. */
export function ticketGet(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    const identity = store.authenticate(data);
    if (!identity) return returnError('TicketGet.AuthFail', 'TicketGet: Authorization failing!');
    if (!perlTrue(data.TicketID)) return returnError('TicketGet.MissingParameter', 'TicketGet: TicketID parameter is missing!');

    let ids: string[];
    if (isStringWithData(data.TicketID)) ids = scalar(data.TicketID).split(/\s*,\s*/);
    else if (isArrayRefWithData(data.TicketID)) ids = data.TicketID.map(scalar);
    else return returnError('TicketGet.WrongStructure', 'TicketGet: Structure for TicketID is not correct!');
    if (!ids.every((id) => /^[1-9]\d*$/.test(id))) {
        return returnError('TicketGet.WrongStructure', 'TicketGet: Invalid ticket ID parameter(s) found!');
    }
    for (const id of ids) {
        const ticket = store.tickets.get(Number(id));
        if (ticket && !store.canAccessTicket(identity, ticket)) {
            return returnError('TicketGet.AccessDenied', 'TicketGet: User does not have access to the ticket!');
        }
    }

    const options = {
        dynamicFields: perlTrue(data.DynamicFields),
        allArticles: perlTrue(data.AllArticles),
        articleOrder: perlTrue(data.ArticleOrder) ? scalar(data.ArticleOrder) : 'ASC',
        articleLimit: perlTrue(data.ArticleLimit) ? perlNumber(data.ArticleLimit) : 0,
        attachments: perlTrue(data.Attachments),
        attachmentContents:
            data.GetAttachmentContents === undefined || data.GetAttachmentContents === null ? true : perlTrue(data.GetAttachmentContents),
        htmlBodyAsAttachment: perlTrue(data.HTMLBodyAsAttachment),
        senderTypes: isArrayRefWithData(data.ArticleSenderType)
            ? data.ArticleSenderType.map(scalar)
            : isStringWithData(data.ArticleSenderType)
              ? [scalar(data.ArticleSenderType)]
              : null,
    };

    const items: Array<Record<string, unknown>> = [];
    for (const id of ids) {
        const ticket = store.tickets.get(Number(id));
        if (!ticket) {
            return returnError(
                'TicketGet.NotValidTicketID',
                'TicketGet: Could not get Ticket data in Kernel::GenericInterface::Operation::Ticket::TicketGet::Run()',
            );
        }
        const item = renderTicket(store, ticket, options.dynamicFields);
        if (options.allArticles) {
            let articles = ticket.articles.filter((article) => identity.type !== 'Customer' || article.IsVisibleForCustomer !== 0);
            if (options.senderTypes) {
                const wanted = options.senderTypes;
                articles = wanted.flatMap((type) => articles.filter((article) => article.SenderType === type));
            }
            // ArticleOrder only takes effect together with ArticleLimit (Znuny reverses only to cut).
            const limit = Math.min(options.articleLimit, articles.length);
            if (articles.length > 0 && limit > 0) {
                if (options.articleOrder === 'DESC') articles = [...articles].reverse();
                articles = articles.slice(0, limit);
            }
            if (articles.length > 0) item.Article = articles.map((article) => renderArticle(store, ticket, article, options));
        }
        items.push(item);
    }
    return { kind: 'data', data: { Ticket: items } };
}

function renderTicket(store: OtrsStore, ticket: StoredTicket, dynamicFields: boolean): Record<string, unknown> {
    const { states, queues, priorities } = store.setup;
    const item: Record<string, unknown> = {
        Age: Math.max(0, Math.floor((store.now().getTime() - ticket.createdAt.getTime()) / 1000)),
        ArchiveFlag: 'n',
        ChangeBy: ticket.CreateBy,
        Changed: otrsTimestamp(ticket.changedAt),
        CreateBy: ticket.CreateBy,
        Created: otrsTimestamp(ticket.createdAt),
        CustomerID: ticket.CustomerID,
        CustomerUserID: ticket.CustomerUserID,
        EscalationResponseTime: 0,
        EscalationSolutionTime: 0,
        EscalationTime: 0,
        EscalationUpdateTime: 0,
        GroupID: 1,
        Lock: ticket.Lock,
        LockID: LOCKS.indexOf(ticket.Lock) + 1,
        Owner: ticket.Owner,
        OwnerID: ticket.OwnerID,
        Priority: ticket.Priority,
        PriorityID: idOf(priorities, ticket.Priority),
        Queue: ticket.Queue,
        QueueID: idOf(queues, ticket.Queue),
        RealTillTimeNotUsed: 0,
        Responsible: ticket.Responsible,
        ResponsibleID: ticket.ResponsibleID,
        SLA: '',
        SLAID: '',
        Service: '',
        ServiceID: '',
        State: ticket.State,
        StateID: idOf(states, ticket.State),
        StateType: stateTypeOf(ticket.State),
        TicketID: ticket.TicketID, // §5: a number here
        TicketNumber: ticket.TicketNumber,
        TimeUnit: 0,
        Title: ticket.Title,
        Type: ticket.Type,
        TypeID: 1,
        UnlockTimeout: 0,
        UntilTime: 0,
    };
    if (dynamicFields) {
        // Znuny's TicketGet moves DynamicField_<Name> keys into one `DynamicField` array.
        item.DynamicField = [...store.setup.dynamicFields].sort().map((name) => ({ Name: name, Value: ticket.dynamicFields[name] ?? null }));
    }
    return item;
}

interface ArticleOptions {
    attachments: boolean;
    attachmentContents: boolean;
    htmlBodyAsAttachment: boolean;
}

function renderArticle(store: OtrsStore, ticket: StoredTicket, article: StoredArticle, options: ArticleOptions): Record<string, unknown> {
    const item: Record<string, unknown> = {
        ArticleID: article.ArticleID,
        ArticleNumber: article.ArticleNumber,
        Bcc: article.Bcc,
        Body: article.Body,
        Cc: article.Cc,
        ChangeBy: article.CreateBy,
        ChangeTime: otrsTimestamp(article.createdAt),
        Charset: article.Charset,
        ContentCharset: article.Charset,
        ContentType: article.ContentType,
        CreateBy: article.CreateBy,
        CreateTime: otrsTimestamp(article.createdAt),
        From: article.From,
        InReplyTo: '',
        IncomingTime: Math.floor(article.createdAt.getTime() / 1000),
        MessageID: '',
        MimeType: article.MimeType,
        References: '',
        ReplyTo: '',
        SenderType: article.SenderType,
        SenderTypeID: senderTypeId(article.SenderType),
        Subject: article.Subject,
        TicketID: ticket.TicketID,
        TimeUnit: 0,
        To: article.To,
    };
    if (store.setup.version >= 6) {
        item.CommunicationChannelID = channelId(article.CommunicationChannel);
        item.IsVisibleForCustomer = article.IsVisibleForCustomer;
    } else {
        item.ArticleType = article.ArticleType;
        item.ArticleTypeID = articleTypeId(article.ArticleType);
    }
    if (options.attachments) {
        const shown = article.attachments.filter((attachment) => !attachment.htmlBody || options.htmlBodyAsAttachment);
        if (shown.length > 0) {
            item.Attachment = shown.map((attachment) => ({
                Content: options.attachmentContents ? attachment.content.toString('base64') : '',
                ContentAlternative: '',
                ContentID: '',
                ContentType: attachment.ContentType,
                Disposition: attachment.htmlBody ? 'inline' : 'attachment',
                FileID: attachment.FileID,
                Filename: attachment.Filename,
                FilesizeRaw: attachment.content.length,
            }));
        }
    }
    return item;
}

// ---- TicketHistoryGet ----

export function ticketHistoryGet(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    const identity: Identity | null = store.authenticate(data);
    if (!identity) return returnError('TicketHistoryGet.AuthFail', 'TicketHistoryGet: Authorization failing!');
    if (!perlTrue(data.TicketID)) return returnError('TicketHistoryGet.MissingParameter', 'TicketHistoryGet: TicketID parameter is missing!');
    const ticket = store.ticketById(data.TicketID);
    if (!ticket || !store.canAccessTicket(identity, ticket)) {
        return returnError('TicketHistoryGet.AccessDenied', 'TicketHistoryGet: User does not have access to the ticket!');
    }
    const history = ticket.history.map((entry) => ({
        ArticleID: entry.ArticleID,
        CreateBy: entry.CreateBy,
        CreateTime: otrsTimestamp(entry.createdAt),
        HistoryType: entry.HistoryType,
        Name: entry.Name,
        OwnerID: ticket.OwnerID,
        PriorityID: idOf(store.setup.priorities, ticket.Priority),
        QueueID: idOf(store.setup.queues, ticket.Queue),
        StateID: idOf(store.setup.states, ticket.State),
        TicketID: ticket.TicketID,
        TypeID: 1,
    }));
    return { kind: 'data', data: { TicketHistory: [{ History: history, TicketID: ticket.TicketID }] } };
}
