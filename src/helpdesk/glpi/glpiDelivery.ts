import { readHelpdeskSettings } from '../../../settings/HelpdeskSettings';
import { DeliveryHandler } from '../../delivery/DeliveryHandler';
import { permanentFailure } from '../../delivery/DeliveryFailure';
import { siteUrl } from '../../lib/siteUrl';
import { buildTranscript } from '../../transcript/buildTranscript';
import { renderHtml } from '../../transcript/render';
import { loadConversation } from '../loadConversation';
import { ticketReferences } from '../references';
import { GlpiClient } from './GlpiClient';
import { addFollowups } from './glpiFollowups';
import { GlpiProgress } from './GlpiProgress';
import { createGlpiTicket } from './glpiTicket';

export const GLPI_KIND = 'helpdesk.glpi';

/**
 * A closed room into GLPI: a follow-up (one POST) on each referenced ticket, or one new ticket
 * whose requester is the visitor. Every write is checkpointed on the delivery record.
 */
export const deliverToGlpi: DeliveryHandler = async ({ payload, progress, saveProgress }, acc) => {
    const roomId = String(payload.roomId ?? '');
    const settings = await readHelpdeskSettings(acc.read);
    const glpi = settings.glpi;
    if (!/^https?:\/\/\S+\/apirest\.php$/i.test(glpi.url) || !glpi.userToken) {
        throw permanentFailure('GLPI is not configured: set glpi_url (ending in apirest.php) and glpi_user_token');
    }
    const conversation = await loadConversation(acc.read, roomId);
    const transcript = buildTranscript(conversation.room as never, conversation.messages as never, { siteUrl: await siteUrl(acc.read) });
    // Real HTML, chat text escaped once by the renderer. Never pre-escaped for GLPI: 9.5/10 encode it
    // for storage themselves, 11 stores it as sent; either way it displays as written.
    const content = renderHtml(transcript, { timeZone: settings.transcript.timeZone, locale: settings.transcript.locale, emojiShortcodes: settings.transcript.emojiShortcodes });
    const client = new GlpiClient(acc.http, glpi, acc.read.getPersistenceReader(), acc.persis);
    const state: GlpiProgress = { followups: {}, refused: {}, closed: {}, ...(progress as Partial<GlpiProgress> | undefined) };
    const save = (next: GlpiProgress) => saveProgress(next as unknown as Record<string, unknown>);

    const references = ticketReferences(conversation.topic, conversation.tags, settings.refsFrom);
    await addFollowups(client, glpi, references, content, roomId, state, save);

    const tickets = Object.values(state.followups);
    const needsTicket = references.length === 0 || tickets.length === 0 || Object.keys(state.closed).length > 0;
    if (needsTicket) {
        tickets.push(await createGlpiTicket(client, { conversation, transcript, content, glpi, roomId, persis: acc.persis, reader: acc.read.getPersistenceReader() }, state, save));
    }
    return {
        helpdesk: 'glpi',
        tickets,
        ...(state.requester ? { requester: state.requester } : {}),
        ...(Object.keys(state.refused).length ? { refusedReferences: state.refused } : {}),
        ...(Object.keys(state.closed).length ? { closedReferences: state.closed } : {}),
        initSessions: client.initSessions,
    };
};
