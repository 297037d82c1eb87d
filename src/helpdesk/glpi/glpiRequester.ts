import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { GlpiSettings } from '../../../settings/HelpdeskSettings';
import { permanentFailure } from '../../delivery/DeliveryFailure';
import { misc, putRecord, readRecord } from '../../lib/records';
import { GlpiClient, glpiFailure } from './GlpiClient';

export interface Requester {
    userId: string;
    /** The user's default entity: where its tickets go unless glpi_entity says otherwise. */
    entityId?: string;
    how: 'phone' | 'email' | 'created' | 'fallback' | 'cached';
}

export interface VisitorContact {
    token?: string;
    name: string;
    email?: string;
    phone?: string;
}

interface SearchAnswer {
    totalcount?: number;
    data?: Array<Record<string, unknown>>;
}

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '');

/** Phones are free text in GLPI: equal when the digits of one end with the other's (8 digits at least). */
export function samePhone(a: unknown, b: unknown): boolean {
    const x = digits(a);
    const y = digits(b);
    const shorter = x.length <= y.length ? x : y;
    const longer = x.length <= y.length ? y : x;
    return shorter.length >= 8 && longer.endsWith(shorter);
}

function query(criteria: Array<{ field: number; value: string; link?: string }>, display: number[]): string {
    const parts: string[] = [];
    criteria.forEach((c, i) => {
        if (c.link) parts.push(`criteria[${i}][link]=${c.link}`);
        parts.push(`criteria[${i}][field]=${c.field}`, `criteria[${i}][searchtype]=contains`, `criteria[${i}][value]=${encodeURIComponent(c.value)}`);
    });
    display.forEach((id, i) => parts.push(`forcedisplay[${i}]=${id}`));
    parts.push('range=0-199');
    return parts.join('&');
}

const cacheKey = (token: string) => [misc(`tb-glpi-requester:${token}`)];

/**
 * The GLPI user a visitor's tickets belong to (contracts/glpi.md §1.10, §3): by phone (a tail of
 * the digits searched in phone, mobile and phone2, then checked digit by digit), then by e-mail,
 * else created (lookup_create) or the fallback user (lookup_fallback). Cached per visitor, so a
 * returning visitor costs no search.
 */
export async function resolveRequester(client: GlpiClient, settings: GlpiSettings, visitor: VisitorContact,
    store: { reader: IPersistenceRead; persis: IPersistence }): Promise<Requester | undefined> {
    if (settings.requester === 'none') return undefined;
    if (visitor.token) {
        const cached = await readRecord<Requester>(store.reader, cacheKey(visitor.token));
        if (cached?.userId) return { ...cached, how: 'cached' };
    }
    const found = await findByPhone(client, visitor.phone) ?? await findByEmail(client, visitor.email);
    let requester: Requester | undefined = found;
    if (!requester && settings.requester === 'lookup_create') {
        requester = await createUser(client, settings, visitor);
    }
    if (!requester) {
        if (!settings.fallbackUser) {
            throw permanentFailure('the visitor is not a GLPI user and glpi_fallback_user is empty (glpi_requester = lookup_fallback)');
        }
        return { userId: settings.fallbackUser, how: 'fallback' };
    }
    if (requester.entityId === undefined) {
        const user = await client.call<{ entities_id?: number | string }>('get', `User/${requester.userId}`);
        if (user.ok && user.data?.entities_id !== undefined) requester.entityId = String(user.data.entities_id);
    }
    if (visitor.token) {
        await putRecord(store.persis, cacheKey(visitor.token), requester);
    }
    return requester;
}

async function findByPhone(client: GlpiClient, phone: string | undefined): Promise<Requester | undefined> {
    const all = digits(phone);
    if (all.length < 8) return undefined;
    // GLPI's `contains` is a substring match on the phone as typed ("+55 (11) 99999-0000"): only a
    // short tail survives any formatting. Candidates are then checked digit by digit.
    const tail = all.slice(-4);
    const result = await client.call<SearchAnswer>('get', `search/User?${query([
        { field: 6, value: tail }, { field: 11, value: tail, link: 'OR' }, { field: 10, value: tail, link: 'OR' },
    ], [2, 6, 11, 10])}`);
    if (!result.ok) throw glpiFailure(result.error, 'GLPI user search by phone failed');
    const row = (result.data?.data ?? []).find((r) => samePhone(r['6'], all) || samePhone(r['11'], all) || samePhone(r['10'], all));
    return row && row['2'] !== undefined ? { userId: String(row['2']), how: 'phone' } : undefined;
}

async function findByEmail(client: GlpiClient, email: string | undefined): Promise<Requester | undefined> {
    if (!email) return undefined;
    const result = await client.call<SearchAnswer>('get', `search/User?${query([{ field: 5, value: `^${email}$` }], [2, 5])}`);
    if (!result.ok) throw glpiFailure(result.error, 'GLPI user search by e-mail failed');
    const wanted = email.toLowerCase();
    const row = (result.data?.data ?? []).find((r) => String(r['5'] ?? '').toLowerCase().split(/[\s,;]+|\$\$##\$\$/).includes(wanted));
    return row && row['2'] !== undefined ? { userId: String(row['2']), how: 'email' } : undefined;
}

async function createUser(client: GlpiClient, settings: GlpiSettings, visitor: VisitorContact): Promise<Requester | undefined> {
    const phoneDigits = digits(visitor.phone);
    const login = visitor.email || (phoneDigits ? `wa_${phoneDigits}` : undefined);
    if (!login) return undefined;
    const [firstname, ...rest] = visitor.name.trim().split(/\s+/);
    const input: Record<string, unknown> = {
        name: login,
        firstname: firstname || visitor.name,
        realname: rest.join(' ') || firstname || visitor.name,
        ...(visitor.phone ? { mobile: visitor.phone } : {}),
        ...(visitor.email ? { _useremails: [visitor.email], _default_email: 0 } : {}),
        ...(settings.entity ? { entities_id: Number(settings.entity), _entities_id: Number(settings.entity) } : {}),
    };
    const result = await client.call<{ id?: number }>('post', 'User', { input });
    if (!result.ok) throw glpiFailure(result.error, `GLPI refused to create the user ${login}`);
    const id = GlpiClient.createdId(result);
    return id ? { userId: id, how: 'created', ...(settings.entity ? { entityId: settings.entity } : {}) } : undefined;
}
