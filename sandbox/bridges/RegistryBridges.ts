import { ISlashCommand } from '@rocket.chat/apps-engine/definition/slashcommands';
import { ApiBridge } from '@rocket.chat/apps-engine/server/bridges/ApiBridge';
import { CommandBridge } from '@rocket.chat/apps-engine/server/bridges/CommandBridge';
import { AppApi } from '@rocket.chat/apps-engine/server/managers/AppApi';

export interface RegisteredEndpoint {
    /**
     * Rocket.Chat's AppApisBridge puts `authenticationMiddleware({ rejectUnauthorized: !!endpoint.authRequired })`
     * in front of every endpoint: the endpoint's own `authRequired` decides, not the api's `security`.
     */
    authRequired: boolean;
}

/** Which endpoint paths each app registered: the HTTP layer answers 404 for the rest, as Rocket.Chat's router does. */
export class SandboxApiBridge extends ApiBridge {
    public readonly paths = new Map<string, Map<string, RegisteredEndpoint>>();

    protected async registerApi(api: AppApi, appId: string): Promise<void> {
        const endpoints = this.paths.get(appId) ?? new Map<string, RegisteredEndpoint>();
        endpoints.set(api.endpoint.path.trim().replace(/^\//, ''), { authRequired: !!api.endpoint.authRequired });
        this.paths.set(appId, endpoints);
    }

    protected async unregisterApis(appId: string): Promise<void> {
        this.paths.delete(appId);
    }
}

export class SandboxCommandBridge extends CommandBridge {
    public readonly commands = new Map<string, { command: ISlashCommand; enabled: boolean }>();

    protected async doesCommandExist(command: string): Promise<boolean> {
        return this.commands.has(command);
    }

    protected async enableCommand(command: string): Promise<void> {
        const entry = this.commands.get(command);
        if (entry) entry.enabled = true;
    }

    protected async disableCommand(command: string): Promise<void> {
        const entry = this.commands.get(command);
        if (entry) entry.enabled = false;
    }

    protected async modifyCommand(command: ISlashCommand): Promise<void> {
        this.commands.set(command.command, { command, enabled: true });
    }

    protected async registerCommand(command: ISlashCommand): Promise<void> {
        this.commands.set(command.command, { command, enabled: true });
    }

    protected async unregisterCommand(command: string): Promise<void> {
        this.commands.delete(command);
    }
}
