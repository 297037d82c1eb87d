import { ILogger } from '@rocket.chat/apps-engine/definition/accessors';
import { Outbox } from './delivery/Outbox';
import { OpenRoomTracker } from './rooms/OpenRoomTracker';

/** What endpoints and handlers need from the app instance, without importing the app class. */
export interface AppServices {
    readonly outbox: Outbox;
    readonly openRooms: OpenRoomTracker;
    getID(): string;
    getName(): string;
    getLogger(): ILogger;
}
