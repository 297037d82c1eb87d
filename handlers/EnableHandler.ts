import { IConfigurationModify } from '@rocket.chat/apps-engine/definition/accessors';
import { AppServices } from '../src/AppServices';
import { describeError } from '../src/lib/redact';
import { SWEEP_AFTER_ENABLE_MS, SWEEP_PROCESSOR, SweepJobData } from '../src/rooms/missedCloseSweep';

/**
 * The app was enabled (installed, updated, re-enabled, server started). Rooms may have closed while
 * it was off, so a missed-close sweep is scheduled shortly after. Never refuses to enable.
 */
export class EnableHandler {
    constructor(private readonly app: AppServices) {}

    public async run(configurationModify: IConfigurationModify): Promise<boolean> {
        const data: SweepJobData = { reason: 'enabled' };
        try {
            await configurationModify.scheduler.scheduleOnce({ id: SWEEP_PROCESSOR, when: new Date(Date.now() + SWEEP_AFTER_ENABLE_MS), data: data as Record<string, unknown> });
        } catch (error) {
            this.app.getLogger().warn(`the missed-close sweep after enabling could not be scheduled (the periodic one still runs): ${describeError(error)}`);
        }
        return true;
    }
}
