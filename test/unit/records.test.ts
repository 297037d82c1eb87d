import { IPersistence } from '@rocket.chat/apps-engine/definition/accessors';
import { isUpdatedButNoUpsertId, misc, putRecord } from '../../src/lib/records';

function persistenceThrowing(error: unknown): { persis: IPersistence; calls: number } {
    const state = { calls: 0 };
    const persis = {
        updateByAssociations: async () => {
            state.calls++;
            throw error;
        },
    } as unknown as IPersistence;
    return { persis, get calls() { return state.calls; } };
}

describe('putRecord', () => {
    it("tolerates Rocket.Chat's TypeError after an update of an existing record", async () => {
        const fake = persistenceThrowing(new TypeError("Cannot read properties of null (reading 'toString')"));
        await expect(putRecord(fake.persis, [misc('k')], { a: 1 })).resolves.toBeUndefined();
        expect(fake.calls).toBe(1);
    });

    it('lets every other error through', async () => {
        for (const error of [new Error('connection lost'), new TypeError("Cannot read properties of null (reading 'id')"), 'boom']) {
            await expect(putRecord(persistenceThrowing(error).persis, [misc('k')], {})).rejects.toBe(error);
        }
    });

    it('recognises the message on older Node wording too', () => {
        expect(isUpdatedButNoUpsertId(new TypeError("Cannot read property of null (reading 'toString')"))).toBe(true);
        expect(isUpdatedButNoUpsertId(new TypeError("Cannot read properties of undefined (reading 'toString')"))).toBe(true);
        expect(isUpdatedButNoUpsertId(new Error('Not implemented.'))).toBe(false);
    });
});
