import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/**
 * App persistence, used the way that works on every Rocket.Chat version:
 * - a record is written with `updateByAssociations(list, data, upsert)`, always with the same
 *   association list in the same order (Rocket.Chat matches that list exactly), which creates it the
 *   first time and replaces it afterwards; `update(id)` is never used (Rocket.Chat never implemented it);
 * - reads name any subset of the associations (Rocket.Chat matches with `$all`).
 */
export function misc(key: string): RocketChatAssociationRecord {
    return new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, key);
}

export async function putRecord(persis: IPersistence, associations: RocketChatAssociationRecord[], data: object): Promise<void> {
    try {
        await persis.updateByAssociations(associations, data, true);
    } catch (error) {
        if (!isUpdatedButNoUpsertId(error)) {
            throw error;
        }
    }
}

/**
 * Rocket.Chat's persistence bridge ends updateByAssociations with `result.upsertedId.toString()`
 * (apps/meteor/app/apps/server/bridges/persistence.ts). When the record already existed, MongoDB
 * reports no upserted id, so that line throws a TypeError AFTER the update was written. That
 * error, and only that one, means the write succeeded.
 */
export function isUpdatedButNoUpsertId(error: unknown): boolean {
    const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    return /Cannot read propert(y|ies) of (null|undefined) \(reading 'toString'\)|null is not an object \(evaluating '.*upsertedId\.toString/.test(message);
}

export async function readRecords<T>(reader: IPersistenceRead, associations: RocketChatAssociationRecord[]): Promise<T[]> {
    return (await reader.readByAssociations(associations)) as unknown as T[];
}

export async function readRecord<T>(reader: IPersistenceRead, associations: RocketChatAssociationRecord[]): Promise<T | undefined> {
    const [first] = await readRecords<T>(reader, associations);
    return first;
}

export async function removeRecords(persis: IPersistence, associations: RocketChatAssociationRecord[]): Promise<void> {
    await persis.removeByAssociations(associations);
}
