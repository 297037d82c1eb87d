/*
 * Bridges for engine features Ticket Bridge does not use. Lifecycle notifications are accepted and
 * ignored (the engine calls them on every install); anything an app would call throws a clear
 * "not emulated" error instead of pretending to work.
 */
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { IUIKitIncomingInteraction } from '@rocket.chat/apps-engine/definition/uikit';
import { AppActivationBridge } from '@rocket.chat/apps-engine/server/bridges/AppActivationBridge';
import { AppDetailChangesBridge } from '@rocket.chat/apps-engine/server/bridges/AppDetailChangesBridge';
import { CloudWorkspaceBridge } from '@rocket.chat/apps-engine/server/bridges/CloudWorkspaceBridge';
import { IInternalFederationBridge } from '@rocket.chat/apps-engine/server/bridges/IInternalFederationBridge';
import { IListenerBridge } from '@rocket.chat/apps-engine/server/bridges/IListenerBridge';
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import { ModerationBridge } from '@rocket.chat/apps-engine/server/bridges/ModerationBridge';
import { OAuthAppsBridge } from '@rocket.chat/apps-engine/server/bridges/OAuthAppsBridge';
import { RoleBridge } from '@rocket.chat/apps-engine/server/bridges/RoleBridge';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';
import { VideoConferenceBridge } from '@rocket.chat/apps-engine/server/bridges/VideoConferenceBridge';
import { generateKeyPairSync } from 'crypto';
import { notEmulated, SandboxContext } from '../context';
import { IRole } from '@rocket.chat/apps-engine/definition/roles';

export class SandboxAppActivationBridge extends AppActivationBridge {
    protected async appAdded(): Promise<void> {}
    protected async appUpdated(): Promise<void> {}
    protected async appRemoved(): Promise<void> {}
    protected async appStatusChanged(): Promise<void> {}
    protected async actionsChanged(): Promise<void> {}
}

export class SandboxAppDetailChangesBridge extends AppDetailChangesBridge {
    protected onAppSettingsChange(_appId: string, _setting: ISetting): void {}
}

export class SandboxListenerBridge implements IListenerBridge {
    public async messageEvent(_int: AppInterface, _message: IMessage): Promise<void> {}
    public async roomEvent(_int: AppInterface, _room: IRoom): Promise<void> {}
    public async uiKitInteractionEvent(_int: AppInterface, _action: IUIKitIncomingInteraction): Promise<void> {}
}

export class SandboxInternalBridge extends InternalBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async getUsernamesOfRoomById(roomId: string): Promise<Array<string>> {
        return this.getUsernamesOfRoomByIdSync(roomId);
    }

    protected getUsernamesOfRoomByIdSync(roomId: string): Array<string> {
        const room = this.ctx.world.rooms.get(roomId);
        return room ? [room.v.username, ...(room.servedBy ? [room.servedBy.username] : [])] : [];
    }

    protected async getWorkspacePublicKey(): Promise<ISetting> {
        return notEmulated('InternalBridge.getWorkspacePublicKey');
    }
}

/** The engine signs every installed app with this key pair, so it must be a real one. */
export class SandboxFederationBridge implements IInternalFederationBridge {
    private readonly keys = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });

    public async getPrivateKey(): Promise<string | null> {
        return this.keys.privateKey;
    }

    public async getPublicKey(): Promise<string | null> {
        return this.keys.publicKey;
    }
}

export class SandboxRoleBridge extends RoleBridge {
    protected async getOneByIdOrName(idOrName: string): Promise<IRole | null> {
        const known = ['admin', 'livechat-manager', 'livechat-agent', 'user', 'bot', 'app'];
        return known.includes(idOrName) ? ({ id: idOrName, name: idOrName, protected: true, mandatory2fa: false, scope: 'Users' } as unknown as IRole) : null;
    }

    protected async getCustomRoles(): Promise<Array<IRole>> {
        return [];
    }
}

export class SandboxUiInteractionBridge extends UiInteractionBridge {
    protected async notifyUser(): Promise<void> {
        notEmulated('UiInteractionBridge.notifyUser');
    }
}

export class SandboxCloudWorkspaceBridge extends CloudWorkspaceBridge {
    protected async getWorkspaceToken(): Promise<never> {
        return notEmulated('CloudWorkspaceBridge.getWorkspaceToken');
    }
}

export class SandboxVideoConferenceBridge extends VideoConferenceBridge {
    protected async create(): Promise<string> { return notEmulated('VideoConferenceBridge'); }
    protected async getById(): Promise<never> { return notEmulated('VideoConferenceBridge'); }
    protected async update(): Promise<void> { notEmulated('VideoConferenceBridge'); }
    protected async registerProvider(): Promise<void> {}
    protected async unRegisterProvider(): Promise<void> {}
}

export class SandboxOAuthAppsBridge extends OAuthAppsBridge {
    protected async create(): Promise<string | null> { return notEmulated('OAuthAppsBridge'); }
    protected async getById(): Promise<null> { return notEmulated('OAuthAppsBridge'); }
    protected async getByName(): Promise<Array<null>> { return notEmulated('OAuthAppsBridge'); }
    protected async update(): Promise<void> { notEmulated('OAuthAppsBridge'); }
    protected async delete(): Promise<void> { notEmulated('OAuthAppsBridge'); }
    protected async purge(): Promise<void> {}
}

export class SandboxModerationBridge extends ModerationBridge {
    protected async report(): Promise<void> { notEmulated('ModerationBridge'); }
    protected async dismissReportsByMessageId(): Promise<void> { notEmulated('ModerationBridge'); }
    protected async dismissReportsByUserId(): Promise<void> { notEmulated('ModerationBridge'); }
}

export class SandboxThreadBridge extends ThreadBridge {
    protected async getById(): Promise<Array<IMessage>> { return notEmulated('ThreadBridge'); }
}
