import { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { configuredSecrets } from '../../settings/secrets';
import { redact } from '../../src/lib/redact';

function readWith(values: Record<string, unknown>): IRead {
    return { getEnvironmentReader: () => ({ getSettings: () => ({ getValueById: async (id: string) => values[id] }) }) } as unknown as IRead;
}

describe('configuredSecrets', () => {
    it('lists every configured secret, and only those set', async () => {
        const read = readWith({ app_secret: 'app-secret-1', otrs_password: 'otrs-pass-2', webhook_token: '', otrs_user: 'not-a-secret' });
        expect(await configuredSecrets(read)).toEqual(['app-secret-1', 'otrs-pass-2']);
    });

    it('feeds redaction of everything the app logs or stores', async () => {
        const read = readWith({ app_secret: 'app-secret-1', otrs_password: 'otrs-pass-2', webhook_token: 'hook-token-3' });
        const text = 'failed with app-secret-1, otrs-pass-2 and hook-token-3';
        expect(redact(text, await configuredSecrets(read))).toBe('failed with ***, *** and ***');
    });
});
