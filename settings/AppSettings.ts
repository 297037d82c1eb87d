import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SettingId } from './SettingId';

export interface AppSettings {
    /** Shared secret of the RapidPro-style API, trimmed; empty means every endpoint refuses. */
    appSecret: string;
    deliveryMaxAttempts: number;
    deliveryBackoffSeconds: number;
    /** Hours between missed-close sweeps; 0 = off. */
    sweepHours: number;
}

export const LIMITS = {
    deliveryMaxAttempts: { min: 1, max: 100 },
    deliveryBackoffSeconds: { min: 1, max: 86400 },
    sweepHours: { min: 0, max: 720 },
} as const;

/** A number setting read defensively: admins can type anything, so out-of-range values are clamped. */
export function clampNumber(value: unknown, fallback: number, range: { min: number; max: number }): number {
    // Number('') and Number(null) are 0: a cleared field must mean "the default", not the minimum.
    if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) {
        return fallback;
    }
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(parsed)) {
        return fallback;
    }
    return Math.min(range.max, Math.max(range.min, Math.round(parsed)));
}

/** The one typed reader of the app's settings. */
export async function readSettings(read: IRead): Promise<AppSettings> {
    const settings = read.getEnvironmentReader().getSettings();
    const [appSecret, maxAttempts, backoff, sweepHours] = await Promise.all([
        settings.getValueById(SettingId.AppSecret),
        settings.getValueById(SettingId.DeliveryMaxAttempts),
        settings.getValueById(SettingId.DeliveryBackoffSeconds),
        settings.getValueById(SettingId.SweepHours),
    ]);
    return {
        appSecret: typeof appSecret === 'string' ? appSecret.trim() : '',
        deliveryMaxAttempts: clampNumber(maxAttempts, 12, LIMITS.deliveryMaxAttempts),
        deliveryBackoffSeconds: clampNumber(backoff, 30, LIMITS.deliveryBackoffSeconds),
        sweepHours: clampNumber(sweepHours, 24, LIMITS.sweepHours),
    };
}

/** Every configured secret, for redaction of anything that is logged or stored. */
export function secretsOf(settings: AppSettings): string[] {
    return [settings.appSecret].filter((secret) => secret.length > 0);
}
