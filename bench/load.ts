/*
 * A tiny closed-loop load generator: `concurrency` workers each send one request, wait for its
 * answer, and send the next, until `count` requests are done. Latency is measured per request with
 * process.hrtime.bigint() from just before the request is issued to the moment the response (body
 * included) is available. Every response is checked; failures are counted, never measured silently.
 */
import { AxiosResponse } from 'axios';

export interface Failure {
    index: number;
    /** HTTP status, or 0 when no response arrived (connection error, timeout). */
    status: number;
    /** Response body (or error message), truncated for printing. */
    body: string;
}

export interface LoadResult {
    count: number;
    concurrency: number;
    ok: number;
    failed: number;
    /** Failures by status (`"0"` = no response). */
    failuresByStatus: Record<string, number>;
    firstFailure?: Failure;
    /** Requests never sent because the run passed its deadline (they count as failed). */
    notSent: number;
    /** Wall time of the whole run. */
    durationMs: number;
    /** Latency of every request (successful or not), milliseconds, in completion order. */
    latenciesMs: number[];
}

export interface LatencyStats {
    throughput: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
}

export type RequestFn = (index: number) => Promise<AxiosResponse>;
/** Returns an error message when a 2xx response is still not what was expected, else undefined. */
export type CheckFn = (response: AxiosResponse) => string | undefined;

function bodyText(data: unknown): string {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return text === undefined ? '' : text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
}

export interface LoadOptions {
    /** Check of a 2xx response. */
    check?: CheckFn;
    /** Wall-clock budget: once passed, no new request is sent (the rest count as failed). */
    deadlineMs?: number;
}

export async function runClosedLoop(count: number, concurrency: number, request: RequestFn, options: LoadOptions = {}): Promise<LoadResult> {
    const { check, deadlineMs } = options;
    if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
    const latenciesMs: number[] = [];
    const failuresByStatus: Record<string, number> = {};
    let firstFailure: Failure | undefined;
    let ok = 0;
    let next = 0;
    let notSent = 0;
    const stopAt = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;

    const fail = (failure: Failure): void => {
        failuresByStatus[String(failure.status)] = (failuresByStatus[String(failure.status)] ?? 0) + 1;
        if (!firstFailure) firstFailure = failure;
    };

    const worker = async (): Promise<void> => {
        while (next < count) {
            const index = next++;
            if (stopAt !== undefined && Date.now() > stopAt) {
                notSent = count - index;
                next = count;
                fail({ index, status: 0, body: `not sent: the run passed its ${deadlineMs} ms deadline with ${notSent} requests left` });
                return;
            }
            const start = process.hrtime.bigint();
            let response: AxiosResponse | undefined;
            let error: unknown;
            try {
                response = await request(index);
            } catch (caught) {
                error = caught;
            }
            latenciesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
            if (!response) {
                fail({ index, status: 0, body: error instanceof Error ? error.message : String(error) });
            } else if (response.status < 200 || response.status > 299) {
                fail({ index, status: response.status, body: bodyText(response.data) });
            } else {
                const problem = check?.(response);
                if (problem) fail({ index, status: response.status, body: `${problem}: ${bodyText(response.data)}` });
                else ok++;
            }
        }
    };

    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(count, 1)) }, () => worker()));
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { count, concurrency, ok, failed: count - ok, failuresByStatus, firstFailure, notSent, durationMs, latenciesMs };
}

/** Nearest-rank percentile (p in 0..100) of an ascending array. */
export function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function latencyStats(result: LoadResult): LatencyStats {
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    const sum = sorted.reduce((acc, v) => acc + v, 0);
    return {
        throughput: result.durationMs > 0 ? result.latenciesMs.length / (result.durationMs / 1000) : NaN,
        mean: sorted.length ? sum / sorted.length : NaN,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1] : NaN,
    };
}
