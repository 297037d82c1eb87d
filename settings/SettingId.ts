/** Setting ids are part of the admin interface: never rename one (the README lists them all). */
export const SettingId = {
    AppSecret: 'app_secret',
    DeliveryMaxAttempts: 'delivery_max_attempts',
    DeliveryBackoffSeconds: 'delivery_backoff_seconds',
    Helpdesk: 'helpdesk',
    TicketRefsFrom: 'ticket_refs_from',
    TranscriptFormat: 'transcript_format',
    TranscriptTimezone: 'transcript_timezone',
    TranscriptLocale: 'transcript_locale',
    EmojiShortcodes: 'emoji_shortcodes',
    OtrsUrl: 'otrs_url',
    OtrsUser: 'otrs_user',
    OtrsPassword: 'otrs_password',
    OtrsAuth: 'otrs_auth',
    OtrsLegacyArticleType: 'otrs_legacy_article_type',
    OtrsTitle: 'otrs_title',
    OtrsDepartmentQueues: 'otrs_department_queues',
    OtrsDefaultQueue: 'otrs_default_queue',
    OtrsState: 'otrs_state',
    OtrsPriority: 'otrs_priority',
    OtrsCustomerFallback: 'otrs_customer_fallback',
    OtrsArticleVisible: 'otrs_article_visible',
    OtrsFrom: 'otrs_from',
    OtrsRoomField: 'otrs_room_field',
    OtrsNewTicketWhenRefsFail: 'otrs_new_ticket_when_refs_fail',
} as const;

export type SettingIdValue = typeof SettingId[keyof typeof SettingId];
