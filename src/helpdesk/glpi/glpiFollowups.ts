import { GlpiSettings } from '../../../settings/HelpdeskSettings';
import { GlpiClient, glpiFailure } from './GlpiClient';
import { GlpiProgress } from './GlpiProgress';

const SOLVED = 5;
const CLOSED = 6;

interface FollowupRow {
    id?: number | string;
    content?: string;
}

/** Did an earlier attempt's follow-up reach the ticket? Its content holds the room id (the transcript header shows it). */
async function earlierFollowup(client: GlpiClient, ticketId: string, roomId: string): Promise<string | undefined> {
    const result = await client.call<FollowupRow[]>('get', `Ticket/${ticketId}/ITILFollowup?range=0-999`);
    const rows = result.ok && Array.isArray(result.data) ? result.data : [];
    const row = rows.find((r) => typeof r.content === 'string' && r.content.includes(roomId));
    return row?.id === undefined ? undefined : String(row.id);
}

/**
 * One `POST ITILFollowup` per referenced ticket. A ticket GLPI does not know (or does not show this
 * user) is recorded and skipped; a solved or closed one follows glpi_closed_ticket.
 */
export async function addFollowups(client: GlpiClient, glpi: GlpiSettings, references: string[], content: string, roomId: string,
    state: GlpiProgress, save: (state: GlpiProgress) => Promise<void>): Promise<void> {
    for (const id of references) {
        if (state.followups[id] || state.refused[id] || state.closed[id]) continue;
        if (state.followupInFlight === id) {
            const earlier = await earlierFollowup(client, id, roomId);
            if (earlier) {
                state.followups[id] = { ticketId: id, followupId: earlier, action: 'followup' };
                delete state.followupInFlight;
                await save(state);
                continue;
            }
        }
        const ticket = await client.call<{ status?: number | string }>('get', `Ticket/${id}`);
        if (!ticket.ok) {
            if (ticket.error.code === 'ERROR_ITEM_NOT_FOUND' || ticket.error.code === 'ERROR_RIGHT_MISSING' || ticket.error.status === 404) {
                state.refused[id] = `${ticket.error.code} ${ticket.error.message.replace(/; view documentation.*$/, '')}`;
                await save(state);
                continue;
            }
            throw glpiFailure(ticket.error, `GLPI could not read ticket ${id}`);
        }
        const status = Number(ticket.data?.status);
        if ((status === SOLVED || status === CLOSED) && glpi.closedTicket === 'new_ticket') {
            state.closed[id] = status === SOLVED ? 'solved' : 'closed';
            await save(state);
            continue;
        }
        state.followupInFlight = id;
        await save(state);
        const result = await client.call<{ id?: number }>('post', 'ITILFollowup', {
            input: {
                itemtype: 'Ticket',
                items_id: Number(id),
                content,
                is_private: glpi.followupPrivate ? 1 : 0,
                ...(glpi.requestType ? { requesttypes_id: Number(glpi.requestType) } : {}),
            },
        });
        if (!result.ok) {
            if ((status === SOLVED || status === CLOSED) && result.error.code === 'ERROR_GLPI_ADD') {
                // glpi_closed_ticket = followup, but GLPI does not take follow-ups on this ticket: a new one it is.
                state.closed[id] = `${status === SOLVED ? 'solved' : 'closed'}; GLPI refused the follow-up`;
                delete state.followupInFlight;
                await save(state);
                continue;
            }
            throw glpiFailure(result.error, `GLPI refused the follow-up on ticket ${id}`);
        }
        state.followups[id] = { ticketId: id, followupId: GlpiClient.createdId(result), action: 'followup' };
        delete state.followupInFlight;
        await save(state);
    }
}
