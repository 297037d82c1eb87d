import { transientFailure } from '../../delivery/DeliveryFailure';
import { OtrsClient, OtrsResult } from './OtrsClient';
import { OtrsTicketWritten } from './OtrsProgress';

interface SearchAnswer {
    TicketID?: Array<string | number>;
}

interface TicketGetAnswer {
    Ticket?: Array<{ TicketID?: string | number; TicketNumber?: string; Article?: Array<{ ArticleID?: string | number; Subject?: string }> }>;
}

/** OTRS's default SearchLimit: a full answer may leave tickets out, so nothing can be concluded from it. */
const MAX_CANDIDATES = 500;
/** How long after its sending a TicketCreate may still have created its ticket (the client's timeout, with room to spare). */
const CREATE_WINDOW_MS = 2 * 60 * 1000;
/** Clocks of Rocket.Chat and OTRS may differ: the search looks this much before the sending. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/**
 * A lookup that fails proves nothing: answering "not found" would write a second ticket or note.
 * The attempt fails instead (a retry is safe: the lookup only reads).
 */
function lookedUp<T>(answer: OtrsResult<T>, what: string): T {
    if (!answer.ok) {
        throw transientFailure(`could not check whether ${what} went through (OTRS answered ${answer.error.ErrorCode} ${answer.error.ErrorMessage}); nothing is written again until it can`);
    }
    return answer.data;
}

/**
 * Finds what this room already wrote when an earlier attempt's outcome is unknown. OTRS silently
 * drops search filters it cannot read and then answers with every ticket (contracts/otrs.md §5), so
 * no search answer is trusted: each candidate is read and its articles' Subject must hold the room id.
 */
async function firstMatching(client: OtrsClient, ids: Array<string | number>, roomId: string, articleQuery: Record<string, string>, what: string, ticketNumber?: string): Promise<OtrsTicketWritten | undefined> {
    for (const id of ids) {
        const answer = await client.get<TicketGetAnswer>(`/Ticket/${encodeURIComponent(String(id))}`, { AllArticles: '1', ...articleQuery });
        const ticket = lookedUp(answer, what).Ticket?.[0];
        if (!ticket || (ticketNumber !== undefined && String(ticket.TicketNumber) !== ticketNumber)) continue;
        const article = (ticket.Article ?? []).find((a) => typeof a.Subject === 'string' && a.Subject.includes(roomId));
        if (article) {
            return { ticketId: String(ticket.TicketID ?? id), ticketNumber: String(ticket.TicketNumber ?? ''), articleId: String(article.ArticleID ?? ''), action: 'created' };
        }
    }
    return undefined;
}

/**
 * The ticket a TicketCreate sent at `since` made, if it did: by customer, queue and a creation-time
 * window around the sending (many rooms may share a fallback customer, so the window is bounded on
 * both sides). A full answer cannot prove absence, so it fails the attempt rather than create again.
 */
export async function findCreatedTicket(client: OtrsClient, search: { customer: string; queue: string; roomId: string; since: string }): Promise<OtrsTicketWritten | undefined> {
    const sentAgoMs = Date.now() - Date.parse(search.since);
    const olderMinutes = Math.floor((sentAgoMs - CREATE_WINDOW_MS - CLOCK_SKEW_MS) / 60000);
    const what = 'the earlier TicketCreate';
    const answer = await client.get<SearchAnswer>('/Ticket', {
        CustomerUserLogin: search.customer,
        Queues: search.queue,
        TicketCreateTimeNewerMinutes: String(Math.ceil((sentAgoMs + CLOCK_SKEW_MS) / 60000)),
        ...(olderMinutes >= 1 ? { TicketCreateTimeOlderMinutes: String(olderMinutes) } : {}),
        SortBy: 'Age',
        OrderBy: 'Up',
        Limit: String(MAX_CANDIDATES),
    });
    const ids = lookedUp(answer, what).TicketID ?? [];
    const found = await firstMatching(client, ids, search.roomId, { ArticleLimit: '1' }, what);
    if (!found && ids.length >= MAX_CANDIDATES) {
        throw transientFailure(`could not check whether ${what} went through: ${ids.length} tickets of ${search.customer} in ${search.queue} around that time, none of them this room's among those OTRS returned; nothing is written again until it can be told`);
    }
    return found;
}

/** The note a TicketUpdate sent for this room added to the ticket `ticketNumber`, if it did. */
export async function findNote(client: OtrsClient, ticketNumber: string, roomId: string): Promise<OtrsTicketWritten | undefined> {
    const what = `the earlier note on ticket ${ticketNumber}`;
    const answer = await client.get<SearchAnswer>('/Ticket', { TicketNumber: ticketNumber, Limit: '1' });
    const ids = lookedUp(answer, what).TicketID ?? [];
    const found = await firstMatching(client, ids, roomId, { ArticleOrder: 'DESC', ArticleLimit: '20' }, what, ticketNumber);
    return found ? { ...found, action: 'noted' } : undefined;
}
