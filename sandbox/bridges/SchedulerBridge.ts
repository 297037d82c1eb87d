import { IOnetimeSchedule, IProcessor, IRecurringSchedule, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges/SchedulerBridge';
import { SandboxContext } from '../context';

/** Mirrors Rocket.Chat's AppSchedulerBridge on top of the in-memory Agenda stand-in. */
export class SandboxSchedulerBridge extends SchedulerBridge {
    constructor(private readonly ctx: SandboxContext) {
        super();
    }

    protected async registerProcessors(processors: Array<IProcessor> = []): Promise<void | Array<string>> {
        const started: string[] = [];
        for (const { id, processor, startupSetting } of processors) {
            this.ctx.scheduler.define(id, processor as (ctx: Record<string, unknown>) => Promise<void>);
            if (!startupSetting) continue;
            if (startupSetting.type === StartupType.ONETIME) {
                if (!this.ctx.scheduler.hasJob(id, 'normal')) {
                    started.push(this.ctx.scheduler.schedule(id, startupSetting.when, { ...(startupSetting.data ?? {}) }).id);
                }
            } else if (startupSetting.type === StartupType.RECURRING) {
                started.push(this.ctx.scheduler.every(id, startupSetting.interval, { ...(startupSetting.data ?? {}) }, !!startupSetting.skipImmediate).id);
            }
        }
        return started.length ? started : undefined;
    }

    protected async scheduleOnce(job: IOnetimeSchedule): Promise<void | string> {
        return this.ctx.scheduler.schedule(job.id, job.when, { ...(job.data ?? {}) }).id;
    }

    protected async scheduleRecurring(job: IRecurringSchedule): Promise<void | string> {
        return this.ctx.scheduler.every(job.id, job.interval, { ...(job.data ?? {}) }, !!job.skipImmediate).id;
    }

    /** Like Rocket.Chat: an ObjectId before the first `_` cancels that job, anything else cancels by name. */
    protected async cancelJob(jobId: string): Promise<void> {
        const head = jobId.split('_')[0];
        this.ctx.scheduler.cancel(/^[0-9a-f]{24}$/i.test(head) ? { id: head } : { name: jobId });
    }

    protected async cancelAllJobs(appId: string): Promise<void> {
        this.ctx.scheduler.cancel({ nameSuffix: `_${appId}` });
    }
}
