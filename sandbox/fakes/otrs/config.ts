/**
 * The fake OTRS's setup: default data, `configure()` validation, and the lookups Znuny does against
 * its tables (with their letter-case behaviour on MySQL, §7).
 */
import { isPlainObject } from './text';
import type { OtrsCustomerUserConfig, OtrsFakeConfig, OtrsSetup, OtrsUserConfig } from './types';

export class OtrsConfigError extends Error {}

export const DEFAULT_SESSION_IDLE_SECONDS = 7200; // SessionMaxIdleTime (§2)
export const SESSION_MAX_SECONDS = 57600; // SessionMaxTime (§2)

export function defaultSetup(): OtrsSetup {
    return {
        users: [resolveUser({ login: 'rocketchat', password: 'otrs-password', rwQueues: '*' })],
        customerUsers: [
            resolveCustomer({
                login: 'visitor1',
                password: 'visitor1-password',
                email: 'visitor1@cliente.com.br',
                customerId: 'cliente',
                firstname: 'Visitor',
                lastname: 'One',
            }),
        ],
        queues: ['Raw', 'Postmaster', 'Misc', 'Livechat', 'Suporte N1', 'Vendas'],
        states: ['new', 'open', 'closed successful', 'pending reminder'],
        priorities: ['1 very low', '2 low', '3 normal', '4 high', '5 very high'],
        dynamicFields: ['RocketChatRoomID'],
        version: 7,
        database: 'mysql',
        sessionIdleSeconds: DEFAULT_SESSION_IDLE_SECONDS,
    };
}

const CONFIG_KEYS = [
    'users',
    'customerUsers',
    'queues',
    'states',
    'priorities',
    'dynamicFields',
    'version',
    'database',
    'sessionIdleSeconds',
    'expireSessions',
];

/** Validates an untrusted `_config` body (or a `configure()` argument) and returns it typed. */
export function parseConfig(input: unknown): OtrsFakeConfig {
    if (!isPlainObject(input)) throw new OtrsConfigError('expected a JSON object');
    const unknown = Object.keys(input).filter((key) => !CONFIG_KEYS.includes(key));
    if (unknown.length > 0) {
        throw new OtrsConfigError(`unknown config key(s) ${unknown.join(', ')}; expected ${CONFIG_KEYS.join(', ')}`);
    }
    const cfg: OtrsFakeConfig = {};
    if (input.users !== undefined) cfg.users = listOf(input.users, 'users', parseUser);
    if (input.customerUsers !== undefined) cfg.customerUsers = listOf(input.customerUsers, 'customerUsers', parseCustomer);
    for (const key of ['queues', 'states', 'priorities', 'dynamicFields'] as const) {
        if (input[key] !== undefined) cfg[key] = nameList(input[key], key);
    }
    if (input.version !== undefined) {
        if (input.version !== 5 && input.version !== 6 && input.version !== 7) throw new OtrsConfigError('version must be 5, 6 or 7');
        cfg.version = input.version;
    }
    if (input.database !== undefined) {
        if (input.database !== 'mysql' && input.database !== 'postgresql') {
            throw new OtrsConfigError('database must be "mysql" or "postgresql"');
        }
        cfg.database = input.database;
    }
    if (input.sessionIdleSeconds !== undefined) {
        const seconds = input.sessionIdleSeconds;
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
            throw new OtrsConfigError('sessionIdleSeconds must be a number >= 0');
        }
        cfg.sessionIdleSeconds = seconds;
    }
    if (input.expireSessions !== undefined) {
        if (input.expireSessions !== true) throw new OtrsConfigError('expireSessions must be true when given');
        cfg.expireSessions = true;
    }
    return cfg;
}

/** The setup after applying `cfg` over `current` (keys not given stay as they are). */
export function applyConfig(current: OtrsSetup, cfg: OtrsFakeConfig): OtrsSetup {
    return {
        users: cfg.users ? cfg.users.map(resolveUser) : current.users,
        customerUsers: cfg.customerUsers ? cfg.customerUsers.map(resolveCustomer) : current.customerUsers,
        queues: cfg.queues ?? current.queues,
        states: cfg.states ?? current.states,
        priorities: cfg.priorities ?? current.priorities,
        dynamicFields: cfg.dynamicFields ?? current.dynamicFields,
        version: cfg.version ?? current.version,
        database: cfg.database ?? current.database,
        sessionIdleSeconds: cfg.sessionIdleSeconds ?? current.sessionIdleSeconds,
    };
}

/** What `GET _config` shows: the setup without any password. */
export function describeSetup(setup: OtrsSetup): Record<string, unknown> {
    return {
        ...setup,
        users: setup.users.map(({ password: _password, ...user }) => user),
        customerUsers: setup.customerUsers.map(({ password, ...customer }) => ({ ...customer, canLogIn: password !== null })),
    };
}

function listOf<T>(value: unknown, name: string, parse: (item: unknown, where: string) => T): T[] {
    if (!Array.isArray(value)) throw new OtrsConfigError(`${name} must be an array`);
    return value.map((item, index) => parse(item, `${name}[${index}]`));
}

function nameList(value: unknown, name: string): string[] {
    const names = listOf(value, name, (item, where) => nonEmptyString(item, where));
    const seen = new Set<string>();
    for (const item of names) {
        if (seen.has(item)) throw new OtrsConfigError(`${name} has "${item}" twice`);
        seen.add(item);
    }
    return names;
}

function nonEmptyString(value: unknown, where: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw new OtrsConfigError(`${where} must be a non-empty string`);
    return value;
}

function optionalString(value: unknown, where: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new OtrsConfigError(`${where} must be a string`);
    return value;
}

function parseUser(item: unknown, where: string): OtrsUserConfig {
    if (!isPlainObject(item)) throw new OtrsConfigError(`${where} must be an object {login, password, rwQueues?}`);
    const user: OtrsUserConfig = {
        login: nonEmptyString(item.login, `${where}.login`),
        password: nonEmptyString(item.password, `${where}.password`),
        firstname: optionalString(item.firstname, `${where}.firstname`),
        lastname: optionalString(item.lastname, `${where}.lastname`),
        email: optionalString(item.email, `${where}.email`),
    };
    if (item.rwQueues !== undefined) {
        if (item.rwQueues === '*') user.rwQueues = '*';
        else user.rwQueues = listOf(item.rwQueues, `${where}.rwQueues`, (queue, at) => nonEmptyString(queue, at));
    }
    return user;
}

function parseCustomer(item: unknown, where: string): string | OtrsCustomerUserConfig {
    if (typeof item === 'string') return nonEmptyString(item, where);
    if (!isPlainObject(item)) throw new OtrsConfigError(`${where} must be a login or an object {login, password?, email?, customerId?}`);
    return {
        login: nonEmptyString(item.login, `${where}.login`),
        password: optionalString(item.password, `${where}.password`),
        email: optionalString(item.email, `${where}.email`),
        customerId: optionalString(item.customerId, `${where}.customerId`),
        firstname: optionalString(item.firstname, `${where}.firstname`),
        lastname: optionalString(item.lastname, `${where}.lastname`),
    };
}

function resolveUser(user: OtrsUserConfig): OtrsSetup['users'][number] {
    return {
        login: user.login,
        password: user.password,
        rwQueues: user.rwQueues ?? '*',
        firstname: user.firstname ?? 'Rocket.Chat',
        lastname: user.lastname ?? user.login,
        email: user.email ?? `${user.login}@helpdesk.local`,
    };
}

function resolveCustomer(customer: string | OtrsCustomerUserConfig): OtrsSetup['customerUsers'][number] {
    const given = typeof customer === 'string' ? { login: customer } : customer;
    return {
        login: given.login,
        password: given.password ? given.password : null,
        email: given.email ?? '',
        customerId: given.customerId ?? given.login,
        firstname: given.firstname ?? given.login,
        lastname: given.lastname ?? '',
    };
}

// ---- fixed default data of a fresh Znuny ----

/** ID 1 is root@localhost (also the CustomerPanelUserID that owns customer-created tickets). */
export const ROOT_USER = { UserID: 1, login: 'root@localhost' };
export const SENDER_TYPES = ['agent', 'system', 'customer']; // IDs 1, 2, 3
/** Communication channels with their IDs (§5: 1 Email, 2 Phone, 3 Internal, 4 Chat). */
export const CHANNELS: Array<[number, string]> = [
    [1, 'Email'],
    [2, 'Phone'],
    [3, 'Internal'],
    [4, 'Chat'],
];
/** OTRS 5 article types with their IDs (§8). */
export const ARTICLE_TYPES = [
    'email-external',
    'email-internal',
    'email-notification-ext',
    'email-notification-int',
    'phone',
    'fax',
    'sms',
    'webrequest',
    'note-internal',
    'note-external',
    'note-report',
    'chat-external',
    'chat-internal',
];
export const AUTO_RESPONSE_TYPES = ['auto reply', 'auto reject', 'auto follow up', 'auto reply/new ticket', 'auto remove'];
export const HISTORY_TYPES = [
    'NewTicket',
    'FollowUp',
    'SendAutoReject',
    'SendAutoReply',
    'SendAutoFollowUp',
    'Forward',
    'Bounce',
    'SendAnswer',
    'SendAgentNotification',
    'SendCustomerNotification',
    'EmailAgent',
    'EmailCustomer',
    'PhoneCallAgent',
    'PhoneCallCustomer',
    'AddNote',
    'Move',
    'Lock',
    'Unlock',
    'Remove',
    'TimeAccounting',
    'CustomerUpdate',
    'PriorityUpdate',
    'OwnerUpdate',
    'LoopProtection',
    'Misc',
    'SetPendingTime',
    'StateUpdate',
    'TicketDynamicFieldUpdate',
    'WebRequestCustomer',
    'TicketLinkAdd',
    'TicketLinkDelete',
    'SystemRequest',
    'Merged',
    'ResponsibleUpdate',
    'Subscribe',
    'Unsubscribe',
    'TypeUpdate',
    'ServiceUpdate',
    'SLAUpdate',
    'ArchiveFlagUpdate',
    'EscalationSolutionTimeStop',
    'EscalationResponseTimeStart',
    'EscalationUpdateTimeStart',
    'EscalationSolutionTimeStart',
    'EscalationResponseTimeNotifyBefore',
    'EscalationUpdateTimeNotifyBefore',
    'EscalationSolutionTimeNotifyBefore',
    'EscalationResponseTimeStop',
    'EscalationUpdateTimeStop',
    'TitleUpdate',
];
export const LOCKS = ['unlock', 'lock', 'tmp_lock'];
export const TICKET_TYPES = ['Unclassified'];

/** The state type of a state name, as the default data (and sensible custom names) have it. */
export function stateTypeOf(state: string): string {
    const name = state.toLowerCase();
    if (name === 'new') return 'new';
    if (name.startsWith('closed')) return 'closed';
    if (name.startsWith('pending auto')) return 'pending auto';
    if (name.startsWith('pending')) return 'pending reminder';
    if (name === 'removed' || name === 'merged') return name;
    return 'open';
}

/** A name looked up by letter case as MySQL's collation does: exact first, else case-insensitive. */
export function findInsensitive(names: readonly string[], name: string): string | undefined {
    return names.find((candidate) => candidate === name) ?? names.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
}

/** 1-based ID of a name in a list (queues, states, priorities keep their configured order). */
export function idOf(names: readonly string[], name: string): number {
    return names.indexOf(name) + 1;
}
