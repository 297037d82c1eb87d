/**
 * What the fake OTRS holds: its setup, tickets, sessions and counters, plus authentication (§2) and
 * permissions (§3 "Permissions", §4 AccessDenied).
 */
import { randomBytes } from 'crypto';
import { defaultSetup, ROOT_USER, SESSION_MAX_SECONDS } from './config';
import { dateChecksumNumber, perlTrue, scalar } from './text';
import type { OtrsSetup, StoredTicket } from './types';

export type Agent = OtrsSetup['users'][number];
export type CustomerUser = OtrsSetup['customerUsers'][number];

/** Who a request authenticated as (Kernel::GenericInterface::Operation::Common::Auth). */
export type Identity =
    | { type: 'User'; userId: number; agent: Agent }
    | { type: 'Customer'; userId: string; customer: CustomerUser };

interface Session {
    id: string;
    identity: Identity;
    createdAt: number;
    lastRequestAt: number;
}

const MAX_SESSIONS = 1000; // memory bound; the oldest session goes first
const SESSION_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class OtrsStore {
    setup: OtrsSetup = defaultSetup();
    tickets = new Map<number, StoredTicket>();
    private sessions = new Map<string, Session>();
    // IDs and numbers are never reused, not even across reset(), so a stale reference never hits a new ticket.
    // TicketID 1 and ArticleID 1 belong to Znuny's welcome ticket, so the first created ticket is 2 (§10).
    private lastTicketID = 1;
    private lastArticleID = 1;
    private ticketCounter = 0;

    constructor(private readonly clock: () => Date = () => new Date()) {}

    now(): Date {
        return this.clock();
    }

    /** Forgets tickets and sessions and restores the default setup. */
    reset(): void {
        this.setup = defaultSetup();
        this.tickets = new Map();
        this.sessions = new Map();
    }

    nextTicketID(): number {
        this.lastTicketID += 1;
        return this.lastTicketID;
    }

    nextArticleID(): number {
        this.lastArticleID += 1;
        return this.lastArticleID;
    }

    /** §3: 16 digits (DateChecksum), unique and increasing. */
    nextTicketNumber(): string {
        this.ticketCounter += 1;
        return dateChecksumNumber(this.now(), this.ticketCounter);
    }

    ticketByNumber(number: string): StoredTicket | undefined {
        for (const ticket of this.tickets.values()) if (ticket.TicketNumber === number) return ticket;
        return undefined;
    }

    /** A TicketID as the database would read it ("2", 2; not "2abc" or "0"). */
    ticketById(id: unknown): StoredTicket | undefined {
        const text = scalar(id).trim();
        return /^\d+$/.test(text) ? this.tickets.get(Number(text)) : undefined;
    }

    // ---- users ----

    agentByLogin(login: string): Agent | undefined {
        // The users table is matched case-insensitively on MySQL.
        return this.setup.users.find((user) => user.login.toLowerCase() === login.toLowerCase());
    }

    agentId(agent: Agent): number {
        return this.setup.users.indexOf(agent) + 2; // 1 is root@localhost
    }

    agentById(id: number): Agent | undefined {
        return this.setup.users[id - 2];
    }

    loginOfUserId(id: number): string {
        return id === ROOT_USER.UserID ? ROOT_USER.login : this.agentById(id)?.login ?? ROOT_USER.login;
    }

    customerByLogin(login: string): CustomerUser | undefined {
        return this.setup.customerUsers.find((customer) => customer.login.toLowerCase() === login.toLowerCase());
    }

    /** CustomerSearch(PostMasterSearch => address): a customer with that e-mail. */
    customerByEmail(address: string): CustomerUser | undefined {
        const wanted = address.toLowerCase();
        return this.setup.customerUsers.find((customer) => customer.email !== '' && customer.email.toLowerCase() === wanted);
    }

    // ---- authentication (§2) ----

    /** Operation::Common::Auth: a SessionID, when present, decides alone; else UserLogin, else CustomerUserLogin. */
    authenticate(data: Record<string, unknown>): Identity | null {
        if (perlTrue(data.SessionID)) return this.checkSession(scalar(data.SessionID));
        const password = scalar(data.Password);
        if (perlTrue(data.UserLogin)) {
            const agent = this.agentByLogin(scalar(data.UserLogin));
            return agent && password !== '' && agent.password === password ? this.agentIdentity(agent) : null;
        }
        if (perlTrue(data.CustomerUserLogin)) {
            const customer = this.customerByLogin(scalar(data.CustomerUserLogin));
            if (!customer || customer.password === null || customer.password !== password || password === '') return null;
            return { type: 'Customer', userId: customer.login, customer };
        }
        return null;
    }

    agentIdentity(agent: Agent): Identity {
        return { type: 'User', userId: this.agentId(agent), agent };
    }

    /** SessionCreate: UserLogin first, else CustomerUserLogin; null when the credentials are wrong. */
    createSession(data: Record<string, unknown>): string | null {
        const identity = this.authenticate({ ...data, SessionID: undefined });
        if (!identity) return null;
        const id = randomSessionId();
        const now = this.now().getTime();
        this.sessions.set(id, { id, identity, createdAt: now, lastRequestAt: now });
        while (this.sessions.size > MAX_SESSIONS) {
            const oldest = this.sessions.keys().next().value as string;
            this.sessions.delete(oldest);
        }
        return id;
    }

    /** CheckSessionID: unknown, idle for longer than SessionMaxIdleTime, or older than SessionMaxTime -> null. */
    checkSession(id: string): Identity | null {
        const session = this.sessions.get(id);
        if (!session) return null;
        const now = this.now().getTime();
        const idleMs = this.setup.sessionIdleSeconds * 1000;
        if (now - session.lastRequestAt > idleMs || now - session.createdAt > SESSION_MAX_SECONDS * 1000) {
            this.sessions.delete(id);
            return null;
        }
        // The identity may have been removed or changed by configure() since the session was created.
        const identity = this.refreshIdentity(session.identity);
        if (!identity) {
            this.sessions.delete(id);
            return null;
        }
        session.lastRequestAt = now;
        return identity;
    }

    sessionData(id: string): Array<{ Key: string; Value: string }> {
        const session = this.sessions.get(id);
        if (!session) return [];
        const identity = session.identity;
        const data: Record<string, string> =
            identity.type === 'User'
                ? {
                      UserEmail: identity.agent.email,
                      UserFirstname: identity.agent.firstname,
                      UserFullname: `${identity.agent.firstname} ${identity.agent.lastname}`,
                      UserID: String(identity.userId),
                      UserLastname: identity.agent.lastname,
                      UserLogin: identity.agent.login,
                  }
                : {
                      UserCustomerID: identity.customer.customerId,
                      UserEmail: identity.customer.email,
                      UserFirstname: identity.customer.firstname,
                      UserID: identity.customer.login,
                      UserLastname: identity.customer.lastname,
                      UserLogin: identity.customer.login,
                  };
        data.UserType = identity.type;
        data.UserSessionStart = String(Math.floor(session.createdAt / 1000));
        data.UserLastRequest = String(Math.floor(session.lastRequestAt / 1000));
        data.UserRemoteAddr = '127.0.0.1';
        return Object.keys(data)
            .sort()
            .map((Key) => ({ Key, Value: data[Key] }));
    }

    /** Sessions that have not expired yet (expired ones are dropped on the way). */
    liveSessionCount(): number {
        for (const id of [...this.sessions.keys()]) {
            const session = this.sessions.get(id) as Session;
            const now = this.now().getTime();
            if (now - session.lastRequestAt > this.setup.sessionIdleSeconds * 1000 || now - session.createdAt > SESSION_MAX_SECONDS * 1000) {
                this.sessions.delete(id);
            }
        }
        return this.sessions.size;
    }

    expireSessions(): void {
        this.sessions.clear();
    }

    private refreshIdentity(identity: Identity): Identity | null {
        if (identity.type === 'User') {
            const agent = this.agentByLogin(identity.agent.login);
            return agent ? this.agentIdentity(agent) : null;
        }
        const customer = this.customerByLogin(identity.customer.login);
        return customer ? { type: 'Customer', userId: customer.login, customer } : null;
    }

    // ---- permissions ----

    /** rw (and so ro and create) permission of an agent on a queue; customers may create in any queue. */
    canUseQueue(identity: Identity, queue: string): boolean {
        if (identity.type === 'Customer') return true;
        const { rwQueues } = identity.agent;
        return rwQueues === '*' || rwQueues.includes(queue);
    }

    /** TicketPermission / TicketCustomerPermission: the agent's queues; the customer's own tickets. */
    canAccessTicket(identity: Identity, ticket: StoredTicket): boolean {
        if (identity.type === 'User') return this.canUseQueue(identity, ticket.Queue);
        const { customer } = identity;
        return (
            ticket.CustomerUserID.toLowerCase() === customer.login.toLowerCase() ||
            (customer.customerId !== '' && ticket.CustomerID === customer.customerId)
        );
    }
}

function randomSessionId(): string {
    const bytes = randomBytes(32);
    let id = '';
    for (const byte of bytes) id += SESSION_ID_ALPHABET[byte % SESSION_ID_ALPHABET.length];
    return id;
}
