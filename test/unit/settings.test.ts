import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { AppSettings, clampNumber, LIMITS, readSettings, secretsOf } from '../../settings/AppSettings';
import { SETTINGS } from '../../settings/definitions';
import { SettingId } from '../../settings/SettingId';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import ptBR from '../../i18n/pt-BR.json';

const RANGE = { min: 1, max: 100 };

/** An IRead whose setting values come from a map; a missing id gives undefined. */
function fakeRead(values: Record<string, unknown>): IRead {
    const settings = {
        getValueById: async (id: string): Promise<unknown> => values[id],
    };
    return {
        getEnvironmentReader: () => ({ getSettings: () => settings }),
    } as unknown as IRead;
}

function settingsWith(appSecret: string): AppSettings {
    return { appSecret, deliveryMaxAttempts: 12, deliveryBackoffSeconds: 30, sweepHours: 24 };
}

describe('clampNumber', () => {
    it('keeps an in-range number', () => {
        expect(clampNumber(15, 12, RANGE)).toBe(15);
        expect(clampNumber(1, 12, RANGE)).toBe(1);
        expect(clampNumber(100, 12, RANGE)).toBe(100);
    });

    it('accepts numbers typed as strings', () => {
        expect(clampNumber('15', 12, RANGE)).toBe(15);
        expect(clampNumber(' 15 ', 12, RANGE)).toBe(15);
        expect(clampNumber('7.0', 12, RANGE)).toBe(7);
    });

    it('rounds fractions', () => {
        expect(clampNumber(15.4, 12, RANGE)).toBe(15);
        expect(clampNumber(15.6, 12, RANGE)).toBe(16);
        expect(clampNumber('2.5', 12, RANGE)).toBe(3);
    });

    it('clamps to the limits', () => {
        expect(clampNumber(0, 12, RANGE)).toBe(1);
        expect(clampNumber(-5, 12, RANGE)).toBe(1);
        expect(clampNumber(0.4, 12, RANGE)).toBe(1);
        expect(clampNumber(101, 12, RANGE)).toBe(100);
        expect(clampNumber(1e12, 12, RANGE)).toBe(100);
        expect(clampNumber('-3', 12, RANGE)).toBe(1);
        expect(clampNumber('5000', 12, RANGE)).toBe(100);
    });

    it.each([
        ['undefined', undefined],
        ['NaN', NaN],
        ['Infinity', Infinity],
        ['-Infinity', -Infinity],
        ['a word', 'abc'],
        ['a number followed by text', '12abc'],
        ['an object', {}],
        ['a list of two', [1, 2]],
    ])('falls back to the default for %s', (_what, value) => {
        expect(clampNumber(value, 12, RANGE)).toBe(12);
    });

    // Number('') and Number(null) are 0: a cleared field must not silently become the minimum.
    it.each([
        ['null', null],
        ['an empty string', ''],
        ['a blank string', '   '],
    ])('falls back to the default for a missing value given as %s', (_what, value) => {
        expect(clampNumber(value, 12, RANGE)).toBe(12);
    });
});

describe('readSettings', () => {
    it('reads and types every setting', async () => {
        const settings = await readSettings(
            fakeRead({
                [SettingId.AppSecret]: 'the-secret',
                [SettingId.DeliveryMaxAttempts]: 5,
                [SettingId.DeliveryBackoffSeconds]: 60,
                [SettingId.SweepHours]: 6,
            }),
        );
        expect(settings).toEqual({ appSecret: 'the-secret', deliveryMaxAttempts: 5, deliveryBackoffSeconds: 60, sweepHours: 6 });
    });

    it('uses the defaults when nothing is set', async () => {
        expect(await readSettings(fakeRead({}))).toEqual({ appSecret: '', deliveryMaxAttempts: 12, deliveryBackoffSeconds: 30, sweepHours: 24 });
    });

    it('uses the defaults for garbage values', async () => {
        const settings = await readSettings(
            fakeRead({
                [SettingId.AppSecret]: 12345,
                [SettingId.DeliveryMaxAttempts]: 'many',
                [SettingId.DeliveryBackoffSeconds]: NaN,
                [SettingId.SweepHours]: 'daily',
            }),
        );
        expect(settings).toEqual({ appSecret: '', deliveryMaxAttempts: 12, deliveryBackoffSeconds: 30, sweepHours: 24 });
    });

    it('accepts numbers given as strings', async () => {
        const settings = await readSettings(
            fakeRead({ [SettingId.DeliveryMaxAttempts]: '15', [SettingId.DeliveryBackoffSeconds]: '45' }),
        );
        expect(settings.deliveryMaxAttempts).toBe(15);
        expect(settings.deliveryBackoffSeconds).toBe(45);
    });

    it('clamps to the documented limits', async () => {
        const low = await readSettings(fakeRead({ [SettingId.DeliveryMaxAttempts]: 0, [SettingId.DeliveryBackoffSeconds]: -10 }));
        expect(low.deliveryMaxAttempts).toBe(LIMITS.deliveryMaxAttempts.min);
        expect(low.deliveryBackoffSeconds).toBe(LIMITS.deliveryBackoffSeconds.min);
        expect((await readSettings(fakeRead({ [SettingId.SweepHours]: 0 }))).sweepHours).toBe(0);
        expect((await readSettings(fakeRead({ [SettingId.SweepHours]: 100000 }))).sweepHours).toBe(LIMITS.sweepHours.max);

        const high = await readSettings(fakeRead({ [SettingId.DeliveryMaxAttempts]: 1000, [SettingId.DeliveryBackoffSeconds]: 1e9 }));
        expect(high.deliveryMaxAttempts).toBe(LIMITS.deliveryMaxAttempts.max);
        expect(high.deliveryBackoffSeconds).toBe(LIMITS.deliveryBackoffSeconds.max);
    });

    it('has the limits the settings descriptions promise', () => {
        expect(LIMITS.deliveryMaxAttempts).toEqual({ min: 1, max: 100 });
        expect(LIMITS.deliveryBackoffSeconds).toEqual({ min: 1, max: 86400 });
    });

    it('trims the secret', async () => {
        const settings = await readSettings(fakeRead({ [SettingId.AppSecret]: '  \tthe-secret \n' }));
        expect(settings.appSecret).toBe('the-secret');
    });

    it('turns a blank secret into an empty one', async () => {
        expect((await readSettings(fakeRead({ [SettingId.AppSecret]: '   ' }))).appSecret).toBe('');
    });

    it('falls back to the same defaults as the package values of the settings', async () => {
        const defaults = await readSettings(fakeRead({}));
        const packageValue = (id: string): unknown => SETTINGS.find((setting) => setting.id === id)?.packageValue;
        expect(defaults.appSecret).toBe(packageValue(SettingId.AppSecret));
        expect(defaults.deliveryMaxAttempts).toBe(packageValue(SettingId.DeliveryMaxAttempts));
        expect(defaults.deliveryBackoffSeconds).toBe(packageValue(SettingId.DeliveryBackoffSeconds));
    });
});

describe('secretsOf', () => {
    it('lists the configured secret', () => {
        expect(secretsOf(settingsWith('the-secret'))).toEqual(['the-secret']);
    });

    it('drops an empty secret', () => {
        expect(secretsOf(settingsWith(''))).toEqual([]);
    });
});

describe('setting definitions and translations', () => {
    const LANGUAGES: Record<string, Record<string, string>> = { en, 'pt-BR': ptBR, es };

    it('define every setting id exactly once', () => {
        const ids = SETTINGS.map((setting) => setting.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(Object.values(SettingId).sort());
    });

    it('use <id>_label and <id>_description as i18n keys', () => {
        for (const setting of SETTINGS) {
            expect(setting.i18nLabel).toBe(`${setting.id}_label`);
            expect(setting.i18nDescription).toBe(`${setting.id}_description`);
        }
    });

    it.each(Object.keys(LANGUAGES))('%s has a label and a description for every setting, and a name for every section', (language) => {
        const keys = Object.keys(LANGUAGES[language]);
        for (const setting of SETTINGS) {
            expect(keys).toContain(`${setting.id}_label`);
            expect(keys).toContain(`${setting.id}_description`);
            if (setting.section) {
                expect(keys).toContain(setting.section);
            }
        }
    });

    it('all languages have exactly the same keys', () => {
        const reference = Object.keys(en).sort();
        for (const [language, strings] of Object.entries(LANGUAGES)) {
            expect({ language, keys: Object.keys(strings).sort() }).toEqual({ language, keys: reference });
        }
    });

    it.each(Object.keys(LANGUAGES))('%s has no empty value', (language) => {
        for (const [key, value] of Object.entries(LANGUAGES[language])) {
            expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
            expect({ key, blank: value.trim() === '' }).toEqual({ key, blank: false });
        }
    });
});
