/** Setting ids are part of the admin interface: never rename one (the README lists them all). */
export const SettingId = {
    AppSecret: 'app_secret',
    DeliveryMaxAttempts: 'delivery_max_attempts',
    DeliveryBackoffSeconds: 'delivery_backoff_seconds',
} as const;

export type SettingIdValue = typeof SettingId[keyof typeof SettingId];
