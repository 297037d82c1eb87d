import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SettingId } from './SettingId';

const SECRET_SETTINGS = [SettingId.AppSecret, SettingId.OtrsPassword, SettingId.GlpiUserToken, SettingId.GlpiAppToken, SettingId.WebhookToken];

/**
 * Every secret the admin configured (app secret, OTRS password, webhook token), for redacting
 * anything the app logs or stores. Read on failure paths only, so it costs nothing when all is well.
 */
export async function configuredSecrets(read: IRead): Promise<string[]> {
    const settings = read.getEnvironmentReader().getSettings();
    const values = await Promise.all(SECRET_SETTINGS.map((id) => settings.getValueById(id)));
    return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}
