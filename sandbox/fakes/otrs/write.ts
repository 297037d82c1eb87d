/**
 * The writing operations: SessionCreate / SessionGet (§2), TicketCreate (§3), TicketUpdate (§4).
 */
import { CHANNELS, ARTICLE_TYPES, ROOT_USER, SENDER_TYPES } from './config';
import type { Identity, OtrsStore } from './store';
import { cutCharacters, htmlToText, isArrayRefWithData, isHashRefWithData, isPlainObject, perlTrue, scalar, storedText, trimScalars } from './text';
import type { OperationResult, StoredArticle, StoredAttachment, StoredTicket } from './types';
import {
    applyArticleDefaults,
    asList,
    Check,
    checkArticle,
    checkAttachments,
    checkDynamicFields,
    checkOptionalLists,
    checkTicket,
    Op,
    resolveArticleType,
    resolveChannel,
    resolvePriority,
    resolveSenderType,
    resolveState,
    resolveUser,
} from './validate';

export function returnError(code: string, message: string): OperationResult {
    return { kind: 'data', data: { Error: { ErrorCode: code, ErrorMessage: message } } };
}

function fromCheck(check: Exclude<Check, null>): OperationResult {
    return 'fault' in check ? { kind: 'fault', message: check.fault } : { kind: 'data', data: { Error: check.error } };
}

/** A deep copy of decoded JSON, so that the operation may trim and default without touching the recorded call. */
function copy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

// ---- Session ----

export function sessionCreate(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    if (!isHashRefWithData(data)) return returnError('SessionCreate.MissingParameter', 'SessionCreate: The request is empty!');
    if (!perlTrue(data.Password)) return returnError('SessionCreate.MissingParameter', 'SessionCreate: Password parameter is missing!');
    const sessionId = store.createSession(data);
    if (!sessionId) return returnError('SessionCreate.AuthFail', 'SessionCreate: Authorization failing!');
    return { kind: 'data', data: { SessionID: sessionId } };
}

export function sessionGet(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    if (!perlTrue(data.SessionID)) return returnError('SessionGet.MissingParameter', 'SessionGet: SessionID is missing!');
    const sessionId = scalar(data.SessionID);
    if (!store.checkSession(sessionId)) return returnError('SessionGet.SessionInvalid', 'SessionGet: SessionID is Invalid!');
    return { kind: 'data', data: { SessionData: store.sessionData(sessionId) } };
}

/** The credential checks TicketCreate and TicketUpdate make before authenticating. */
function missingCredentials(op: Op, data: Record<string, unknown>): OperationResult | null {
    if (!perlTrue(data.UserLogin) && !perlTrue(data.CustomerUserLogin) && !perlTrue(data.SessionID)) {
        return returnError(`${op}.MissingParameter`, `${op}: UserLogin, CustomerUserLogin or SessionID is required!`);
    }
    if ((perlTrue(data.UserLogin) || perlTrue(data.CustomerUserLogin)) && !perlTrue(data.Password)) {
        return returnError(`${op}.MissingParameter`, `${op}: Password or SessionID is required!`);
    }
    return null;
}

/** §3: the ArticleID is a number, or a string with customer auth. */
function articleIdValue(identity: Identity, articleId: number): number | string {
    return identity.type === 'Customer' ? String(articleId) : articleId;
}

// ---- TicketCreate (§3) ----

export function ticketCreate(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    const op: Op = 'TicketCreate';
    const credentials = missingCredentials(op, data);
    if (credentials) return credentials;
    const identity = store.authenticate(data);
    if (!identity) return returnError(`${op}.AuthFail`, `${op}: User could not be authenticated!`);

    if (!isHashRefWithData(data.Ticket)) return returnError(`${op}.MissingParameter`, `${op}: Ticket parameter is missing or not valid!`);
    // Znuny 6.4+ takes an array of articles (§3); older versions one object only.
    const articleArrayOk = store.setup.version >= 7 && isArrayRefWithData(data.Article);
    if (!isHashRefWithData(data.Article) && !articleArrayOk) {
        return returnError(`${op}.MissingParameter`, `${op}: Article parameter is missing or not valid!`);
    }
    const optional = checkOptionalLists(op, data);
    if (optional) return fromCheck(optional);

    const ticket = copy(data.Ticket);
    trimScalars(ticket);
    if (isPlainObject(ticket.PendingTime)) trimScalars(ticket.PendingTime);
    const ticketCheck = checkTicket(op, store, ticket);
    if (ticketCheck) return fromCheck(ticketCheck);

    // CheckCreatePermissions looks the queue up like ValidateQueue (case-insensitively on MySQL).
    const permissionQueue = perlTrue(ticket.QueueID)
        ? store.setup.queues[Number(scalar(ticket.QueueID)) - 1]
        : store.setup.queues.find((queue) => queue.toLowerCase() === scalar(ticket.Queue).toLowerCase());
    if (permissionQueue === undefined || !store.canUseQueue(identity, permissionQueue)) {
        return returnError(`${op}.AccessDenied`, `${op}: Can not create tickets in given Queue or QueueID!`);
    }

    const articles: Array<Record<string, unknown>> = [];
    for (const item of asList(data.Article)) {
        if (!isHashRefWithData(item)) return returnError(`${op}.MissingParameter`, `${op}: Article parameter is missing or not valid!`);
        const article = copy(item);
        applyArticleDefaults(op, article, identity, store.setup.version);
        const articleCheck = checkArticle(op, store, article);
        if (articleCheck) return fromCheck(articleCheck);
        articles.push(article);
    }
    if (data.DynamicField !== undefined && data.DynamicField !== null) {
        const dynamicCheck = checkDynamicFields(op, store, copy(data.DynamicField));
        if (dynamicCheck) return fromCheck(dynamicCheck);
    }
    const attachments = data.Attachment === undefined || data.Attachment === null ? [] : asList(copy(data.Attachment));
    if (attachments.length > 0) {
        const attachmentCheck = checkAttachments(op, attachments, true);
        if (attachmentCheck) return fromCheck(attachmentCheck);
    }

    // _TicketCreate: Kernel::System::Ticket looks the queue up by its exact name; a name that only
    // matched case-insensitively fails here, after validation (§7: HTTP 500, looks transient).
    const queue = perlTrue(ticket.QueueID) ? permissionQueue : store.setup.queues.find((name) => name === scalar(ticket.Queue));
    if (queue === undefined) return { kind: 'fault', message: 'Ticket could not be created, please contact the system administrator' };

    const created = createTicket(store, identity, ticket, queue);
    const dynamicFields = data.DynamicField === undefined || data.DynamicField === null ? [] : asList(copy(data.DynamicField));
    setDynamicFields(store, created, dynamicFields as Array<Record<string, unknown>>);
    const articleIds: number[] = [];
    articles.forEach((article, index) => {
        const stored = addArticle(store, identity, created, article, index === 0 ? (attachments as Array<Record<string, unknown>>) : []);
        articleIds.push(stored.ArticleID);
    });
    store.tickets.set(created.TicketID, created);
    return {
        kind: 'data',
        data: { ArticleID: articleIdValue(identity, articleIds[0]), TicketID: String(created.TicketID), TicketNumber: created.TicketNumber },
    };
}

function createTicket(store: OtrsStore, identity: Identity, ticket: Record<string, unknown>, queue: string): StoredTicket {
    const database = store.setup.database;
    const now = store.now();
    // The customer: an existing login, else a customer whose e-mail matches, else the address as sent.
    const given = scalar(ticket.CustomerUser);
    const customer = store.customerByLogin(given) ?? store.customerByEmail(given);
    const customerId = scalar(ticket.CustomerID) !== '' ? scalar(ticket.CustomerID) : customer?.customerId ?? '';
    const creatorId = identity.type === 'User' ? identity.userId : ROOT_USER.UserID; // customers create as CustomerPanelUserID
    const owner = perlTrue(ticket.OwnerID) || perlTrue(ticket.Owner) ? resolveUser(store, ticket.OwnerID, ticket.Owner) : undefined;
    const responsible =
        perlTrue(ticket.ResponsibleID) || perlTrue(ticket.Responsible) ? resolveUser(store, ticket.ResponsibleID, ticket.Responsible) : undefined;
    const lock = perlTrue(ticket.Lock) ? scalar(ticket.Lock) : owner ? 'lock' : 'unlock';
    const stored: StoredTicket = {
        TicketID: store.nextTicketID(),
        TicketNumber: store.nextTicketNumber(),
        // §3: trimmed (done), cut at 255 characters; §7: what the database keeps.
        Title: storedText(cutCharacters(scalar(ticket.Title), 255), database),
        Queue: queue,
        State: resolveState(store, ticket) as string,
        Priority: resolvePriority(store, ticket) as string,
        Lock: lock,
        Type: 'Unclassified',
        CustomerUserID: storedText(customer ? customer.login : given, database),
        CustomerID: storedText(customerId, database),
        Owner: owner ? owner[1] : store.loginOfUserId(creatorId),
        OwnerID: owner ? owner[0] : creatorId,
        Responsible: responsible ? responsible[1] : store.loginOfUserId(creatorId),
        ResponsibleID: responsible ? responsible[0] : creatorId,
        CreateBy: creatorId,
        createdAt: now,
        changedAt: now,
        dynamicFields: {},
        articles: [],
        history: [],
    };
    const name = `%%${stored.TicketNumber}%%${queue}%%${stored.Priority}%%${stored.State}%%${stored.TicketID}`;
    stored.history.push({ HistoryType: 'NewTicket', Name: name, ArticleID: 0, createdAt: now, CreateBy: creatorId });
    return stored;
}

function setDynamicFields(store: OtrsStore, ticket: StoredTicket, items: Array<Record<string, unknown>>): void {
    for (const item of items) {
        const name = scalar(item.Name);
        ticket.dynamicFields[name] = storedText(scalar(item.Value), store.setup.database);
        ticket.history.push({
            HistoryType: 'TicketDynamicFieldUpdate',
            Name: `%%FieldName%%${name}%%Value%%${scalar(item.Value)}`,
            ArticleID: 0,
            createdAt: store.now(),
            CreateBy: ticket.CreateBy,
        });
    }
}

/** ArticleCreate (MIMEBase): defaults From/To, turns HTML into text plus a hidden HTML attachment (§3). */
function addArticle(
    store: OtrsStore,
    identity: Identity,
    ticket: StoredTicket,
    article: Record<string, unknown>,
    topLevelAttachments: Array<Record<string, unknown>>,
): StoredArticle {
    const database = store.setup.database;
    const version = store.setup.version;
    const keep = (text: string) => storedText(text, database);

    const mimeType = perlTrue(article.ContentType) ? /^(\w+\/\w+)/.exec(scalar(article.ContentType))?.[1] ?? '' : scalar(article.MimeType);
    const charset = perlTrue(article.ContentType) ? charsetFrom(scalar(article.ContentType)) : scalar(article.Charset);
    const sentContentType = perlTrue(article.ContentType) ? scalar(article.ContentType) : `${mimeType}; charset=${charset}`;
    const isHtml = /text\/html/i.test(sentContentType);
    const body = scalar(article.Body);

    const attachments: StoredAttachment[] = [];
    let fileId = 0;
    if (isHtml) {
        fileId += 1;
        attachments.push({
            FileID: fileId,
            Filename: 'file-2',
            ContentType: `text/html; charset="${charset}"`,
            content: Buffer.from(keep(body), 'utf8'),
            htmlBody: true,
        });
    }
    const articleAttachments = version >= 7 && article.Attachment !== undefined && article.Attachment !== null ? asList(article.Attachment) : [];
    for (const item of [...articleAttachments, ...topLevelAttachments] as Array<Record<string, unknown>>) {
        fileId += 1;
        attachments.push({
            FileID: fileId,
            Filename: keep(scalar(item.Filename)),
            ContentType: scalar(item.ContentType),
            content: Buffer.from(scalar(item.Content), 'base64'),
            htmlBody: false,
        });
    }

    const stored: StoredArticle = {
        ArticleID: store.nextArticleID(),
        ArticleNumber: ticket.articles.length + 1,
        Subject: keep(scalar(article.Subject)),
        Body: keep(isHtml ? htmlToText(body) : body),
        Html: isHtml ? keep(body) : null,
        ContentType: isHtml ? sentContentType.replace(/html/i, 'plain') : sentContentType,
        SentContentType: sentContentType,
        Charset: charset,
        MimeType: isHtml ? 'text/plain' : mimeType,
        From: keep(perlTrue(article.From) ? scalar(article.From) : defaultFrom(store, ticket)),
        To: keep(perlTrue(article.To) ? scalar(article.To) : ticket.Queue),
        Cc: keep(scalar(article.Cc)),
        Bcc: keep(scalar(article.Bcc)),
        CommunicationChannel: version >= 6 ? (resolveChannel(article) as string) : null,
        IsVisibleForCustomer: version >= 6 ? (perlTrue(article.IsVisibleForCustomer) ? 1 : 0) : null,
        SenderType: resolveSenderType(article) as string,
        ArticleType: version >= 6 ? null : (resolveArticleType(article) as string),
        HistoryType: scalar(article.HistoryType),
        CreateBy: identity.type === 'User' ? identity.userId : ROOT_USER.UserID,
        createdAt: store.now(),
        attachments,
    };
    ticket.articles.push(stored);
    ticket.changedAt = stored.createdAt;
    ticket.history.push({
        HistoryType: stored.HistoryType,
        Name: scalar(article.HistoryComment),
        ArticleID: stored.ArticleID,
        createdAt: stored.createdAt,
        CreateBy: stored.CreateBy,
    });
    return stored;
}

function charsetFrom(contentType: string): string {
    const match = /charset=["']?([^"';\s]+)/i.exec(contentType);
    return match ? match[1] : '';
}

/** §3: with no From, the customer user's `"Full Name" <email>` (or the address sent as CustomerUser). */
function defaultFrom(store: OtrsStore, ticket: StoredTicket): string {
    const customer = store.customerByLogin(ticket.CustomerUserID);
    if (!customer) return ticket.CustomerUserID;
    const fullName = `${customer.firstname} ${customer.lastname}`.trim();
    return `"${fullName}" <${customer.email}>`;
}

// ---- TicketUpdate (§4) ----

export function ticketUpdate(store: OtrsStore, data: Record<string, unknown>): OperationResult {
    const op: Op = 'TicketUpdate';
    if (!perlTrue(data.TicketID) && !perlTrue(data.TicketNumber)) {
        return returnError(`${op}.MissingParameter`, `${op}: TicketID or TicketNumber is required!`);
    }
    const credentials = missingCredentials(op, data);
    if (credentials) return credentials;
    const identity = store.authenticate(data);
    if (!identity) return returnError(`${op}.AuthFail`, `${op}: User could not be authenticated!`);

    // §4: TicketNumber wins over the route's TicketID; not found and forbidden look the same.
    const byNumber = perlTrue(data.TicketNumber);
    const ticket = byNumber ? store.ticketByNumber(scalar(data.TicketNumber)) : store.ticketById(data.TicketID);
    const denied = () => returnError(`${op}.AccessDenied`, `${op}: User does not have access to the ticket!`);
    if (!byNumber && !perlTrue(data.TicketID)) return denied();
    if (!ticket || !store.canAccessTicket(identity, ticket)) return denied();

    if (data.Ticket !== undefined && data.Ticket !== null && !isHashRefWithData(data.Ticket)) {
        return returnError(`${op}.InvalidParameter`, `${op}: Ticket parameter is not valid!`);
    }
    const optional = checkOptionalLists(op, data);
    if (optional) return fromCheck(optional);

    let changes: Record<string, unknown> | null = null;
    if (isHashRefWithData(data.Ticket)) {
        changes = copy(data.Ticket);
        trimScalars(changes);
        const ticketCheck = checkTicket(op, store, changes);
        if (ticketCheck) return fromCheck(ticketCheck);
    }

    let article: Record<string, unknown> | null = null;
    if (data.Article !== undefined && data.Article !== null) {
        // §4: ONE object only; an array is rejected (verified on 7.0.9).
        if (!isHashRefWithData(data.Article)) return returnError(`${op}.InvalidParameter`, `${op}: Article parameter is not valid!`);
        article = copy(data.Article);
        applyArticleDefaults(op, article, identity, store.setup.version);
        const articleCheck = checkArticle(op, store, article);
        if (articleCheck) return fromCheck(articleCheck);
    }
    const dynamicFields = perlTrue(data.DynamicField) ? asList(copy(data.DynamicField)) : [];
    if (dynamicFields.length > 0) {
        const dynamicCheck = checkDynamicFields(op, store, dynamicFields);
        if (dynamicCheck) return fromCheck(dynamicCheck);
    }
    const attachments = data.Attachment === undefined || data.Attachment === null ? [] : asList(copy(data.Attachment));
    if (attachments.length > 0) {
        const attachmentCheck = checkAttachments(op, attachments, article !== null);
        if (attachmentCheck) return fromCheck(attachmentCheck);
    }

    if (changes) {
        const failure = applyTicketChanges(store, ticket, changes);
        if (failure) return failure;
    }
    let articleId: number | null = null;
    if (article) articleId = addArticle(store, identity, ticket, article, attachments as Array<Record<string, unknown>>).ArticleID;
    setDynamicFields(store, ticket, dynamicFields as Array<Record<string, unknown>>);
    ticket.changedAt = store.now();

    // §4: TicketID is echoed as sent in the route (a string), or a number when looked up by TicketNumber.
    const result: Record<string, unknown> = {
        TicketID: byNumber ? ticket.TicketID : scalar(data.TicketID),
        TicketNumber: ticket.TicketNumber,
    };
    if (articleId !== null) result.ArticleID = articleIdValue(identity, articleId);
    return { kind: 'data', data: result };
}

/** _TicketUpdate's setters; a queue that only matched case-insensitively fails like TicketCreate's (§7). */
function applyTicketChanges(store: OtrsStore, ticket: StoredTicket, changes: Record<string, unknown>): OperationResult | null {
    const database = store.setup.database;
    if (changes.Title !== undefined && changes.Title !== null && scalar(changes.Title) !== '') {
        ticket.Title = storedText(cutCharacters(scalar(changes.Title), 255), database);
    }
    if (perlTrue(changes.QueueID) || perlTrue(changes.Queue)) {
        const queue = perlTrue(changes.QueueID)
            ? store.setup.queues[Number(scalar(changes.QueueID)) - 1]
            : store.setup.queues.find((name) => name === scalar(changes.Queue));
        if (queue === undefined) return { kind: 'fault', message: 'Ticket->Queue could not be updated, please contact system administrator!' };
        ticket.Queue = queue;
    }
    if (perlTrue(changes.StateID) || perlTrue(changes.State)) ticket.State = resolveState(store, changes) as string;
    if (perlTrue(changes.PriorityID) || perlTrue(changes.Priority)) ticket.Priority = resolvePriority(store, changes) as string;
    if (perlTrue(changes.Lock)) ticket.Lock = scalar(changes.Lock);
    if (perlTrue(changes.CustomerUser)) {
        const customer = store.customerByLogin(scalar(changes.CustomerUser));
        ticket.CustomerUserID = storedText(customer ? customer.login : scalar(changes.CustomerUser), database);
        const customerId = perlTrue(changes.CustomerID) ? scalar(changes.CustomerID) : customer?.customerId ?? ticket.CustomerID;
        ticket.CustomerID = storedText(customerId, database);
    }
    const owner = perlTrue(changes.OwnerID) || perlTrue(changes.Owner) ? resolveUser(store, changes.OwnerID, changes.Owner) : undefined;
    if (owner) [ticket.OwnerID, ticket.Owner] = owner;
    const responsible =
        perlTrue(changes.ResponsibleID) || perlTrue(changes.Responsible) ? resolveUser(store, changes.ResponsibleID, changes.Responsible) : undefined;
    if (responsible) [ticket.ResponsibleID, ticket.Responsible] = responsible;
    return null;
}

/** IDs shown by TicketGet for the names stored on an article. */
export function channelId(name: string | null): number | null {
    return name === null ? null : CHANNELS.find(([, channel]) => channel === name)?.[0] ?? null;
}

export function senderTypeId(name: string): number {
    return SENDER_TYPES.indexOf(name) + 1;
}

export function articleTypeId(name: string | null): number | null {
    return name === null ? null : ARTICLE_TYPES.indexOf(name) + 1;
}
