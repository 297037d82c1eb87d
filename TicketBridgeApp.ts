import { IAppAccessors, IConfigurationExtend, IConfigurationModify, IEnvironmentRead, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { ILivechatRoom, IPostLivechatRoomClosed, IPostLivechatRoomStarted } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { TicketBridgeCommand } from './commands/TicketBridgeCommand';
import { AdminDeliveriesEndpoint } from './endpoints/AdminDeliveriesEndpoint';
import { AdminRetryDeadEndpoint } from './endpoints/AdminRetryDeadEndpoint';
import { AdminRetryEndpoint } from './endpoints/AdminRetryEndpoint';
import { AdminRoomEndpoint } from './endpoints/AdminRoomEndpoint';
import { RoomCloseEndpoint } from './endpoints/RoomCloseEndpoint';
import { RoomEndpoint } from './endpoints/RoomEndpoint';
import { SecretCheckEndpoint } from './endpoints/SecretCheckEndpoint';
import { SettingsEndpoint } from './endpoints/SettingsEndpoint';
import { VisitorMessageEndpoint } from './endpoints/VisitorMessageEndpoint';
import { EnableHandler } from './handlers/EnableHandler';
import { LivechatRoomClosedHandler } from './handlers/LivechatRoomClosedHandler';
import { LivechatRoomStartedHandler } from './handlers/LivechatRoomStartedHandler';
import { PostMessageSentHandler } from './handlers/PostMessageSentHandler';
import { schedulerProcessors } from './handlers/schedulerProcessors';
import { SettingUpdatedHandler } from './handlers/SettingUpdatedHandler';
import { SETTINGS } from './settings/definitions';
import { AppServices } from './src/AppServices';
import { Outbox } from './src/delivery/Outbox';
import { DELIVERY_FOLLOW_UPS, DELIVERY_HANDLERS, ORDERED_KINDS } from './src/deliveryKinds';
import { OpenRoomTracker } from './src/rooms/OpenRoomTracker';

/** Wiring only: settings, endpoints, processors and events, each handed to its handler. */
export class TicketBridgeApp extends App implements IPostMessageSent, IPostLivechatRoomStarted, IPostLivechatRoomClosed, AppServices {
    public readonly outbox = new Outbox(DELIVERY_HANDLERS, DELIVERY_FOLLOW_UPS, ORDERED_KINDS);
    public readonly openRooms = new OpenRoomTracker();

    constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
        super(info, logger, accessors);
    }

    protected async extendConfiguration(configuration: IConfigurationExtend): Promise<void> {
        await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
        await configuration.api.provideApi({
            visibility: ApiVisibility.PUBLIC,
            security: ApiSecurity.UNSECURE,
            endpoints: [
                new RoomEndpoint(this),
                new RoomCloseEndpoint(this),
                new VisitorMessageEndpoint(this),
                new SecretCheckEndpoint(this),
                new SettingsEndpoint(this),
                // ApiSecurity has no other value than UNSECURE: Rocket.Chat authenticates the admin
                // endpoints because each sets `authRequired`; they check the user's roles themselves.
                new AdminDeliveriesEndpoint(this),
                new AdminRetryEndpoint(this),
                new AdminRetryDeadEndpoint(this),
                new AdminRoomEndpoint(this),
            ],
        });
        await configuration.slashCommands.provideSlashCommand(new TicketBridgeCommand(this));
        await configuration.scheduler.registerProcessors(schedulerProcessors(this));
    }

    public async executePostMessageSent(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
        return new PostMessageSentHandler(this).run(message, read, http, persis, modify);
    }

    public async onEnable(_environment: IEnvironmentRead, configurationModify: IConfigurationModify): Promise<boolean> {
        return new EnableHandler(this).run(configurationModify);
    }

    public async executePostLivechatRoomStarted(room: ILivechatRoom, _read: IRead, _http: IHttp, persis: IPersistence): Promise<void> {
        return new LivechatRoomStartedHandler(this).run(room, persis);
    }

    public async executePostLivechatRoomClosed(room: ILivechatRoom, read: IRead, http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
        return new LivechatRoomClosedHandler(this).run(room, read, http, persis, modify);
    }

    public async onSettingUpdated(setting: ISetting, _configurationModify: IConfigurationModify, _read: IRead, _http: IHttp): Promise<void> {
        new SettingUpdatedHandler(this).run(setting);
    }
}
