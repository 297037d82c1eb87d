import { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';
import { clone } from '../clone';
import { meteorId } from '../ids';
import { countCall, PersistenceRecord, SandboxContext } from '../context';

type Association = Array<RocketChatAssociationRecord>;

/**
 * The app's association records as a plain host array. The array the app passes is a vm2 proxy:
 * `associations.map(...)` would return another proxy, and every later scan over the store would
 * cross the sandbox bridge once per record (that made each read O(records) bridge calls).
 */
function hostAssociations(associations: Association): Array<{ model: string; id: string }> {
    const result: Array<{ model: string; id: string }> = [];
    for (let i = 0; i < associations.length; i++) {
        result.push({ model: String(associations[i].getModel()), id: String(associations[i].getID()) });
    }
    return result;
}

/**
 * App persistence as Rocket.Chat stores it (collection rocketchat_apps_persistence, bridge
 * apps/meteor/app/apps/server/bridges/persistence.ts), quirks included:
 * - reads and removes by association match records holding ALL the given associations (`$all`);
 * - updateByAssociations matches the association list EXACTLY (same records, same order), as a
 *   Mongo equality query on an array does, and upserts a new record when none matches;
 * - update by id throws "Not implemented." (Rocket.Chat never implemented it);
 * - readById of a missing record returns `{}`.
 * Data is copied in and out, as a database round trip would.
 */
export class SandboxPersistenceBridge extends PersistenceBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    private matching(associations: Association, appId: string): PersistenceRecord[] {
        const wanted = hostAssociations(associations);
        return [...this.ctx.persistence.values()].filter((record) => record.appId === appId
            && wanted.every((w) => record.associations.some((a) => a.model === w.model && a.id === w.id)));
    }

    protected async purge(appId: string): Promise<void> {
        for (const [id, record] of this.ctx.persistence) {
            if (record.appId === appId) this.ctx.persistence.delete(id);
        }
    }

    protected async create(data: object, appId: string): Promise<string> {
        return this.createWithAssociations(data, [], appId);
    }

    protected async createWithAssociations(data: object, associations: Association, appId: string): Promise<string> {
        countCall(this.ctx, 'persistence.write');
        const _id = meteorId();
        this.ctx.persistence.set(_id, {
            _id, appId, data: clone(data),
            associations: hostAssociations(associations),
        });
        return _id;
    }

    protected async readById(id: string, appId: string): Promise<object> {
        countCall(this.ctx, 'persistence.read');
        const record = this.ctx.persistence.get(id);
        return record && record.appId === appId ? clone(record.data) : {};
    }

    protected async readByAssociations(associations: Association, appId: string): Promise<Array<object>> {
        countCall(this.ctx, 'persistence.read');
        return this.matching(associations, appId).map((record) => clone(record.data));
    }

    protected async remove(id: string, appId: string): Promise<object | undefined> {
        countCall(this.ctx, 'persistence.write');
        const record = this.ctx.persistence.get(id);
        if (!record || record.appId !== appId) return undefined;
        this.ctx.persistence.delete(id);
        return record.data;
    }

    protected async removeByAssociations(associations: Association, appId: string): Promise<Array<object> | undefined> {
        countCall(this.ctx, 'persistence.write');
        const records = this.matching(associations, appId);
        records.forEach((record) => this.ctx.persistence.delete(record._id));
        return records.length ? records.map((record) => record.data) : undefined;
    }

    protected async update(): Promise<string> {
        throw new Error('Not implemented.');
    }

    /** Mongo's updateOne({appId, associations}, {$set: {data}}, {upsert}): exact match on the array. */
    protected async updateByAssociations(associations: Association, data: object, upsert: boolean, appId: string): Promise<string> {
        countCall(this.ctx, 'persistence.write');
        const wanted = hostAssociations(associations);
        const record = [...this.ctx.persistence.values()].find((r) => r.appId === appId
            && r.associations.length === wanted.length
            && r.associations.every((a, i) => a.model === wanted[i].model && a.id === wanted[i].id));
        if (record) {
            record.data = clone(data);
            if (this.ctx.upsertQuirk) {
                // What `result.upsertedId.toString()` does on those servers: the write is done, then it throws.
                throw new TypeError("Cannot read properties of null (reading 'toString')");
            }
            return record._id;
        }
        if (!upsert) {
            throw new Error('sandbox: no persistence record with those associations to update');
        }
        const _id = meteorId();
        this.ctx.persistence.set(_id, {
            _id, appId, data: clone(data),
            associations: hostAssociations(associations),
        });
        return _id;
    }
}
