import { OtrsSettings } from '../../../settings/HelpdeskSettings';
import { isDeliveryFailure, permanentFailure } from '../../delivery/DeliveryFailure';
import { emojiToShortcodes } from '../../lib/emoji/emoji';
import { Transcript } from '../../transcript/Transcript';
import { parseDepartmentMap, targetFor } from '../departmentMap';
import { fillTemplate } from '../fillTemplate';
import { Conversation } from '../loadConversation';
import { OtrsClient, otrsConfigurationFailure } from './OtrsClient';
import { findCreatedTicket } from './otrsLookup';
import { OtrsProgress, OtrsTicketWritten } from './OtrsProgress';

interface CreateAnswer {
    TicketID?: string | number;
    TicketNumber?: string;
    ArticleID?: string | number;
}

export interface NewTicketInput {
    conversation: Conversation;
    transcript: Transcript;
    article: Record<string, unknown>;
    /** Top-level fields that go with the article (the files). */
    extra: Record<string, unknown>;
    otrs: OtrsSettings;
    roomId: string;
    emojiShortcodes: boolean;
}

/** OTRS's title column holds 255 characters; it cuts longer ones itself, but a clean cut reads better. */
const TITLE_MAX = 255;

/**
 * One TicketCreate. If an earlier attempt's outcome is unknown (timeout, connection cut after
 * sending), the ticket it may have made is looked up first, so a room never makes two tickets.
 */
export async function createTicket(client: OtrsClient, input: NewTicketInput, state: OtrsProgress, save: (state: OtrsProgress) => Promise<void>): Promise<OtrsTicketWritten> {
    if (state.created) {
        return state.created;
    }
    const { otrs, roomId, transcript } = input;
    const department = input.conversation.room.department;
    const queue = targetFor(parseDepartmentMap(otrs.departmentQueues), department ? { id: department.id, name: department.name } : undefined) ?? otrs.defaultQueue;
    if (!queue) {
        throw permanentFailure('no OTRS queue for this room: set otrs_default_queue or map its department in otrs_department_queues');
    }
    const customer = transcript.header.visitor.email || otrs.customerFallback;
    if (!customer) {
        throw permanentFailure('the visitor has no e-mail and otrs_customer_fallback is empty: OTRS requires a CustomerUser');
    }
    if (state.createSentAt) {
        const earlier = await findCreatedTicket(client, { customer, queue, roomId, since: state.createSentAt });
        if (earlier) {
            state.created = earlier;
            await save(state);
            return earlier;
        }
    }

    const rawTitle = fillTemplate(otrs.title, {
        visitor: transcript.header.visitor.name,
        topic: input.conversation.topic,
        department: transcript.header.department,
        room: roomId,
    }) || `Livechat ${roomId}`;
    const title = (input.emojiShortcodes ? emojiToShortcodes(rawTitle) : rawTitle).slice(0, TITLE_MAX);
    const body: Record<string, unknown> = {
        Ticket: { Title: title, Queue: queue, State: otrs.state, Priority: otrs.priority, CustomerUser: customer },
        Article: input.article,
        ...input.extra,
    };
    if (otrs.roomField) {
        body.DynamicField = { Name: otrs.roomField, Value: roomId };
    }

    state.createSentAt = state.createSentAt ?? new Date().toISOString();
    await save(state);
    let answer;
    try {
        answer = await client.post<CreateAnswer>('/Ticket', body);
    } catch (error) {
        await explainRepeated500(client, error, queue, state, save);
        throw error;
    }
    if (!answer.ok) {
        throw otrsConfigurationFailure(answer.error, 'OTRS refused the new ticket');
    }
    const written: OtrsTicketWritten = {
        ticketNumber: String(answer.data.TicketNumber ?? ''),
        ticketId: String(answer.data.TicketID ?? ''),
        articleId: answer.data.ArticleID === undefined ? undefined : String(answer.data.ArticleID),
        action: 'created',
    };
    state.created = written;
    delete state.createSentAt;
    await save(state);
    return written;
}

/**
 * A queue name in the wrong letter case passes OTRS's validation and then fails the create with
 * HTTP 500, which looks transient (contracts/otrs.md §7). Two 500s in a row while OTRS answers a
 * search fine are a configuration error, reported as such instead of retried for hours.
 */
async function explainRepeated500(client: OtrsClient, error: unknown, queue: string, state: OtrsProgress, save: (state: OtrsProgress) => Promise<void>): Promise<void> {
    if (!isDeliveryFailure(error) || !/OTRS answered 500/.test(error.message)) {
        return;
    }
    state.create500s = (state.create500s ?? 0) + 1;
    await save(state);
    if (state.create500s < 2) {
        return;
    }
    const probe = await client.get<Record<string, unknown>>('/Ticket', { Limit: '1' }).catch(() => undefined);
    if (probe && probe.ok) {
        throw permanentFailure(`OTRS fails to create the ticket (HTTP 500, ${state.create500s} times) while its API works: `
            + `check that the queue "${queue}" exists with exactly this letter case (otrs_default_queue, otrs_department_queues), `
            + `and that otrs_state and otrs_priority name existing values`);
    }
}
