import { OtrsSettings, TranscriptSettings } from '../../../settings/HelpdeskSettings';
import { emojiToShortcodes } from '../../lib/emoji/emoji';
import { renderHtml, renderText } from '../../transcript/render';
import { Transcript } from '../../transcript/Transcript';

const SUBJECT_WORDS: Record<string, string> = {
    'pt-BR': 'Transcrição do Livechat',
    es: 'Transcripción del Livechat',
    en: 'Livechat transcript',
};

/**
 * The article's Subject carries the room id: it is how a retry after an unknown outcome finds the
 * ticket or note the room already made (OTRS drops search filters it cannot read, §5).
 */
export function articleSubject(roomId: string, locale: string): string {
    const words = SUBJECT_WORDS[locale] ?? SUBJECT_WORDS[locale.split('-')[0]] ?? SUBJECT_WORDS.en;
    return `${words} - room ${roomId}`;
}

/** One Article object (TicketCreate and TicketUpdate accept a single one everywhere). */
export function buildArticle(transcript: Transcript, otrs: OtrsSettings, options: TranscriptSettings): Record<string, unknown> {
    const html = options.format === 'html';
    const renderOptions = { timeZone: options.timeZone, locale: options.locale, emojiShortcodes: options.emojiShortcodes };
    const subject = articleSubject(transcript.header.roomId, options.locale);
    const article: Record<string, unknown> = {
        Subject: options.emojiShortcodes ? emojiToShortcodes(subject) : subject,
        Body: html ? renderHtml(transcript, renderOptions) : renderText(transcript, renderOptions),
        // OTRS rejects a ContentType without charset (verified on Znuny 7.0.9).
        ContentType: html ? 'text/html; charset=utf8' : 'text/plain; charset=utf8',
        SenderType: 'agent',
    };
    if (otrs.legacyArticleType) {
        // OTRS 5 has no channels: the article type decides visibility.
        article.ArticleType = otrs.articleVisible ? 'note-external' : 'note-internal';
    } else {
        article.CommunicationChannel = 'Internal';
        // Sent explicitly: OTRS's own default (SysConfig) makes the note visible to the customer.
        article.IsVisibleForCustomer = otrs.articleVisible ? 1 : 0;
    }
    if (otrs.from) {
        article.From = otrs.from;
    }
    return article;
}
