/* In-memory versions of the engine's three storages (app metadata, app packages, app logs). */
import { AppConsole } from '@rocket.chat/apps-engine/server/logging';
import { AppLogStorage, AppMetadataStorage, IAppStorageItem } from '@rocket.chat/apps-engine/server/storage';
import { AppSourceStorage } from '@rocket.chat/apps-engine/server/storage/AppSourceStorage';
import { ILoggerStorageEntry } from '@rocket.chat/apps-engine/server/logging';
import { LogLine } from '../context';

export class MemoryMetadataStorage extends AppMetadataStorage {
    private readonly items = new Map<string, IAppStorageItem>();

    constructor() {
        super('memory');
    }

    public async create(item: IAppStorageItem): Promise<IAppStorageItem> {
        this.items.set(item.id, item);
        return item;
    }

    public async retrieveOne(id: string): Promise<IAppStorageItem> {
        return this.items.get(id) as IAppStorageItem;
    }

    public async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
        return new Map(this.items);
    }

    public async update(item: IAppStorageItem): Promise<IAppStorageItem> {
        this.items.set(item.id, item);
        return item;
    }

    public async remove(id: string): Promise<{ success: boolean }> {
        return { success: this.items.delete(id) };
    }
}

export class MemorySourceStorage extends AppSourceStorage {
    private readonly zips = new Map<string, Buffer>();

    public async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
        this.zips.set(item.id, zip);
        return item.id;
    }

    public async fetch(item: IAppStorageItem): Promise<Buffer> {
        return this.zips.get(item.id) as Buffer;
    }

    public async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
        return this.store(item, zip);
    }

    public async remove(item: IAppStorageItem): Promise<void> {
        this.zips.delete(item.id);
    }
}

function render(arg: unknown): string {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Error) return arg.stack ?? arg.message;
    try {
        return JSON.stringify(arg);
    } catch {
        return String(arg);
    }
}

/** Keeps every entry the engine stores (what Rocket.Chat shows under Marketplace -> app -> Logs). */
export class MemoryLogStorage extends AppLogStorage {
    private readonly entries: ILoggerStorageEntry[] = [];

    constructor(private readonly sink: (line: LogLine) => void) {
        super('memory');
    }

    public async find(): Promise<Array<ILoggerStorageEntry>> {
        return [...this.entries];
    }

    public async storeEntries(appId: string, logger: AppConsole): Promise<ILoggerStorageEntry> {
        const entry = AppConsole.toStorageEntry(appId, logger);
        this.entries.push(entry);
        if (this.entries.length > 5000) this.entries.splice(0, this.entries.length - 5000);
        for (const line of entry.entries) {
            this.sink({ level: String(line.severity), message: `${entry.method}: ${line.args.map(render).join(' ')}`, at: new Date(line.timestamp).toISOString() });
        }
        return entry;
    }

    public async getEntriesFor(appId: string): Promise<Array<ILoggerStorageEntry>> {
        return this.entries.filter((entry) => entry.appId === appId);
    }

    public async removeEntriesFor(appId: string): Promise<void> {
        for (let i = this.entries.length - 1; i >= 0; i--) {
            if (this.entries[i].appId === appId) this.entries.splice(i, 1);
        }
    }
}
