/**
 * Shapes shared by the fake OTRS/Znuny GenericTicketConnectorREST (see ../otrs.ts).
 * Contract: shared/contracts/otrs.md (cited below as §n).
 */
import type { FaultMode } from '../faults';

/** Which product the fake plays (§8): 5 = OTRS 5 (ArticleType), 6 = OTRS 6 / Znuny 6.0 (no header auth), 7 = Znuny 7. */
export type OtrsVersion = 5 | 6 | 7;
/** §7: MySQL/MariaDB loses characters above U+FFFF; PostgreSQL keeps them. */
export type OtrsDatabase = 'mysql' | 'postgresql';

export interface OtrsUserConfig {
    login: string;
    password: string;
    /** Queues the agent has rw (and so ro/create) permission on; '*' = every queue. Default '*'. */
    rwQueues?: string[] | '*';
    firstname?: string;
    lastname?: string;
    email?: string;
}

export interface OtrsCustomerUserConfig {
    login: string;
    /** Without a password the customer exists (for Ticket.CustomerUser) but cannot log in. */
    password?: string;
    email?: string;
    customerId?: string;
    firstname?: string;
    lastname?: string;
}

/** `configure(cfg)` / `POST _config`: every key is optional and replaces that part of the setup. */
export interface OtrsFakeConfig {
    users?: OtrsUserConfig[];
    /** A bare string is a login with no password, no e-mail, and CustomerID = login. */
    customerUsers?: Array<string | OtrsCustomerUserConfig>;
    queues?: string[];
    states?: string[];
    priorities?: string[];
    dynamicFields?: string[];
    version?: OtrsVersion;
    database?: OtrsDatabase;
    /** SessionMaxIdleTime (§2), default 7200. Fractions are allowed (tests). */
    sessionIdleSeconds?: number;
    /** Expire every session now (the next call with such a SessionID gets `<Op>.AuthFail`). */
    expireSessions?: true;
}

/** The resolved setup the operations work with. */
export interface OtrsSetup {
    users: Required<OtrsUserConfig>[];
    customerUsers: Array<Required<Omit<OtrsCustomerUserConfig, 'password'>> & { password: string | null }>;
    queues: string[];
    states: string[];
    priorities: string[];
    dynamicFields: string[];
    version: OtrsVersion;
    database: OtrsDatabase;
    sessionIdleSeconds: number;
}

export interface StoredAttachment {
    FileID: number;
    Filename: string;
    ContentType: string;
    content: Buffer;
    /** The HTML body Znuny keeps as a hidden attachment (§3); TicketGet shows it only with HTMLBodyAsAttachment=1. */
    htmlBody: boolean;
}

export interface StoredArticle {
    ArticleID: number;
    ArticleNumber: number;
    Subject: string;
    /** Plain text; for an HTML article, the text version (§3). */
    Body: string;
    /** The HTML as sent (after the database's character loss), for HTML articles only. */
    Html: string | null;
    /** As stored: an HTML article is stored as text/plain with the HTML as an attachment. */
    ContentType: string;
    /** As the client sent it (lower-cased), before the HTML conversion. */
    SentContentType: string;
    Charset: string;
    MimeType: string;
    From: string;
    To: string;
    Cc: string;
    Bcc: string;
    /** Email, Phone or Internal (Znuny 6+); null on OTRS 5. */
    CommunicationChannel: string | null;
    IsVisibleForCustomer: number | null;
    SenderType: string;
    /** OTRS 5 only. */
    ArticleType: string | null;
    HistoryType: string;
    CreateBy: number;
    createdAt: Date;
    attachments: StoredAttachment[];
}

export interface StoredTicket {
    TicketID: number;
    TicketNumber: string;
    Title: string;
    Queue: string;
    State: string;
    Priority: string;
    Lock: string;
    Type: string;
    CustomerUserID: string;
    CustomerID: string;
    Owner: string;
    OwnerID: number;
    Responsible: string;
    ResponsibleID: number;
    CreateBy: number;
    createdAt: Date;
    changedAt: Date;
    /** Name -> value; only names that exist as dynamic fields. */
    dynamicFields: Record<string, string | string[]>;
    articles: StoredArticle[];
    history: Array<{ HistoryType: string; Name: string; ArticleID: number; createdAt: Date; CreateBy: number }>;
}

export interface OtrsCall {
    at: string;
    method: string;
    /** Path under the fake's mount, without the query string. */
    path: string;
    /** Query parameters as Znuny parses them (§1: repeated keys become arrays); Password shown as "***". */
    query: Record<string, unknown>;
    /** Lower-cased; X-OTRS-Header-Password (and any Authorization) shown as "***". */
    headers: Record<string, string>;
    /** Parsed JSON (every Password key "***"), or the raw text, or null when there was no body. */
    body: unknown;
    /** The operation the route selected (SessionCreate, TicketCreate, ...), or null. */
    operation: string | null;
    /** What the fake answered; null when it answered nothing (empty reply, fault "down" or "timeout"). */
    status: number | null;
    contentType: string | null;
    fault: FaultMode | null;
}

export interface OtrsInspectedArticle {
    ArticleID: number;
    Subject: string;
    Body: string;
    Html?: string;
    ContentType: string;
    From: string;
    CommunicationChannel: string | null;
    IsVisibleForCustomer: number | null;
    SenderType: string;
    ArticleType?: string;
    CreateTime: string;
    Attachments: Array<{ Filename: string; ContentType: string; size: number }>;
}

export interface OtrsInspectedTicket {
    TicketID: number;
    TicketNumber: string;
    Title: string;
    Queue: string;
    State: string;
    Priority: string;
    CustomerUser: string;
    CustomerID: string;
    Owner: string;
    Created: string;
    DynamicFields: Record<string, string | string[]>;
    articles: OtrsInspectedArticle[];
}

export interface OtrsInspection {
    calls: OtrsCall[];
    tickets: OtrsInspectedTicket[];
    /** Live (not expired) sessions. */
    sessions: number;
}

/** What an operation answers, before the transport turns it into HTTP (§6). */
export type OperationResult =
    /** HTTP 200 with this JSON (business errors included, as `{Error: {...}}`). */
    | { kind: 'data'; data: Record<string, unknown> }
    /** An operation that failed without an ErrorCode: HTTP 500 `{faultcode, faultstring}` labelled text/plain. */
    | { kind: 'fault'; message: string }
    /** The provider died without output: the connection is closed with no status line. */
    | { kind: 'noReply' };
