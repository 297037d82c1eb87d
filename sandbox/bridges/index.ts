import { AppBridges } from '@rocket.chat/apps-engine/server/bridges';
import { SandboxContext } from '../context';
import { SandboxHttpBridge } from './HttpBridge';
import * as inert from './InertBridges';
import { SandboxLivechatBridge } from './LivechatBridge';
import { SandboxMessageBridge } from './MessageBridge';
import { SandboxPersistenceBridge } from './PersistenceBridge';
import { SandboxApiBridge, SandboxCommandBridge } from './RegistryBridges';
import { SandboxRoomBridge } from './RoomBridge';
import { SandboxSchedulerBridge } from './SchedulerBridge';
import { SandboxEnvironmentalVariableBridge, SandboxServerSettingBridge } from './SettingsBridges';
import { SandboxUploadBridge } from './UploadBridge';
import { SandboxUserBridge } from './UserBridge';

/** The engine's bridge set, built once per sandbox; each bridge is the engine's real abstract class. */
export class SandboxBridges extends AppBridges {
    public readonly api = new SandboxApiBridge();
    public readonly commands = new SandboxCommandBridge();
    private readonly http: SandboxHttpBridge;
    private readonly livechat: SandboxLivechatBridge;
    private readonly message: SandboxMessageBridge;
    private readonly persistence: SandboxPersistenceBridge;
    private readonly room: SandboxRoomBridge;
    private readonly scheduler: SandboxSchedulerBridge;
    private readonly serverSettings: SandboxServerSettingBridge;
    private readonly user: SandboxUserBridge;
    private readonly internal: inert.SandboxInternalBridge;
    private readonly federation = new inert.SandboxFederationBridge();
    private readonly activation = new inert.SandboxAppActivationBridge();
    private readonly detailChanges = new inert.SandboxAppDetailChangesBridge();
    private readonly listener = new inert.SandboxListenerBridge();
    private readonly env = new SandboxEnvironmentalVariableBridge();
    private readonly role = new inert.SandboxRoleBridge();
    private readonly uiInteraction = new inert.SandboxUiInteractionBridge();
    private readonly upload: SandboxUploadBridge;
    private readonly cloud = new inert.SandboxCloudWorkspaceBridge();
    private readonly video = new inert.SandboxVideoConferenceBridge();
    private readonly oauth = new inert.SandboxOAuthAppsBridge();
    private readonly moderation = new inert.SandboxModerationBridge();
    private readonly thread = new inert.SandboxThreadBridge();

    constructor(ctx: SandboxContext) {
        super();
        this.http = new SandboxHttpBridge(ctx);
        this.livechat = new SandboxLivechatBridge(ctx);
        this.message = new SandboxMessageBridge(ctx);
        this.persistence = new SandboxPersistenceBridge(ctx);
        this.room = new SandboxRoomBridge(ctx);
        this.scheduler = new SandboxSchedulerBridge(ctx);
        this.serverSettings = new SandboxServerSettingBridge(ctx);
        this.user = new SandboxUserBridge(ctx);
        this.internal = new inert.SandboxInternalBridge(ctx);
        this.upload = new SandboxUploadBridge(ctx);
    }

    public getCommandBridge() { return this.commands; }
    public getApiBridge() { return this.api; }
    public getAppDetailChangesBridge() { return this.detailChanges; }
    public getEnvironmentalVariableBridge() { return this.env; }
    public getHttpBridge() { return this.http; }
    public getListenerBridge() { return this.listener; }
    public getLivechatBridge() { return this.livechat; }
    public getMessageBridge() { return this.message; }
    public getPersistenceBridge() { return this.persistence; }
    public getAppActivationBridge() { return this.activation; }
    public getRoomBridge() { return this.room; }
    public getInternalBridge() { return this.internal; }
    public getInternalFederationBridge() { return this.federation; }
    public getServerSettingBridge() { return this.serverSettings; }
    public getUploadBridge() { return this.upload; }
    public getUserBridge() { return this.user; }
    public getUiInteractionBridge() { return this.uiInteraction; }
    public getSchedulerBridge() { return this.scheduler; }
    public getCloudWorkspaceBridge() { return this.cloud; }
    public getVideoConferenceBridge() { return this.video; }
    public getOAuthAppsBridge() { return this.oauth; }
    public getModerationBridge() { return this.moderation; }
    public getThreadBridge() { return this.thread; }
    public getRoleBridge() { return this.role; }
}
