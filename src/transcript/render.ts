/**
 * The two renderings of a Transcript: plain text, and HTML for helpdesk articles (OTRS/Znuny rich
 * text, GLPI follow-ups). Both: a header block, then one line per entry, oldest first, with the
 * time in the requested zone and locale format and the words of `labels.ts`.
 *
 * HTML safety: every piece of text that came from a person or from Rocket.Chat (chat text, names,
 * attachment titles, header values, custom field keys and values, system-note details) is escaped
 * (& < > " ') before it is placed, and only between tags, never as markup. Links become
 * `<a href>` only for http(s) URLs without spaces or quotes, the URL attribute-escaped; anything
 * else is shown as escaped text. Only inline styles: helpdesks strip <style> blocks.
 *
 * Both renderers push into one array joined once at the end: linear in the size of the transcript.
 */
import { emojiToShortcodes } from '../lib/emoji/emoji';
import { createTimeFormatter, TimeFormatter } from './formatTime';
import { describeSystemEntry, getLabels, TranscriptLabels } from './labels';
import { RenderOptions, Transcript, TranscriptAttachment, TranscriptEntry, TranscriptHeader } from './Transcript';

interface Context {
    labels: TranscriptLabels;
    time: TimeFormatter;
    /** User-provided text as it may leave: control characters out, emoji as shortcodes when asked. */
    clean: (s: string) => string;
}

/** C0 controls but tab, line feed and carriage return (PostgreSQL refuses NUL; none is useful). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function context(o: RenderOptions): Context {
    const emoji = o.emojiShortcodes !== false;
    return {
        labels: getLabels(o.locale),
        time: createTimeFormatter(o.timeZone, o.locale, o.onInvalidZone),
        clean: (s: string): string => {
            if (typeof s !== 'string' || s === '') return '';
            const t = CONTROL.test(s) ? s.replace(CONTROL_ALL, '') : s;
            return emoji ? emojiToShortcodes(t) : t;
        },
    };
}

/** Header rows, label -> value (clean, not escaped); empty values left out. */
function headerRows(h: TranscriptHeader, c: Context): Array<[string, string]> {
    const L = c.labels;
    const rows: Array<[string, string]> = [];
    const add = (label: string, value: string | undefined): void => {
        const v = value === undefined ? '' : c.clean(value).trim();
        if (v !== '') rows.push([label, v]);
    };
    add(L.chatId, h.roomId);
    add(L.visitor, h.visitor.name);
    add(L.email, h.visitor.email);
    add(L.phone, h.visitor.phone);
    add(L.department, h.department);
    add(L.agents, h.agents.join(', '));
    if (h.startedAt) add(L.startedAt, c.time(h.startedAt));
    if (h.closedAt) add(L.closedAt, c.time(h.closedAt));
    add(L.closedBy, closedByText(h, L));
    add(L.closeComment, h.closeComment);
    add(L.topic, h.topic);
    add(L.tags, h.tags.join(', '));
    return rows;
}

function closedByText(h: TranscriptHeader, L: TranscriptLabels): string | undefined {
    switch (h.closedByRole) {
        case 'visitor':
            return L.closedByVisitor;
        case 'agent':
            return h.closedByName ? `${L.closedByAgent} ${h.closedByName}` : L.closedByAgent;
        case 'bot':
            return h.closedByName ? `${L.closedByBot} ${h.closedByName}` : L.closedByBot;
        default:
            return h.closedBy;
    }
}

function customFieldRows(h: TranscriptHeader, c: Context): Array<[string, string]> {
    const rows: Array<[string, string]> = [];
    const fields = h.customFields || {};
    const keys = Object.keys(fields);
    for (let i = 0; i < keys.length; i++) {
        rows.push([c.clean(keys[i]), c.clean(String(fields[keys[i]] ?? ''))]);
    }
    return rows;
}

/** What an entry says: the chat text, or the localised note of a system event. */
function entryText(e: TranscriptEntry, c: Context): string {
    return c.clean(e.role === 'system' ? describeSystemEntry(c.labels, e) : e.text);
}

function attachmentTitle(a: TranscriptAttachment, c: Context): string {
    return c.clean(a.title).trim() || c.labels.attachment;
}

const NEWLINE = /\r\n?|\n/g;

// ---------------------------------------------------------------------------------------------
// Plain text

/**
 * Plain text:
 * ```
 * Visitante: Maria
 * ...
 *
 * --- Conversa ---
 * [15/01/2026 10:05] Maria (visitante): Olá
 * [15/01/2026 10:06] Ana (atendente): Bom dia!
 *     contrato.pdf: https://chat.example.com/file-upload/...
 * [15/01/2026 10:09] * Conversa transferida para Bruno (Ana)
 * ```
 * Continuation lines of a multi-line text are indented by four spaces.
 */
export function renderText(t: Transcript, o: RenderOptions): string {
    const c = context(o);
    const L = c.labels;
    const parts: string[] = [];
    const rows = headerRows(t.header, c);
    for (let i = 0; i < rows.length; i++) {
        parts.push(`${rows[i][0]}: ${rows[i][1].replace(NEWLINE, '\n  ')}\n`);
    }
    const fields = customFieldRows(t.header, c);
    if (fields.length > 0) {
        parts.push(`${L.customFields}:\n`);
        for (let i = 0; i < fields.length; i++) {
            parts.push(`  ${fields[i][0]}: ${fields[i][1].replace(NEWLINE, '\n    ')}\n`);
        }
    }
    parts.push(`\n--- ${L.conversation} ---\n`);
    const entries = t.entries;
    if (entries.length === 0) parts.push(`${L.noMessages}\n`);
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        const name = c.clean(e.name).trim();
        const text = entryText(e, c).replace(NEWLINE, '\n    ');
        if (e.role === 'system') {
            parts.push(`[${c.time(e.at)}] * ${text}${name ? ` (${name})` : ''}\n`);
        } else {
            const who = name ? `${name} (${L.roles[e.role]})` : L.roles[e.role];
            parts.push(`[${c.time(e.at)}] ${who}:${text ? ' ' : ''}${text}\n`);
        }
        const atts = e.attachments;
        for (let j = 0; j < atts.length; j++) {
            const url = atts[j].url ? c.clean(atts[j].url as string).replace(/\s/g, '') : '';
            parts.push(`    ${attachmentTitle(atts[j], c).replace(NEWLINE, ' ')}${url ? `: ${url}` : ''}\n`);
        }
    }
    return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// HTML

const ESCAPES: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '\n': '<br>',
    '\r': '<br>',
    '\r\n': '<br>',
};
const TO_ESCAPE = /[&<>"']/;
const TO_ESCAPE_ALL = /[&<>"']/g;
const TO_ESCAPE_WITH_NEWLINES = /[&<>"'\n]|\r\n?/g;

/** Text for between tags or inside a quoted attribute: & < > " ' escaped. */
export function escapeHtml(s: string): string {
    return TO_ESCAPE.test(s) ? s.replace(TO_ESCAPE_ALL, (ch) => ESCAPES[ch]) : s;
}

/** escapeHtml, and line breaks as <br>. */
function escapeLines(s: string): string {
    return s.replace(TO_ESCAPE_WITH_NEWLINES, (ch) => ESCAPES[ch]);
}

/** Only http(s) URLs with a host and no whitespace, quotes or angle brackets become links. */
const SAFE_HREF = /^https?:\/\/[^\s"'<>`\\/?#]+[^\s"'<>`\\]*$/i;

export function isSafeHref(url: string | undefined): url is string {
    return typeof url === 'string' && SAFE_HREF.test(url);
}

const S = {
    root: 'font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4;color:#222222;',
    table: 'border-collapse:collapse;margin:0 0 12px 0;',
    th: 'padding:2px 12px 2px 0;text-align:left;vertical-align:top;white-space:nowrap;font-weight:bold;',
    thField: 'padding:2px 12px 2px 16px;text-align:left;vertical-align:top;white-space:nowrap;font-weight:normal;',
    td: 'padding:2px 0;vertical-align:top;',
    title: 'margin:12px 0 8px 0;padding:0 0 4px 0;border-bottom:1px solid #cccccc;font-weight:bold;',
    entry: 'margin:0 0 6px 0;',
    system: 'margin:0 0 6px 0;color:#666666;font-style:italic;',
    time: 'color:#666666;',
    role: 'color:#666666;',
    attachment: 'margin:2px 0 0 16px;',
    visitor: 'color:#0b5394;',
    agent: 'color:#38761d;',
    bot: 'color:#7f6000;',
};

/**
 * HTML: a two-column header table, then one `<div>` per entry:
 * `<span>[time]</span> <strong>Name</strong> <span>(role)</span>: text`, attachments as links below.
 */
export function renderHtml(t: Transcript, o: RenderOptions): string {
    const c = context(o);
    const L = c.labels;
    const parts: string[] = [];
    parts.push(`<div style="${S.root}">\n`);
    parts.push(`<table cellpadding="0" cellspacing="0" border="0" style="${S.table}">\n`);
    const rows = headerRows(t.header, c);
    for (let i = 0; i < rows.length; i++) {
        parts.push(`<tr><th style="${S.th}">${escapeHtml(rows[i][0])}</th><td style="${S.td}">${escapeLines(rows[i][1])}</td></tr>\n`);
    }
    const fields = customFieldRows(t.header, c);
    if (fields.length > 0) {
        parts.push(`<tr><th colspan="2" style="${S.th}">${escapeHtml(L.customFields)}</th></tr>\n`);
        for (let i = 0; i < fields.length; i++) {
            parts.push(
                `<tr><th style="${S.thField}">${escapeLines(fields[i][0])}</th><td style="${S.td}">${escapeLines(fields[i][1])}</td></tr>\n`,
            );
        }
    }
    parts.push('</table>\n');
    parts.push(`<div style="${S.title}">${escapeHtml(L.conversation)}</div>\n`);
    const entries = t.entries;
    if (entries.length === 0) parts.push(`<div style="${S.system}">${escapeHtml(L.noMessages)}</div>\n`);
    for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        const name = c.clean(e.name).trim();
        const time = `<span style="${S.time}">[${escapeHtml(c.time(e.at))}]</span> `;
        const text = escapeLines(entryText(e, c));
        if (e.role === 'system') {
            parts.push(`<div style="${S.system}">${time}${text}${name ? ` (${escapeHtml(name)})` : ''}`);
        } else {
            const roleStyle = e.role === 'visitor' ? S.visitor : e.role === 'bot' ? S.bot : S.agent;
            const role = escapeHtml(L.roles[e.role]);
            const who = name
                ? `<strong style="${roleStyle}">${escapeHtml(name)}</strong> <span style="${S.role}">(${role})</span>`
                : `<strong style="${roleStyle}">${role}</strong>`;
            parts.push(`<div style="${S.entry}">${time}${who}:${text ? ' ' : ''}${text}`);
        }
        const atts = e.attachments;
        for (let j = 0; j < atts.length; j++) {
            const a = atts[j];
            const title = escapeHtml(attachmentTitle(a, c).replace(NEWLINE, ' '));
            parts.push(
                isSafeHref(a.url)
                    ? `<div style="${S.attachment}"><a href="${escapeHtml(a.url)}">${title}</a></div>`
                    : `<div style="${S.attachment}">${title}</div>`,
            );
        }
        parts.push('</div>\n');
    }
    parts.push('</div>\n');
    return parts.join('');
}
