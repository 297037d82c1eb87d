import { OtrsClient } from './OtrsClient';
import { OtrsTicketWritten } from './OtrsProgress';

interface SearchAnswer {
    TicketID?: Array<string | number>;
}

interface TicketGetAnswer {
    Ticket?: Array<{ TicketID?: string | number; TicketNumber?: string; Article?: Array<{ ArticleID?: string | number; Subject?: string }> }>;
}

const MAX_CANDIDATES = 50;

/**
 * Finds what this room already wrote when an earlier attempt's outcome is unknown. OTRS silently
 * drops search filters it cannot read and then answers with every ticket (contracts/otrs.md §5), so
 * no search answer is trusted: each candidate is read and its articles' Subject must hold the room id.
 */
async function firstMatching(client: OtrsClient, ids: Array<string | number>, roomId: string, articleQuery: Record<string, string>, ticketNumber?: string): Promise<OtrsTicketWritten | undefined> {
    for (const id of ids.slice(0, MAX_CANDIDATES)) {
        const answer = await client.get<TicketGetAnswer>(`/Ticket/${encodeURIComponent(String(id))}`, { AllArticles: '1', ...articleQuery });
        const ticket = answer.ok ? answer.data.Ticket?.[0] : undefined;
        if (!ticket || (ticketNumber !== undefined && String(ticket.TicketNumber) !== ticketNumber)) continue;
        const article = (ticket.Article ?? []).find((a) => typeof a.Subject === 'string' && a.Subject.includes(roomId));
        if (article) {
            return { ticketId: String(ticket.TicketID ?? id), ticketNumber: String(ticket.TicketNumber ?? ''), articleId: String(article.ArticleID ?? ''), action: 'created' };
        }
    }
    return undefined;
}

/** The ticket a TicketCreate sent at `since` made, if it did: by customer, queue and creation time. */
export async function findCreatedTicket(client: OtrsClient, search: { customer: string; queue: string; roomId: string; since: string }): Promise<OtrsTicketWritten | undefined> {
    const minutes = Math.ceil((Date.now() - Date.parse(search.since)) / 60000) + 10;
    const answer = await client.get<SearchAnswer>('/Ticket', {
        CustomerUserLogin: search.customer,
        Queues: search.queue,
        TicketCreateTimeNewerMinutes: String(minutes),
        SortBy: 'Age',
        OrderBy: 'Up',
        Limit: String(MAX_CANDIDATES),
    });
    const ids = answer.ok ? answer.data.TicketID ?? [] : [];
    return firstMatching(client, ids, search.roomId, { ArticleLimit: '1' });
}

/** The note a TicketUpdate sent for this room added to the ticket `ticketNumber`, if it did. */
export async function findNote(client: OtrsClient, ticketNumber: string, roomId: string): Promise<OtrsTicketWritten | undefined> {
    const answer = await client.get<SearchAnswer>('/Ticket', { TicketNumber: ticketNumber, Limit: String(MAX_CANDIDATES) });
    const ids = answer.ok ? answer.data.TicketID ?? [] : [];
    const found = await firstMatching(client, ids, roomId, { ArticleOrder: 'DESC', ArticleLimit: '20' }, ticketNumber);
    return found ? { ...found, action: 'noted' } : undefined;
}
