import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { clampNumber } from './AppSettings';
import { SettingId } from './SettingId';

export type HelpdeskKind = 'none' | 'otrs' | 'glpi' | 'webhook';
export type RefsSource = 'topic' | 'tags' | 'topic_and_tags';

export interface TranscriptSettings {
    format: 'html' | 'text';
    timeZone: string;
    locale: string;
    emojiShortcodes: boolean;
}

export interface OtrsSettings {
    url: string;
    user: string;
    password: string;
    auth: 'header' | 'body';
    legacyArticleType: boolean;
    title: string;
    departmentQueues: string;
    defaultQueue: string;
    state: string;
    priority: string;
    customerFallback: string;
    articleVisible: boolean;
    from: string;
    roomField: string;
    newTicketWhenRefsFail: boolean;
    attachFiles: boolean;
    attachmentMaxKb: number;
}

export interface GlpiSettings {
    url: string;
    appToken: string;
    userToken: string;
    requester: 'lookup_create' | 'lookup_fallback' | 'none';
    fallbackUser: string;
    entity: string;
    title: string;
    ticketType: number;
    urgency: number;
    requestType: string;
    departmentCategories: string;
    followupPrivate: boolean;
    closedTicket: 'new_ticket' | 'followup';
}

export interface WebhookSettings {
    url: string;
    token: string;
    maxKb: number;
}

export interface HelpdeskSettings {
    helpdesk: HelpdeskKind;
    refsFrom: RefsSource;
    transcript: TranscriptSettings;
    otrs: OtrsSettings;
    glpi: GlpiSettings;
    webhook: WebhookSettings;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
    return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value.trim() : fallback);
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

/** The helpdesk side of the settings, read only where a delivery needs them (not on the API's hot path). */
export async function readHelpdeskSettings(read: IRead): Promise<HelpdeskSettings> {
    const settings = read.getEnvironmentReader().getSettings();
    const ids = Object.values(SettingId);
    const values = await Promise.all(ids.map((id) => settings.getValueById(id)));
    const v = Object.fromEntries(ids.map((id, i) => [id, values[i]])) as Record<string, unknown>;
    return {
        helpdesk: oneOf(v[SettingId.Helpdesk], ['none', 'otrs', 'glpi', 'webhook'] as const, 'none'),
        refsFrom: oneOf(v[SettingId.TicketRefsFrom], ['topic', 'tags', 'topic_and_tags'] as const, 'topic_and_tags'),
        transcript: {
            format: oneOf(v[SettingId.TranscriptFormat], ['html', 'text'] as const, 'html'),
            timeZone: str(v[SettingId.TranscriptTimezone]) || 'UTC',
            locale: str(v[SettingId.TranscriptLocale]) || 'pt-BR',
            emojiShortcodes: bool(v[SettingId.EmojiShortcodes], true),
        },
        otrs: {
            url: str(v[SettingId.OtrsUrl]).replace(/\/+$/, ''),
            user: str(v[SettingId.OtrsUser]),
            password: typeof v[SettingId.OtrsPassword] === 'string' ? (v[SettingId.OtrsPassword] as string) : '',
            auth: oneOf(v[SettingId.OtrsAuth], ['header', 'body'] as const, 'header'),
            legacyArticleType: bool(v[SettingId.OtrsLegacyArticleType], false),
            title: str(v[SettingId.OtrsTitle]) || 'Livechat: {visitor} - {topic}',
            departmentQueues: typeof v[SettingId.OtrsDepartmentQueues] === 'string' ? (v[SettingId.OtrsDepartmentQueues] as string) : '',
            defaultQueue: str(v[SettingId.OtrsDefaultQueue]),
            state: str(v[SettingId.OtrsState]) || 'new',
            priority: str(v[SettingId.OtrsPriority]) || '3 normal',
            customerFallback: str(v[SettingId.OtrsCustomerFallback]),
            articleVisible: bool(v[SettingId.OtrsArticleVisible], false),
            from: str(v[SettingId.OtrsFrom]),
            roomField: str(v[SettingId.OtrsRoomField]),
            newTicketWhenRefsFail: bool(v[SettingId.OtrsNewTicketWhenRefsFail], true),
            attachFiles: bool(v[SettingId.OtrsAttachFiles], true),
            attachmentMaxKb: clampNumber(v[SettingId.OtrsAttachmentMaxKb], 5120, { min: 1, max: 100000 }),
        },
        glpi: {
            url: str(v[SettingId.GlpiUrl]).replace(/\/+$/, ''),
            appToken: typeof v[SettingId.GlpiAppToken] === 'string' ? (v[SettingId.GlpiAppToken] as string).trim() : '',
            userToken: typeof v[SettingId.GlpiUserToken] === 'string' ? (v[SettingId.GlpiUserToken] as string).trim() : '',
            requester: oneOf(v[SettingId.GlpiRequester], ['lookup_create', 'lookup_fallback', 'none'] as const, 'lookup_create'),
            fallbackUser: str(v[SettingId.GlpiFallbackUser]),
            entity: str(v[SettingId.GlpiEntity]),
            title: str(v[SettingId.GlpiTitle]) || 'Livechat: {visitor} - {topic}',
            ticketType: clampNumber(v[SettingId.GlpiTicketType], 2, { min: 1, max: 2 }),
            urgency: clampNumber(v[SettingId.GlpiUrgency], 3, { min: 1, max: 5 }),
            requestType: str(v[SettingId.GlpiRequestType]),
            departmentCategories: typeof v[SettingId.GlpiDepartmentCategories] === 'string' ? (v[SettingId.GlpiDepartmentCategories] as string) : '',
            followupPrivate: bool(v[SettingId.GlpiFollowupPrivate], true),
            closedTicket: oneOf(v[SettingId.GlpiClosedTicket], ['new_ticket', 'followup'] as const, 'new_ticket'),
        },
        webhook: {
            url: str(v[SettingId.WebhookUrl]),
            token: typeof v[SettingId.WebhookToken] === 'string' ? (v[SettingId.WebhookToken] as string) : '',
            maxKb: clampNumber(v[SettingId.WebhookMaxKb], 1024, { min: 16, max: 102400 }),
        },
    };
}
