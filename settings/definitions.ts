import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
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

export const SETTINGS: ISetting[] = [
    define({
        id: SettingId.AppSecret,
        section: 'rapidpro',
        type: SettingType.PASSWORD,
        packageValue: '',
    }),
    define({
        id: SettingId.DeliveryMaxAttempts,
        section: 'delivery',
        type: SettingType.NUMBER,
        packageValue: 12,
    }),
    define({
        id: SettingId.DeliveryBackoffSeconds,
        section: 'delivery',
        type: SettingType.NUMBER,
        packageValue: 30,
    }),
];
