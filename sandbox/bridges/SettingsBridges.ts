import { ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';
import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges/EnvironmentalVariableBridge';
import { ServerSettingBridge } from '@rocket.chat/apps-engine/server/bridges/ServerSettingBridge';
import { notEmulated, SandboxContext } from '../context';

function asSetting(id: string, value: unknown): ISetting {
    return {
        id, value, packageValue: value, public: true, required: false, i18nLabel: id,
        type: typeof value === 'boolean' ? SettingType.BOOLEAN : typeof value === 'number' ? SettingType.NUMBER : SettingType.STRING,
    } as ISetting;
}

/** Server settings the app may read (Site_Url above all: attachment links are built from it). */
export class SandboxServerSettingBridge extends ServerSettingBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async getAll(): Promise<Array<ISetting>> {
        return Object.entries(this.ctx.world.settings).map(([id, value]) => asSetting(id, value));
    }

    protected async getOneById(id: string): Promise<ISetting> {
        return (id in this.ctx.world.settings ? asSetting(id, this.ctx.world.settings[id]) : undefined) as ISetting;
    }

    protected async hideGroup(): Promise<void> {
        notEmulated('ServerSettingBridge.hideGroup');
    }

    protected async hideSetting(): Promise<void> {
        notEmulated('ServerSettingBridge.hideSetting');
    }

    protected async isReadableById(id: string): Promise<boolean> {
        return id in this.ctx.world.settings;
    }

    protected async updateOne(): Promise<void> {
        notEmulated('ServerSettingBridge.updateOne');
    }

    protected async incrementValue(): Promise<void> {
        notEmulated('ServerSettingBridge.incrementValue');
    }
}

/** Rocket.Chat lets apps read only a few environment variables; the sandbox exposes none. */
export class SandboxEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
    protected async getValueByName(): Promise<string | undefined> {
        return undefined;
    }

    protected async isReadable(): Promise<boolean> {
        return false;
    }

    protected async isSet(): Promise<boolean> {
        return false;
    }
}
