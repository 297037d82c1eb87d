import { ISetting, ISettingSelectValue, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { SettingId } from './SettingId';

type Definition = Omit<ISetting, 'i18nLabel' | 'i18nDescription' | 'required' | 'public'> & { required?: boolean };

/** Labels and descriptions come from i18n/*.json under `<id>_label` and `<id>_description`. */
function define(setting: Definition): ISetting {
    return {
        required: false,
        public: false,
        i18nLabel: `${setting.id}_label`,
        i18nDescription: `${setting.id}_description`,
        ...setting,
    };
}

/** Select values are labelled `<id>_<value>` in i18n. */
function choices(id: string, values: string[]): ISettingSelectValue[] {
    return values.map((value) => ({ key: value, i18nLabel: `${id}_${value.replace(/-/g, '_')}` }));
}

const text = (id: string, section: string, packageValue: string, extra: Partial<Definition> = {}): ISetting =>
    define({ id, section, type: SettingType.STRING, packageValue, ...extra });

const flag = (id: string, section: string, packageValue: boolean): ISetting =>
    define({ id, section, type: SettingType.BOOLEAN, packageValue });

export const SETTINGS: ISetting[] = [
    define({ id: SettingId.AppSecret, section: 'rapidpro', type: SettingType.PASSWORD, packageValue: '' }),

    define({ id: SettingId.Helpdesk, section: 'helpdesk', type: SettingType.SELECT, packageValue: 'none', values: choices(SettingId.Helpdesk, ['none', 'otrs', 'glpi', 'webhook']) }),
    define({ id: SettingId.TicketRefsFrom, section: 'helpdesk', type: SettingType.SELECT, packageValue: 'topic_and_tags', values: choices(SettingId.TicketRefsFrom, ['topic', 'tags', 'topic_and_tags']) }),
    define({ id: SettingId.TranscriptFormat, section: 'helpdesk', type: SettingType.SELECT, packageValue: 'html', values: choices(SettingId.TranscriptFormat, ['html', 'text']) }),
    text(SettingId.TranscriptTimezone, 'helpdesk', 'UTC'),
    define({ id: SettingId.TranscriptLocale, section: 'helpdesk', type: SettingType.SELECT, packageValue: 'pt-BR', values: choices(SettingId.TranscriptLocale, ['pt-BR', 'en', 'es']) }),
    flag(SettingId.EmojiShortcodes, 'helpdesk', true),
    text(SettingId.TicketRoomField, 'helpdesk', 'helpdesk_ticket'),

    text(SettingId.OtrsUrl, 'otrs', ''),
    text(SettingId.OtrsUser, 'otrs', ''),
    define({ id: SettingId.OtrsPassword, section: 'otrs', type: SettingType.PASSWORD, packageValue: '' }),
    define({ id: SettingId.OtrsAuth, section: 'otrs', type: SettingType.SELECT, packageValue: 'header', values: choices(SettingId.OtrsAuth, ['header', 'body']) }),
    flag(SettingId.OtrsLegacyArticleType, 'otrs', false),
    text(SettingId.OtrsTitle, 'otrs', 'Livechat: {visitor} - {topic}'),
    define({ id: SettingId.OtrsDepartmentQueues, section: 'otrs', type: SettingType.CODE, packageValue: '', multiline: true }),
    text(SettingId.OtrsDefaultQueue, 'otrs', 'Raw'),
    text(SettingId.OtrsState, 'otrs', 'new'),
    text(SettingId.OtrsPriority, 'otrs', '3 normal'),
    text(SettingId.OtrsCustomerFallback, 'otrs', ''),
    flag(SettingId.OtrsArticleVisible, 'otrs', false),
    text(SettingId.OtrsFrom, 'otrs', ''),
    text(SettingId.OtrsRoomField, 'otrs', ''),
    flag(SettingId.OtrsAttachFiles, 'otrs', true),
    define({ id: SettingId.OtrsAttachmentMaxKb, section: 'otrs', type: SettingType.NUMBER, packageValue: 5120 }),
    flag(SettingId.OtrsNewTicketWhenRefsFail, 'otrs', true),

    text(SettingId.GlpiUrl, 'glpi', ''),
    define({ id: SettingId.GlpiAppToken, section: 'glpi', type: SettingType.PASSWORD, packageValue: '' }),
    define({ id: SettingId.GlpiUserToken, section: 'glpi', type: SettingType.PASSWORD, packageValue: '' }),
    define({ id: SettingId.GlpiRequester, section: 'glpi', type: SettingType.SELECT, packageValue: 'lookup_create', values: choices(SettingId.GlpiRequester, ['lookup_create', 'lookup_fallback', 'none']) }),
    text(SettingId.GlpiFallbackUser, 'glpi', ''),
    text(SettingId.GlpiEntity, 'glpi', ''),
    text(SettingId.GlpiTitle, 'glpi', 'Livechat: {visitor} - {topic}'),
    define({ id: SettingId.GlpiTicketType, section: 'glpi', type: SettingType.SELECT, packageValue: '2', values: choices(SettingId.GlpiTicketType, ['1', '2']) }),
    define({ id: SettingId.GlpiUrgency, section: 'glpi', type: SettingType.SELECT, packageValue: '3', values: choices(SettingId.GlpiUrgency, ['1', '2', '3', '4', '5']) }),
    text(SettingId.GlpiRequestType, 'glpi', ''),
    define({ id: SettingId.GlpiDepartmentCategories, section: 'glpi', type: SettingType.CODE, packageValue: '', multiline: true }),
    flag(SettingId.GlpiFollowupPrivate, 'glpi', true),
    define({ id: SettingId.GlpiClosedTicket, section: 'glpi', type: SettingType.SELECT, packageValue: 'new_ticket', values: choices(SettingId.GlpiClosedTicket, ['new_ticket', 'followup']) }),

    text(SettingId.WebhookUrl, 'webhook', ''),
    define({ id: SettingId.WebhookToken, section: 'webhook', type: SettingType.PASSWORD, packageValue: '' }),
    define({ id: SettingId.WebhookMaxKb, section: 'webhook', type: SettingType.NUMBER, packageValue: 1024 }),

    define({ id: SettingId.DeliveryMaxAttempts, section: 'delivery', type: SettingType.NUMBER, packageValue: 12 }),
    define({ id: SettingId.DeliveryBackoffSeconds, section: 'delivery', type: SettingType.NUMBER, packageValue: 30 }),
    define({ id: SettingId.SweepHours, section: 'delivery', type: SettingType.NUMBER, packageValue: 24 }),
];
