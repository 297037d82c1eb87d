import { IAppAccessors, IConfigurationExtend, IConfigurationModify, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiSecurity, ApiVisibility } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { ILivechatRoom, IPostLivechatRoomClosed } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage, IPostMessageSent } from '@rocket.chat/apps-engine/definition/messages';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { RoomCloseEndpoint } from './endpoints/RoomCloseEndpoint';
import { RoomEndpoint } from './endpoints/RoomEndpoint';
import { SecretCheckEndpoint } from './endpoints/SecretCheckEndpoint';
import { SettingsEndpoint } from './endpoints/SettingsEndpoint';
import { VisitorMessageEndpoint } from './endpoints/VisitorMessageEndpoint';
import { LivechatRoomClosedHandler } from './handlers/LivechatRoomClosedHandler';
import { PostMessageSentHandler } from './handlers/PostMessageSentHandler';
import { schedulerProcessors } from './handlers/schedulerProcessors';
import { SettingUpdatedHandler } from './handlers/SettingUpdatedHandler';
import { SETTINGS } from './settings/definitions';
import { AppServices } from './src/AppServices';
import { Outbox } from './src/delivery/Outbox';
import { DELIVERY_HANDLERS } from './src/deliveryKinds';

/** Wiring only: settings, endpoints, processors and events, each handed to its handler. */
export class TicketBridgeApp extends App implements IPostMessageSent, IPostLivechatRoomClosed, AppServices {
    public readonly outbox = new Outbox(DELIVERY_HANDLERS);

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
            ],
        });
        await configuration.scheduler.registerProcessors(schedulerProcessors(this));
    }

    public async executePostMessageSent(message: IMessage, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<void> {
        return new PostMessageSentHandler(this).run(message, read, http, persis, modify);
    }

    public async executePostLivechatRoomClosed(room: ILivechatRoom, read: IRead, http: IHttp, persis: IPersistence, modify?: IModify): Promise<void> {
        return new LivechatRoomClosedHandler(this).run(room, read, http, persis, modify);
    }

    public async onSettingUpdated(setting: ISetting, _configurationModify: IConfigurationModify, _read: IRead, _http: IHttp): Promise<void> {
        new SettingUpdatedHandler(this).run(setting);
    }
}
