/*
 * Hosts the packaged app in the engine's real AppManager (Apps-Engine 1.42.1, Node vm2 runtime),
 * installs it the way Rocket.Chat's install flow does (permissions granted = the ones app.json
 * declares), and forwards the stand-in server's events to the engine's listener manager.
 */
import { AppStatus, AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { IPermission } from '@rocket.chat/apps-engine/definition/permissions/IPermission';
import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { ILivechatRoom } from '@rocket.chat/apps-engine/definition/livechat';
import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import { SandboxBridges } from '../bridges';
import { RegisteredEndpoint } from '../bridges/RegistryBridges';
import { SandboxContext } from '../context';
import { toAppMessage, toAppRoom, toAppUser } from '../converters';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storages';

export class EngineHost {
    private constructor(
        private readonly ctx: SandboxContext,
        public readonly manager: AppManager,
        public readonly bridges: SandboxBridges,
        public readonly appId: string,
    ) {}

    public static async install(ctx: SandboxContext, zip: Buffer): Promise<EngineHost> {
        const bridges = new SandboxBridges(ctx);
        const manager = new AppManager({
            metadataStorage: new MemoryMetadataStorage(),
            logStorage: new MemoryLogStorage((line) => ctx.log(line.level, line.message)),
            bridges,
            sourceStorage: new MemorySourceStorage(),
        });
        await manager.load();
        // The engine's own parser reads app.json from the zip, so the sandbox grants what the package declares.
        const { info: manifest } = await manager.getParser().unpackageApp(zip);
        const admin = ctx.world.userByUsername('admin')!;
        const fulfillment = await manager.add(zip, {
            enable: true,
            user: toAppUser(admin) as unknown as IUser,
            permissionsGranted: manifest.permissions as IPermission[] | undefined,
        });
        const problem = fulfillment.getStorageError() || (fulfillment.getAppUserError() && JSON.stringify(fulfillment.getAppUserError()));
        if (problem) {
            throw new Error(`the app could not be installed: ${problem}`);
        }
        const host = new EngineHost(ctx, manager, bridges, manifest.id);
        const status = host.status();
        if (!AppStatusUtils.isEnabled(status)) {
            throw new Error(`the app did not enable (status ${status}); see the app logs`);
        }
        host.wireEvents();
        return host;
    }

    private wireEvents(): void {
        const listeners = this.manager.getListenerManager();
        this.ctx.fire = {
            roomStarted: (roomId) => {
                const raw = this.ctx.world.rooms.get(roomId);
                if (!raw) return;
                const room = toAppRoom(this.ctx.world, raw) as unknown as ILivechatRoom;
                setImmediate(() => {
                    listeners.executeListener(AppInterface.IPostLivechatRoomStarted, room)
                        .catch((error) => this.ctx.log('error', `IPostLivechatRoomStarted listener failed: ${String(error)}`));
                });
            },
            messageSent: (messageId) => {
                const raw = this.ctx.world.findMessage(messageId);
                if (!raw) return;
                const message = toAppMessage(this.ctx.world, raw) as unknown as IMessage;
                // Rocket.Chat triggers this after the message is saved and does not wait for apps.
                setImmediate(() => {
                    listeners.executeListener(AppInterface.IPostMessageSent, message)
                        .catch((error) => this.ctx.log('error', `IPostMessageSent listener failed: ${String(error)}`));
                });
            },
            roomClosed: async (roomId) => {
                const raw = this.ctx.world.rooms.get(roomId);
                if (!raw) return;
                const room = toAppRoom(this.ctx.world, raw) as unknown as ILivechatRoom;
                await listeners.executeListener(AppInterface.IPostLivechatRoomClosed, room)
                    .catch((error) => this.ctx.log('error', `IPostLivechatRoomClosed listener failed: ${String(error)}`));
            },
        };
    }

    public status(): AppStatus {
        return this.manager.getOneById(this.appId).getStatus();
    }

    public settings(): Record<string, unknown> {
        const all = this.manager.getSettingsManager().getAppSettings(this.appId);
        return Object.fromEntries(Object.values(all).map((setting) => [setting.id, setting.value ?? setting.packageValue]));
    }

    /** Settings as the admin page shows them, with password-type values masked (never echo a secret). */
    public maskedSettings(): Record<string, unknown> {
        const all = this.manager.getSettingsManager().getAppSettings(this.appId);
        return Object.fromEntries(Object.values(all).map((setting) => {
            const value = setting.value ?? setting.packageValue;
            return [setting.id, setting.type === SettingType.PASSWORD && value ? '********' : value];
        }));
    }

    /** Saves settings as an admin would in the app's settings page (onSettingUpdated fires). */
    public async updateSettings(values: Record<string, unknown>): Promise<void> {
        const settingsManager = this.manager.getSettingsManager();
        const known = settingsManager.getAppSettings(this.appId);
        const unknown = Object.keys(values).filter((id) => !known[id]);
        if (unknown.length) {
            throw Object.assign(new Error(`unknown setting id(s): ${unknown.join(', ')}`), { status: 400 });
        }
        for (const [id, value] of Object.entries(values)) {
            const current: ISetting = settingsManager.getAppSetting(this.appId, id);
            await settingsManager.updateAppSetting(this.appId, { ...current, value, updatedAt: new Date() });
        }
    }

    public hasEndpoint(path: string): boolean {
        return this.bridges.api.paths.get(this.appId)?.has(path) ?? false;
    }

    public endpoint(path: string): RegisteredEndpoint | undefined {
        return this.bridges.api.paths.get(this.appId)?.get(path);
    }

    public executeApi(path: string, request: IApiRequest): Promise<IApiResponse> {
        return this.manager.getApiManager().executeApi(this.appId, path, request);
    }

    public async executeCommand(command: string, args: string[], sender: IUser, room: IRoom): Promise<void> {
        await this.manager.getCommandManager().executeCommand(command, new SlashCommandContext(sender, room, args));
    }

    /** Disables and enables the app, as an admin or an app update does; persistence and jobs stay. */
    public async restart(): Promise<void> {
        await this.disable();
        await this.enable();
    }

    /** As an admin's "Disable": events and endpoints stop reaching the app; persistence and jobs stay. */
    public async disable(): Promise<void> {
        await this.manager.disable(this.appId, AppStatus.MANUALLY_DISABLED);
    }

    public async enable(): Promise<void> {
        await this.manager.enable(this.appId);
    }
}
