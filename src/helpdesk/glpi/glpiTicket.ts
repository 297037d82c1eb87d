import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { GlpiSettings } from '../../../settings/HelpdeskSettings';
import { transientFailure } from '../../delivery/DeliveryFailure';
import { Transcript } from '../../transcript/Transcript';
import { parseDepartmentMap, targetFor } from '../departmentMap';
import { fillTemplate } from '../fillTemplate';
import { Conversation } from '../loadConversation';
import { GlpiClient, glpiFailure } from './GlpiClient';
import { GlpiProgress, GlpiWritten } from './GlpiProgress';
import { resolveRequester } from './glpiRequester';

export interface NewGlpiTicket {
    conversation: Conversation;
    transcript: Transcript;
    content: string;
    glpi: GlpiSettings;
    roomId: string;
    reader: IPersistenceRead;
    persis: IPersistence;
}

/**
 * The ticket an earlier attempt of this room created, if any: GLPI 10 has no external-id column, so
 * the search is on the content, which always holds the room id (the transcript header shows it);
 * each hit is read back and checked before it is trusted.
 */
async function findByRoomId(client: GlpiClient, roomId: string): Promise<string | undefined> {
    const query = `criteria[0][field]=21&criteria[0][searchtype]=contains&criteria[0][value]=${encodeURIComponent(roomId)}&forcedisplay[0]=2&range=0-49`;
    const result = await client.call<{ data?: Array<Record<string, unknown>> }>('get', `search/Ticket?${query}`);
    // A lookup that fails proves nothing: "not found" would create a second ticket. Fail the attempt (retrying a read is safe).
    if (!result.ok) throw transientFailure(`could not check whether the earlier ticket creation went through (GLPI answered ${result.error.code} ${result.error.message}); nothing is created again until it can`);
    for (const row of result.data?.data ?? []) {
        const id = row['2'];
        if (id === undefined) continue;
        const ticket = await client.call<{ content?: string }>('get', `Ticket/${String(id)}`);
        if (!ticket.ok) throw transientFailure(`could not read GLPI ticket ${String(id)} to check the earlier ticket creation (${ticket.error.code} ${ticket.error.message})`);
        if (typeof ticket.data?.content === 'string' && ticket.data.content.includes(roomId)) return String(id);
    }
    return undefined;
}

/**
 * One `POST Ticket`: title from glpi_title, the HTML transcript, entity from glpi_entity or the
 * requester's default entity, type, urgency, request type, category from the department, the
 * requester. The room id is in the content (the transcript header), which is how a retry finds it.
 */
export async function createGlpiTicket(client: GlpiClient, input: NewGlpiTicket, state: GlpiProgress, save: (state: GlpiProgress) => Promise<void>): Promise<GlpiWritten> {
    if (state.created) return state.created;
    const { glpi, roomId, transcript } = input;
    if (state.createSentAt) {
        const earlier = await findByRoomId(client, roomId);
        if (earlier) {
            state.created = { ticketId: earlier, action: 'created' };
            await save(state);
            return state.created;
        }
    }
    const requester = await resolveRequester(client, glpi, transcript.header.visitor, { reader: input.reader, persis: input.persis });
    if (requester) state.requester = { userId: requester.userId, how: requester.how };
    const department = input.conversation.room.department;
    const category = targetFor(parseDepartmentMap(glpi.departmentCategories), department ? { id: department.id, name: department.name } : undefined);
    const entity = glpi.entity || requester?.entityId;
    const name = fillTemplate(glpi.title, { visitor: transcript.header.visitor.name, topic: input.conversation.topic, department: transcript.header.department, room: roomId }) || `Livechat ${roomId}`;
    const ticket: Record<string, unknown> = {
        name,
        content: input.content,
        type: glpi.ticketType,
        urgency: glpi.urgency,
        ...(entity !== undefined && entity !== '' ? { entities_id: Number(entity) } : {}),
        ...(glpi.requestType ? { requesttypes_id: Number(glpi.requestType) } : {}),
        ...(category && /^\d+$/.test(category) ? { itilcategories_id: Number(category) } : {}),
        ...(requester ? { _users_id_requester: Number(requester.userId) } : {}),
    };
    state.createSentAt = state.createSentAt ?? new Date().toISOString();
    await save(state);
    const result = await client.call<{ id?: number }>('post', 'Ticket', { input: ticket });
    if (!result.ok) throw glpiFailure(result.error, 'GLPI refused the new ticket');
    const id = GlpiClient.createdId(result) ?? await findByRoomId(client, roomId);
    if (!id) throw glpiFailure({ status: result.status, code: 'NO_ID', message: 'GLPI created the ticket but gave neither an id nor a Location' }, 'GLPI answered oddly');
    state.created = { ticketId: id, action: 'created' };
    delete state.createSentAt;
    await save(state);
    return state.created;
}
