import { IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { AppServices } from '../src/AppServices';
import { DeliveryJobData, WATCHDOG_PROCESSOR } from '../src/delivery/Outbox';
import { DELIVERY_PROCESSOR_IDS } from '../src/delivery/shards';
import { SWEEP_CHECK_INTERVAL, SWEEP_PROCESSOR, SweepJobData, sweepIfDue } from '../src/rooms/missedCloseSweep';

/**
 * The scheduler processors: one delivery attempt per job (on any shard), the recurring outbox
 * watchdog, and the missed-close sweep (recurring check, plus a run scheduled when the app is enabled).
 */
export function schedulerProcessors(app: AppServices): IProcessor[] {
    const deliveries: IProcessor[] = DELIVERY_PROCESSOR_IDS.map((id) => ({
        id,
        processor: async (jobContext, read, modify, http, persis) => {
            await app.outbox.runJob(jobContext as Partial<DeliveryJobData>, { read, modify, http, persis, logger: app.getLogger() });
        },
    }));
    return [
        ...deliveries,
        {
            id: WATCHDOG_PROCESSOR,
            startupSetting: { type: StartupType.RECURRING, interval: '1 minute', skipImmediate: true },
            processor: async (_jobContext, read, modify, http, persis) => {
                await app.outbox.runWatchdog({ read, modify, http, persis, logger: app.getLogger() });
            },
        },
        {
            id: SWEEP_PROCESSOR,
            startupSetting: { type: StartupType.RECURRING, interval: SWEEP_CHECK_INTERVAL, skipImmediate: true },
            processor: async (jobContext, read, modify, http, persis) => {
                await sweepIfDue(jobContext as SweepJobData, app, { read, modify, http, persis, logger: app.getLogger() });
            },
        },
    ];
}
