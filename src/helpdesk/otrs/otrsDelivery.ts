import { readHelpdeskSettings } from '../../../settings/HelpdeskSettings';
import { DeliveryHandler } from '../../delivery/DeliveryHandler';
import { permanentFailure } from '../../delivery/DeliveryFailure';
import { siteUrl } from '../../lib/siteUrl';
import { buildTranscript } from '../../transcript/buildTranscript';
import { loadConversation } from '../loadConversation';
import { ticketReferences } from '../references';
import { buildArticle } from './otrsArticle';
import { collectAttachments } from './otrsAttachments';
import { OtrsClient } from './OtrsClient';
import { addNotes } from './otrsNotes';
import { createTicket } from './otrsTicket';
import { OtrsProgress, OtrsTicketWritten } from './OtrsProgress';

export const OTRS_KIND = 'helpdesk.otrs';

/**
 * A closed room into OTRS: a note (one PATCH) on each ticket named as `#<number>`, or one new
 * ticket (one POST). Progress is saved after each write, so a retry never writes twice.
 */
export const deliverToOtrs: DeliveryHandler = async ({ payload, progress, saveProgress }, acc) => {
    const roomId = String(payload.roomId ?? '');
    const settings = await readHelpdeskSettings(acc.read);
    const otrs = settings.otrs;
    if (!/^https?:\/\//i.test(otrs.url) || !otrs.user || !otrs.password) {
        throw permanentFailure('OTRS is not configured: set otrs_url, otrs_user and otrs_password');
    }
    const conversation = await loadConversation(acc.read, roomId);
    const transcript = buildTranscript(conversation.room as never, conversation.messages as never, { siteUrl: await siteUrl(acc.read) });
    const article = buildArticle(transcript, otrs, settings.transcript);
    const files = otrs.attachFiles ? await collectAttachments(acc.read, conversation.messages, otrs.attachmentMaxKb, acc.logger) : [];
    const extra = files.length ? { Attachment: files } : {};
    const client = new OtrsClient(acc.http, otrs);
    const state: OtrsProgress = { notes: {}, refused: {}, ...(progress as Partial<OtrsProgress> | undefined) };
    const save = (next: OtrsProgress) => saveProgress(next as unknown as Record<string, unknown>);

    const references = ticketReferences(conversation.topic, conversation.tags, settings.refsFrom);
    await addNotes(client, references, { article, extra }, roomId, state, save);

    const written: OtrsTicketWritten[] = Object.values(state.notes);
    const refusedAll = references.length > 0 && written.length === 0;
    if (references.length === 0 || (refusedAll && otrs.newTicketWhenRefsFail)) {
        written.push(await createTicket(client, { conversation, transcript, article, extra, otrs, roomId, emojiShortcodes: settings.transcript.emojiShortcodes }, state, save));
    }
    return {
        helpdesk: 'otrs',
        tickets: written,
        ...(Object.keys(state.refused).length ? { refusedReferences: state.refused } : {}),
    };
};
