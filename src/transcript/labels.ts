/**
 * Every word a rendered transcript shows that is not chat text: header labels, role names and the
 * short notes for system events, in Brazilian Portuguese (first-class), English and Spanish.
 * The transcript itself stays language-neutral (system entries carry their Rocket.Chat type); the
 * renderers pick the labels here.
 */
import { EntryRole, TranscriptEntry } from './Transcript';

export type TranscriptLocale = 'pt-BR' | 'en' | 'es';

export const SUPPORTED_LOCALES: ReadonlyArray<TranscriptLocale> = ['pt-BR', 'en', 'es'];

export interface TranscriptLabels {
    locale: TranscriptLocale;
    /** Header. */
    chatId: string;
    visitor: string;
    email: string;
    phone: string;
    department: string;
    agents: string;
    startedAt: string;
    closedAt: string;
    closedBy: string;
    closeComment: string;
    topic: string;
    tags: string;
    customFields: string;
    /** Title above the entries, and what stands in for them in an empty room. */
    conversation: string;
    noMessages: string;
    /** Role names, shown after the sender name: `Ana (atendente): ...`. */
    roles: Record<EntryRole, string>;
    /** Capitalised role names for "Closed by": `Atendente Ana`, `Visitante`. */
    closedByAgent: string;
    closedByVisitor: string;
    closedByBot: string;
    /** Title of an attachment that has none. */
    attachment: string;
    /** System notes. */
    notes: {
        closed: string;
        started: string;
        transferred: string;
        /** Followed by the agent or department: "Conversa transferida para Maria". */
        transferredTo: string;
        /** Followed by the page: "Visitou Preços - https://...". */
        visited: string;
        videoCall: string;
        onHold: string;
        resumed: string;
        joined: string;
        left: string;
        transcriptRequested: string;
        priorityChanged: string;
        slaChanged: string;
        /** Any other system message: "Evento do sistema (command)". */
        systemEvent: string;
    };
}

const PT_BR: TranscriptLabels = {
    locale: 'pt-BR',
    chatId: 'ID da conversa',
    visitor: 'Visitante',
    email: 'E-mail',
    phone: 'Telefone',
    department: 'Departamento',
    agents: 'Atendente(s)',
    startedAt: 'Iniciado em',
    closedAt: 'Encerrado em',
    closedBy: 'Encerrado por',
    closeComment: 'Comentário de encerramento',
    topic: 'Assunto',
    tags: 'Etiquetas',
    customFields: 'Campos personalizados',
    conversation: 'Conversa',
    noMessages: '(nenhuma mensagem)',
    roles: { visitor: 'visitante', agent: 'atendente', bot: 'bot', system: 'sistema' },
    closedByAgent: 'Atendente',
    closedByVisitor: 'Visitante',
    closedByBot: 'Bot',
    attachment: 'Anexo',
    notes: {
        closed: 'Conversa encerrada',
        started: 'Conversa iniciada',
        transferred: 'Conversa transferida',
        transferredTo: 'Conversa transferida para',
        visited: 'Visitou',
        videoCall: 'Chamada de vídeo',
        onHold: 'Conversa colocada em espera',
        resumed: 'Conversa retomada',
        joined: 'Entrou na sala',
        left: 'Saiu da sala',
        transcriptRequested: 'Transcrição solicitada',
        priorityChanged: 'Prioridade alterada',
        slaChanged: 'SLA alterado',
        systemEvent: 'Evento do sistema',
    },
};

const EN: TranscriptLabels = {
    locale: 'en',
    chatId: 'Chat ID',
    visitor: 'Visitor',
    email: 'E-mail',
    phone: 'Phone',
    department: 'Department',
    agents: 'Agent(s)',
    startedAt: 'Started at',
    closedAt: 'Closed at',
    closedBy: 'Closed by',
    closeComment: 'Closing comment',
    topic: 'Topic',
    tags: 'Tags',
    customFields: 'Custom fields',
    conversation: 'Conversation',
    noMessages: '(no messages)',
    roles: { visitor: 'visitor', agent: 'agent', bot: 'bot', system: 'system' },
    closedByAgent: 'Agent',
    closedByVisitor: 'Visitor',
    closedByBot: 'Bot',
    attachment: 'Attachment',
    notes: {
        closed: 'Chat closed',
        started: 'Chat started',
        transferred: 'Chat transferred',
        transferredTo: 'Chat transferred to',
        visited: 'Visited',
        videoCall: 'Video call',
        onHold: 'Chat placed on hold',
        resumed: 'Chat resumed',
        joined: 'Joined the room',
        left: 'Left the room',
        transcriptRequested: 'Transcript requested',
        priorityChanged: 'Priority changed',
        slaChanged: 'SLA changed',
        systemEvent: 'System event',
    },
};

const ES: TranscriptLabels = {
    locale: 'es',
    chatId: 'ID de la conversación',
    visitor: 'Visitante',
    email: 'Correo electrónico',
    phone: 'Teléfono',
    department: 'Departamento',
    agents: 'Agente(s)',
    startedAt: 'Iniciada el',
    closedAt: 'Cerrada el',
    closedBy: 'Cerrada por',
    closeComment: 'Comentario de cierre',
    topic: 'Asunto',
    tags: 'Etiquetas',
    customFields: 'Campos personalizados',
    conversation: 'Conversación',
    noMessages: '(sin mensajes)',
    roles: { visitor: 'visitante', agent: 'agente', bot: 'bot', system: 'sistema' },
    closedByAgent: 'Agente',
    closedByVisitor: 'Visitante',
    closedByBot: 'Bot',
    attachment: 'Adjunto',
    notes: {
        closed: 'Conversación cerrada',
        started: 'Conversación iniciada',
        transferred: 'Conversación transferida',
        transferredTo: 'Conversación transferida a',
        visited: 'Visitó',
        videoCall: 'Videollamada',
        onHold: 'Conversación puesta en espera',
        resumed: 'Conversación reanudada',
        joined: 'Se unió a la sala',
        left: 'Salió de la sala',
        transcriptRequested: 'Transcripción solicitada',
        priorityChanged: 'Prioridad cambiada',
        slaChanged: 'SLA cambiado',
        systemEvent: 'Evento del sistema',
    },
};

const BY_LOCALE: Record<TranscriptLocale, TranscriptLabels> = { 'pt-BR': PT_BR, en: EN, es: ES };
const BY_LANGUAGE: Record<string, TranscriptLocale> = { pt: 'pt-BR', en: 'en', es: 'es' };

/**
 * The supported locale for a setting value: exact match first (case and `_`/`-` insensitive), then
 * the language prefix (`pt` and `pt-PT` -> pt-BR, `es-MX` -> es, `en-GB` -> en); anything else -> en.
 */
export function resolveLocale(locale: string | undefined): TranscriptLocale {
    const wanted = (locale ?? '').trim().replace(/_/g, '-').toLowerCase();
    for (let i = 0; i < SUPPORTED_LOCALES.length; i++) {
        if (SUPPORTED_LOCALES[i].toLowerCase() === wanted) return SUPPORTED_LOCALES[i];
    }
    const language = wanted.split('-')[0];
    return Object.prototype.hasOwnProperty.call(BY_LANGUAGE, language) ? BY_LANGUAGE[language] : 'en';
}

export function getLabels(locale: string | undefined): TranscriptLabels {
    return BY_LOCALE[resolveLocale(locale)];
}

/** System types whose message text adds nothing to the note (it is in the header, or it is a username). */
const TEXT_NOT_SHOWN = new Set(['livechat-close', 'livechat-started', 'uj', 'ul', 'ujt', 'ult']);

/**
 * The note of a system entry, in the labels' language: the readable text of its type, then its
 * detail when it adds something ("Visitou Preços - https://...", "Conversa transferida para Maria:
 * <comment>", "Evento do sistema (command): /help"). Not escaped: renderers escape.
 */
export function describeSystemEntry(
    labels: TranscriptLabels,
    entry: Pick<TranscriptEntry, 'systemType' | 'text' | 'transferredTo'>,
): string {
    const type = entry.systemType ?? '';
    const text = entry.text.trim();
    const n = labels.notes;
    let note: string;
    switch (type) {
        case 'livechat-close':
            note = n.closed;
            break;
        case 'livechat-started':
            note = n.started;
            break;
        case 'livechat_transfer_history':
            note = entry.transferredTo ? `${n.transferredTo} ${entry.transferredTo}` : n.transferred;
            break;
        case 'livechat_navigation_history':
            return text ? `${n.visited} ${text}` : n.visited;
        case 'livechat_video_call':
        case 'livechat_webrtc_video_call':
            note = n.videoCall;
            break;
        case 'omnichannel_placed_chat_on_hold':
            note = n.onHold;
            break;
        case 'omnichannel_on_hold_chat_resumed':
            note = n.resumed;
            break;
        case 'uj':
        case 'ujt':
            note = n.joined;
            break;
        case 'ul':
        case 'ult':
            note = n.left;
            break;
        case 'livechat_transcript_history':
            note = n.transcriptRequested;
            break;
        case 'omnichannel_priority_change_history':
            note = n.priorityChanged;
            break;
        case 'omnichannel_sla_change_history':
            note = n.slaChanged;
            break;
        default:
            note = type ? `${n.systemEvent} (${type})` : n.systemEvent;
    }
    return text && !TEXT_NOT_SHOWN.has(type) ? `${note}: ${text}` : note;
}
