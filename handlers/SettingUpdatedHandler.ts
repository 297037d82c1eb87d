import { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { AppServices } from '../src/AppServices';
import { settingProblem } from '../settings/settingProblems';

/** A setting was saved: say at once, in the app log, when its value will not work. */
export class SettingUpdatedHandler {
    constructor(private readonly app: AppServices) {}

    public run(setting: ISetting): void {
        const problem = settingProblem(setting.id, setting.value);
        if (problem) {
            this.app.getLogger().warn(`setting ${setting.id}: ${problem}`);
        }
    }
}
