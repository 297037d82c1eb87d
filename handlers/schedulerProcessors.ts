import { IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { AppServices } from '../src/AppServices';
import { DELIVERY_PROCESSOR, DeliveryJobData, WATCHDOG_PROCESSOR } from '../src/delivery/Outbox';

/** The scheduler processors: one delivery attempt per job, and the recurring outbox watchdog. */
export function schedulerProcessors(app: AppServices): IProcessor[] {
    return [
        {
            id: DELIVERY_PROCESSOR,
            processor: async (jobContext, read, modify, http, persis) => {
                await app.outbox.runJob(jobContext as Partial<DeliveryJobData>, { read, modify, http, persis, logger: app.getLogger() });
            },
        },
        {
            id: WATCHDOG_PROCESSOR,
            startupSetting: { type: StartupType.RECURRING, interval: '1 minute', skipImmediate: true },
            processor: async (_jobContext, read, modify, http, persis) => {
                await app.outbox.runWatchdog({ read, modify, http, persis, logger: app.getLogger() });
            },
        },
    ];
}
