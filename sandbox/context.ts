/** What the bridges share: the world, its livechat behaviour, the scheduler, and the sandbox's own records. */
import { Livechat } from './livechat';
import { Scheduler } from './scheduler';
import { World } from './world';

export interface PersistenceRecord {
    _id: string;
    appId: string;
    data: object;
    associations: Array<{ model: string; id: string }>;
}

export interface LogLine {
    level: string;
    message: string;
    at: string;
}

export interface PrivateNotice {
    userId: string;
    roomId?: string;
    text: string;
    at: string;
}

export interface SandboxContext {
    world: World;
    livechat: Livechat;
    scheduler: Scheduler;
    persistence: Map<string, PersistenceRecord>;
    /** Private messages sent to users (slash-command answers go here). */
    notices: PrivateNotice[];
    /** Counts engine bridge calls by name (benchmarks report them per request). */
    bridgeCalls: Map<string, number>;
    /** Everything the app logged (through the engine's log storage) and the sandbox's own notes. */
    logs: LogLine[];
    log(level: string, message: string): void;
    /**
     * Emulate Rocket.Chat versions whose updateByAssociations throws `upsertedId.toString()` on
     * null after updating an existing record (SANDBOX_RC_UPSERT_QUIRK=1).
     */
    upsertQuirk: boolean;
    /** Event sinks into the engine, set once the AppManager exists. */
    fire: {
        roomStarted(roomId: string): void;
        messageSent(messageId: string): void;
        roomClosed(roomId: string): Promise<void>;
    };
}

export function notEmulated(what: string): never {
    throw new Error(`sandbox: ${what} is not emulated`);
}

export function countCall(ctx: SandboxContext, name: string): void {
    ctx.bridgeCalls.set(name, (ctx.bridgeCalls.get(name) ?? 0) + 1);
}
