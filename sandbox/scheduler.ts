/*
 * An in-memory stand-in for Rocket.Chat's Agenda-backed app scheduler
 * (apps/meteor/app/apps/server/bridges/scheduler.ts):
 * - the processor receives the job data plus `jobId`;
 * - a one-time job that succeeds is deleted; one that throws stays in the store marked failed and is
 *   NOT run again (Agenda does not retry), so an app must reschedule itself;
 * - at most one run at a time per processor name (`defaultConcurrency: 1`);
 * - jobs outlive the app being disabled and enabled again (they live in MongoDB on a real server).
 * Time is real: a timer polls for due jobs; `runDue(withinMs)` lets tests and the simulator run
 * jobs due within a window without waiting for them.
 */
import { clone } from './clone';
import { objectId } from './ids';

export type Processor = (jobContext: Record<string, unknown>) => Promise<void>;

export interface Job {
    id: string;
    name: string;
    type: 'normal' | 'single';
    data: Record<string, unknown>;
    nextRunAt: Date;
    intervalMs?: number;
    lastRunAt?: Date;
    lastFinishedAt?: Date;
    failedAt?: Date;
    failReason?: string;
    running: boolean;
}

const UNIT_MS: Record<string, number> = {
    ms: 1, millisecond: 1, milliseconds: 1,
    s: 1000, sec: 1000, second: 1000, seconds: 1000,
    m: 60000, min: 60000, minute: 60000, minutes: 60000,
    h: 3600000, hour: 3600000, hours: 3600000,
    d: 86400000, day: 86400000, days: 86400000,
    w: 604800000, week: 604800000, weeks: 604800000,
};

/** Agenda's human-interval subset: "5 seconds", "in 2 minutes", "1.5 hours", "now", a number of ms. */
export function parseInterval(value: string | number): number {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
        return value;
    }
    const text = String(value).trim().toLowerCase().replace(/^in\s+/, '');
    if (text === 'now') {
        return 0;
    }
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(text);
    if (!match || UNIT_MS[match[2]] === undefined) {
        throw new Error(`sandbox scheduler: cannot parse the interval "${value}" (use e.g. "30 seconds")`);
    }
    return Math.round(parseFloat(match[1]) * UNIT_MS[match[2]]);
}

export function parseWhen(when: unknown, now = Date.now()): Date {
    // A Date made inside the app's vm2 context is not `instanceof Date` here: duck-type it.
    if (when instanceof Date || (typeof when === 'object' && when !== null && typeof (when as Date).getTime === 'function')) {
        return new Date((when as Date).getTime());
    }
    if (typeof when === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(when)) {
        return new Date(when);
    }
    return new Date(now + parseInterval(when as string));
}

export class Scheduler {
    private readonly jobs = new Map<string, Job>();
    private readonly processors = new Map<string, Processor>();
    private readonly runningNames = new Set<string>();
    private timer?: NodeJS.Timeout;
    private readonly inFlight = new Set<Promise<void>>();

    constructor(private readonly onError: (job: Job, error: unknown) => void, private readonly pollMs = 250) {}

    public start(): void {
        if (!this.timer) {
            this.timer = setInterval(() => void this.runDue(0), this.pollMs);
            this.timer.unref();
        }
    }

    public async stop(): Promise<void> {
        if (this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
        await Promise.allSettled([...this.inFlight]);
    }

    public define(name: string, processor: Processor): void {
        this.processors.set(name, processor);
    }

    public schedule(name: string, when: unknown, data: Record<string, unknown>): Job {
        const job: Job = { id: objectId(), name, type: 'normal', data: clone(data), nextRunAt: parseWhen(when), running: false };
        this.jobs.set(job.id, job);
        return job;
    }

    /** Agenda's `every`: one recurring job per name, updated in place when scheduled again. */
    public every(name: string, interval: string | number, data: Record<string, unknown>, skipImmediate: boolean): Job {
        const intervalMs = parseInterval(interval);
        if (intervalMs <= 0) {
            throw new Error(`sandbox scheduler: a recurring interval must be positive, got "${interval}"`);
        }
        const existing = [...this.jobs.values()].find((job) => job.name === name && job.type === 'single');
        const job: Job = existing ?? { id: objectId(), name, type: 'single', data: {}, nextRunAt: new Date(), running: false };
        job.data = clone(data);
        job.intervalMs = intervalMs;
        job.nextRunAt = new Date(Date.now() + (skipImmediate ? intervalMs : 0));
        this.jobs.set(job.id, job);
        return job;
    }

    public hasJob(name: string, type: Job['type']): boolean {
        return [...this.jobs.values()].some((job) => job.name === name && job.type === type);
    }

    public cancel(filter: { id?: string; name?: string; nameSuffix?: string }): number {
        let removed = 0;
        for (const job of [...this.jobs.values()]) {
            const matches = (filter.id !== undefined && job.id === filter.id)
                || (filter.name !== undefined && job.name === filter.name)
                || (filter.nameSuffix !== undefined && job.name.endsWith(filter.nameSuffix));
            if (matches) {
                this.jobs.delete(job.id);
                removed++;
            }
        }
        return removed;
    }

    public list(): Job[] {
        return [...this.jobs.values()].map((job) => ({ ...job, data: clone(job.data) }))
            .sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime());
    }

    /** Runs every job due within `withinMs` from now (one at a time per name) and waits for them. */
    public async runDue(withinMs: number): Promise<number> {
        const horizon = Date.now() + withinMs;
        const due = [...this.jobs.values()]
            .filter((job) => !job.failedAt && !job.running && job.nextRunAt.getTime() <= horizon)
            .sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime());
        let ran = 0;
        const byName = new Map<string, Job[]>();
        for (const job of due) {
            byName.set(job.name, [...(byName.get(job.name) ?? []), job]);
        }
        await Promise.all([...byName.entries()].map(async ([name, jobs]) => {
            if (this.runningNames.has(name)) {
                return;
            }
            this.runningNames.add(name);
            try {
                for (const job of jobs) {
                    if (this.jobs.get(job.id) === job && !job.running) {
                        await this.track(this.runOne(job));
                        ran++;
                    }
                }
            } finally {
                this.runningNames.delete(name);
            }
        }));
        return ran;
    }

    private async track(run: Promise<void>): Promise<void> {
        this.inFlight.add(run);
        try {
            await run;
        } finally {
            this.inFlight.delete(run);
        }
    }

    private async runOne(job: Job): Promise<void> {
        const processor = this.processors.get(job.name);
        if (!processor) {
            return; // Agenda leaves jobs of undefined processors in the store untouched.
        }
        job.running = true;
        job.lastRunAt = new Date();
        try {
            await processor({ ...clone(job.data), jobId: job.id });
            if (job.type === 'normal') {
                this.jobs.delete(job.id);
            }
        } catch (error) {
            job.failedAt = new Date();
            job.failReason = error instanceof Error ? error.message : String(error);
            this.onError(job, error);
        } finally {
            job.running = false;
            job.lastFinishedAt = new Date();
            if (job.type === 'single' && job.intervalMs) {
                job.failedAt = undefined;
                job.nextRunAt = new Date(Date.now() + job.intervalMs);
            }
        }
    }
}
