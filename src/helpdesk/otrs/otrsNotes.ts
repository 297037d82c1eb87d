import { OtrsClient, otrsConfigurationFailure } from './OtrsClient';
import { findNote } from './otrsLookup';
import { OtrsProgress } from './OtrsProgress';

interface UpdateAnswer {
    TicketID?: string | number;
    TicketNumber?: string;
    ArticleID?: string | number;
}

/**
 * One TicketUpdate per referenced ticket, by number (`PATCH /Ticket/0` with `TicketNumber`: no
 * search first, contracts/otrs.md §4). A ticket OTRS refuses (unknown number or no permission, which
 * OTRS cannot tell apart) is recorded and the others still go. Credentials or article fields OTRS
 * refuses fail the delivery: no other ticket would take them either.
 */
export async function addNotes(client: OtrsClient, references: string[], content: { article: Record<string, unknown>; extra: Record<string, unknown> }, roomId: string,
    state: OtrsProgress, save: (state: OtrsProgress) => Promise<void>): Promise<void> {
    for (const ticketNumber of references) {
        if (state.notes[ticketNumber] || state.refused[ticketNumber]) continue;
        if (state.noteInFlight === ticketNumber) {
            const earlier = await findNote(client, ticketNumber, roomId);
            if (earlier) {
                state.notes[ticketNumber] = earlier;
                delete state.noteInFlight;
                await save(state);
                continue;
            }
        }
        state.noteInFlight = ticketNumber;
        await save(state);
        const answer = await client.patch<UpdateAnswer>('/Ticket/0', { TicketNumber: ticketNumber, Article: content.article, ...content.extra });
        if (answer.ok) {
            state.notes[ticketNumber] = {
                ticketNumber: String(answer.data.TicketNumber ?? ticketNumber),
                ticketId: String(answer.data.TicketID ?? ''),
                articleId: answer.data.ArticleID === undefined ? undefined : String(answer.data.ArticleID),
                action: 'noted',
            };
        } else if (answer.error.ErrorCode.endsWith('.AccessDenied')) {
            state.refused[ticketNumber] = `${answer.error.ErrorCode} ${answer.error.ErrorMessage}`;
        } else {
            throw otrsConfigurationFailure(answer.error, `OTRS refused the note on ticket ${ticketNumber}`);
        }
        delete state.noteInFlight;
        await save(state);
    }
}
