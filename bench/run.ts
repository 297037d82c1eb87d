/*
 * `npm run bench`: the RapidPro endpoints through the sandbox's HTTP server on 127.0.0.1.
 *
 *   GET  /room            x500  at concurrency 1 and 32 (a new visitor token and ticketID each)
 *   POST /visitor-message x2000 at concurrency 1 and 32 (spread over 50 open rooms)
 *
 * Each scenario runs against a fresh sandbox process (4 online agents), so the world a scenario
 * sees does not depend on what ran before it. Each measured run is preceded by a warm-up that is
 * not counted. Bridge calls are reset after the warm-up has settled and read once the measured run
 * has settled (calls made by asynchronous work the requests triggered are counted too).
 *
 * Prints machine facts, latency/throughput and bridge calls per request, writes the same figures
 * to build/bench-results.json. No timing assertions: the exit code is non-zero only when a request
 * failed (non-2xx, no response, or a 2xx without the expected `id`) or the benchmark itself broke.
 */
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { GlpiBenchRow, runGlpiBench } from './glpi';
import { OtrsBenchRow, runOtrsBench } from './otrs';
import { DrainBenchRow, runDrainBench } from './drain';
import { runWebhookBench, WebhookBenchRow } from './webhook';
import { runTranscriptBench, TranscriptBenchResult } from './transcript';
import { randomUUID } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import http from 'http';
import os from 'os';
import { join } from 'path';
import { latencyStats, LatencyStats, LoadResult, runClosedLoop } from './load';
import { findRepoRoot, SandboxProcess, startSandboxProcess } from './sandboxProcess';

const SECRET = 'bench-secret-Q7w2Lr9xVb4N';
const AGENTS = 4;
const WARMUP = 50;
const MESSAGE_ROOMS = 50;
const SETTLE_MAX_MS = 5000;
/** Budget of one measured run (and of each warm-up/setup loop): requests not sent by then count as failed. */
const RUN_DEADLINE_MS = 5 * 60 * 1000;

type Endpoint = 'room' | 'visitor-message';

interface Scenario {
    endpoint: Endpoint;
    count: number;
    concurrency: number;
}

const SCENARIOS: Scenario[] = [
    { endpoint: 'room', count: 500, concurrency: 1 },
    { endpoint: 'room', count: 500, concurrency: 32 },
    { endpoint: 'visitor-message', count: 2000, concurrency: 1 },
    { endpoint: 'visitor-message', count: 2000, concurrency: 32 },
];

interface ScenarioResult {
    name: string;
    method: string;
    path: string;
    count: number;
    concurrency: number;
    warmup: number;
    ok: number;
    failed: number;
    notSent: number;
    failuresByStatus: Record<string, number>;
    firstFailure?: { index: number; status: number; body: string };
    durationMs: number;
    throughputRps: number;
    latencyMs: Omit<LatencyStats, 'throughput'>;
    bridgeCalls: Record<string, number>;
    bridgeCallsPerRequest: Record<string, number>;
    persistenceReadsPerRequest: number;
    persistenceWritesPerRequest: number;
    messageWritesPerRequest: number;
}

class BenchFailure extends Error {}

function label(s: Scenario): string {
    return `${s.endpoint === 'room' ? 'GET /room' : 'POST /visitor-message'} c=${s.concurrency}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** An axios client for one sandbox: keep-alive sockets, every status resolved (checked by the caller). */
function client(url: string, agent: http.Agent): AxiosInstance {
    return axios.create({ baseURL: url, httpAgent: agent, validateStatus: () => true, timeout: 30000, maxRedirects: 0, proxy: false });
}

interface Api {
    call(method: 'GET' | 'POST', path: Endpoint, body: unknown): Promise<AxiosResponse>;
    sim(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<AxiosResponse>;
}

function apiFor(sandbox: SandboxProcess, agent: http.Agent): Api {
    const httpClient = client(sandbox.url, agent);
    const headers = { Authorization: `Token ${SECRET}`, 'Content-Type': 'application/json' };
    return {
        call: (method, path, body) => httpClient.request({
            method, url: `/api/apps/public/${sandbox.appId}/${path}`, headers, data: JSON.stringify(body), transformRequest: (d) => d,
        }),
        sim: (method, path, body) => httpClient.request({ method, url: `/sim${path}`, data: body }),
    };
}

async function simOk(api: Api, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
    const response = await api.sim(method, path, body);
    if (response.status < 200 || response.status > 299) {
        throw new BenchFailure(`${method} /sim${path} -> ${response.status}: ${JSON.stringify(response.data)}`);
    }
    return response.data;
}

const hasId: (r: AxiosResponse) => string | undefined = (r) =>
    r.data && typeof r.data === 'object' && typeof r.data.id === 'string' && r.data.id ? undefined : 'response has no "id"';

function roomBody(token: string) {
    return { ticketID: randomUUID(), visitor: { token, name: `Bench ${token}` } };
}

/** Waits until the bridge-call counts stop changing (async work triggered by requests has finished). */
async function settledBridgeCalls(api: Api): Promise<Record<string, number>> {
    const deadline = Date.now() + SETTLE_MAX_MS;
    let previous = JSON.stringify(await simOk(api, 'GET', '/bridge-calls'));
    for (;;) {
        await sleep(150);
        const current: Record<string, number> = await simOk(api, 'GET', '/bridge-calls');
        const text = JSON.stringify(current);
        if (text === previous || Date.now() > deadline) return current;
        previous = text;
    }
}

function failIfAny(what: string, result: LoadResult): void {
    if (result.failed > 0) {
        const first = result.firstFailure!;
        throw new BenchFailure(`${what}: ${result.failed} of ${result.count} requests failed ${JSON.stringify(result.failuresByStatus)}; `
            + `first failure (request #${first.index}, status ${first.status}): ${first.body}`);
    }
}

async function runScenario(scenario: Scenario, index: number): Promise<ScenarioResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(scenario.concurrency, 4) });
    const sandbox = await startSandboxProcess(SECRET);
    try {
        const api = apiFor(sandbox, agent);
        for (let i = 1; i <= AGENTS; i++) {
            await simOk(api, 'POST', '/agents', { username: `bench-agent-${i}` });
        }
        const tag = `s${index}-${Date.now().toString(36)}`;
        let request: (i: number) => Promise<AxiosResponse>;
        let warmup: (i: number) => Promise<AxiosResponse>;
        if (scenario.endpoint === 'room') {
            warmup = (i) => api.call('GET', 'room', roomBody(`bench-${tag}-warm-${i}`));
            request = (i) => api.call('GET', 'room', roomBody(`bench-${tag}-${i}`));
        } else {
            const tokens = Array.from({ length: MESSAGE_ROOMS }, (_, i) => `bench-${tag}-room-${i}`);
            const opened = await runClosedLoop(tokens.length, 1, (i) => api.call('GET', 'room', roomBody(tokens[i])), { check: hasId, deadlineMs: RUN_DEADLINE_MS });
            failIfAny(`${label(scenario)}: opening ${tokens.length} rooms`, opened);
            const message = (i: number, kind: string) => ({ visitor: { token: tokens[i % tokens.length] }, text: `${kind} message ${i} from the benchmark` });
            warmup = (i) => api.call('POST', 'visitor-message', message(i, 'warm-up'));
            request = (i) => api.call('POST', 'visitor-message', message(i, 'bench'));
        }

        failIfAny(`${label(scenario)}: warm-up`, await runClosedLoop(WARMUP, scenario.concurrency, warmup, { check: hasId, deadlineMs: RUN_DEADLINE_MS }));
        await settledBridgeCalls(api);
        await simOk(api, 'DELETE', '/bridge-calls');

        const result = await runClosedLoop(scenario.count, scenario.concurrency, request, { check: hasId, deadlineMs: RUN_DEADLINE_MS });
        const calls = await settledBridgeCalls(api);
        const stats = latencyStats(result);
        const perRequest = (name: string) => round((calls[name] ?? 0) / scenario.count, 2);
        const sumPerRequest = (prefix: string) => round(Object.entries(calls)
            .filter(([name]) => name.startsWith(prefix)).reduce((acc, [, n]) => acc + n, 0) / scenario.count, 2);
        return {
            name: label(scenario),
            method: scenario.endpoint === 'room' ? 'GET' : 'POST',
            path: `/${scenario.endpoint}`,
            count: scenario.count,
            concurrency: scenario.concurrency,
            warmup: WARMUP,
            ok: result.ok,
            failed: result.failed,
            notSent: result.notSent,
            failuresByStatus: result.failuresByStatus,
            firstFailure: result.firstFailure,
            durationMs: round(result.durationMs, 1),
            throughputRps: round(stats.throughput, 1),
            latencyMs: { mean: round(stats.mean, 3), p50: round(stats.p50, 3), p90: round(stats.p90, 3), p99: round(stats.p99, 3), max: round(stats.max, 3) },
            bridgeCalls: Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b))),
            bridgeCallsPerRequest: Object.fromEntries(Object.keys(calls).sort().map((name) => [name, perRequest(name)])),
            persistenceReadsPerRequest: perRequest('persistence.read'),
            persistenceWritesPerRequest: perRequest('persistence.write'),
            messageWritesPerRequest: sumPerRequest('livechat.createMessage'),
        };
    } finally {
        agent.destroy();
        await sandbox.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][], rightAlignFrom = 1): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

interface Expectation {
    what: string;
    scenario: string;
    observed: string;
    met: boolean;
}

function expectations(results: ScenarioResult[]): Expectation[] {
    const list: Expectation[] = [];
    for (const r of results) {
        if (r.concurrency === 32) {
            list.push({ what: 'p99 < 50 ms at c=32', scenario: r.name, observed: `${fixed(r.latencyMs.p99, 2)} ms`, met: r.latencyMs.p99 < 50 });
        }
        if (r.path === '/visitor-message') {
            list.push({ what: 'persistence reads <= 2 per request', scenario: r.name, observed: fixed(r.persistenceReadsPerRequest, 2), met: r.persistenceReadsPerRequest <= 2 });
            list.push({ what: 'exactly 1 message write per request', scenario: r.name, observed: fixed(r.messageWritesPerRequest, 2), met: r.messageWritesPerRequest === 1 });
        }
    }
    return list;
}

function machineFacts() {
    const cpus = os.cpus();
    return {
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
        cores: cpus.length,
        totalMemGiB: round(os.totalmem() / 2 ** 30, 1),
        loadAverage: os.loadavg().map((v) => round(v, 2)),
    };
}

function printScenarioTables(results: ScenarioResult[]): void {
    console.log('\nLatency and throughput (closed loop, keep-alive, client and sandbox on the same machine)');
    console.log(table(
        ['scenario', 'requests', 'ok', 'failed', 'time s', 'req/s', 'mean ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        results.map((r) => [r.name, String(r.count), String(r.ok), String(r.failed), fixed(r.durationMs / 1000, 2), fixed(r.throughputRps, 1),
            fixed(r.latencyMs.mean, 2), fixed(r.latencyMs.p50, 2), fixed(r.latencyMs.p90, 2), fixed(r.latencyMs.p99, 2), fixed(r.latencyMs.max, 2)]),
    ));

    console.log('\nEngine bridge calls per request');
    console.log(table(
        ['scenario', 'persistence reads', 'persistence writes', 'message writes'],
        results.map((r) => [r.name, fixed(r.persistenceReadsPerRequest, 2), fixed(r.persistenceWritesPerRequest, 2), fixed(r.messageWritesPerRequest, 2)]),
    ));

    const names = [...new Set(results.flatMap((r) => Object.keys(r.bridgeCalls)))].sort();
    console.log('\nAll bridge calls per request, by name');
    console.log(table(
        ['bridge call', ...results.map((r) => r.name)],
        names.map((name) => [name, ...results.map((r) => fixed(r.bridgeCallsPerRequest[name] ?? 0, 2))]),
    ));
}

async function main(): Promise<number> {
    const root = findRepoRoot();
    const machine = machineFacts();
    console.log('Ticket Bridge benchmark: RapidPro endpoints through the sandbox HTTP server (127.0.0.1)');
    console.log(`node ${machine.node} | ${machine.platform} | CPU ${machine.cpuModel} | ${machine.cores} cores | ${machine.totalMemGiB} GiB RAM | load avg ${machine.loadAverage.join(' ')}`);
    console.log(`setup: fresh sandbox per scenario, ${AGENTS} online agents, ${WARMUP} warm-up requests per scenario (not counted), /visitor-message over ${MESSAGE_ROOMS} open rooms`);

    const results: ScenarioResult[] = [];
    let failure: string | undefined;
    for (const [i, scenario] of SCENARIOS.entries()) {
        process.stdout.write(`running ${label(scenario)} x${scenario.count} ... `);
        try {
            const result = await runScenario(scenario, i);
            results.push(result);
            console.log(`${fixed(result.throughputRps, 1)} req/s, p99 ${fixed(result.latencyMs.p99, 2)} ms, ${result.failed} failed`);
            if (result.failed > 0) {
                const first = result.firstFailure!;
                failure = `${result.name}: ${result.failed} of ${result.count} requests failed ${JSON.stringify(result.failuresByStatus)}; `
                    + `first failure (request #${first.index}, status ${first.status}): ${first.body}`;
                break;
            }
        } catch (error) {
            console.log('error');
            failure = error instanceof Error ? error.message : String(error);
            if (!(error instanceof BenchFailure) && error instanceof Error && error.stack) failure = error.stack;
            break;
        }
    }

    if (results.length) printScenarioTables(results);

    let transcript: TranscriptBenchResult | undefined;
    let otrs: OtrsBenchRow[] = [];
    let webhook: WebhookBenchRow[] = [];
    let glpi: GlpiBenchRow[] = [];
    let drain: DrainBenchRow[] = [];
    if (failure === undefined) {
        console.log('\nTranscript rendering (build + text + HTML), synthetic rooms');
        transcript = runTranscriptBench({ log: (line) => console.log(line) });
        console.log('\nWebhook body size and build time (transcript + both renderings + JSON; cut at the default 1024 KB)');
        webhook = runWebhookBench();
        console.log(table(['messages', 'uncut KB', 'uncut ms', 'sent KB', 'sent ms', 'HTML dropped', 'messages cut'],
            webhook.map((r) => [String(r.messages), fixed(r.uncutKb, 1), fixed(r.uncutMs, 1), fixed(r.cutKb, 1), fixed(r.cutMs, 1), r.htmlDropped ? 'yes' : 'no', String(r.messagesRemoved)])));
        console.log('\nRequests sent to OTRS per closed room (counted by the OTRS fake)');
        try {
            otrs = await runOtrsBench(SECRET);
            console.log(table(['scenario', 'rooms', 'tickets written', 'requests/room', 'writes/ticket written', 'reads/room', 'drain s'],
                otrs.map((r) => [r.scenario, String(r.rooms), String(r.ticketsWritten), fixed(r.requestsPerRoom, 2), fixed(r.writesPerTicketWritten, 2), fixed(r.readsPerRoom, 2), fixed(r.drainSeconds, 1)])));
        } catch (error) {
            failure = `OTRS benchmark: ${error instanceof Error ? error.message : String(error)}`;
        }
        console.log('\nRequests sent to GLPI per closed room (counted by the GLPI fake)');
        try {
            glpi = await runGlpiBench(SECRET);
            console.log(table(['scenario', 'rooms', 'initSession/room', 'user searches/room', 'other reads/room', 'writes/room (1 ticket each)'],
                glpi.map((r) => [r.scenario, String(r.rooms), fixed(r.initSessions, 2), fixed(r.userSearches, 2), fixed(r.otherReads, 2), fixed(r.writes, 2)])));
        } catch (error) {
            failure = failure ?? `GLPI benchmark: ${error instanceof Error ? error.message : String(error)}`;
        }
        console.log('\nBacklog drain after a helpdesk outage (1,000 rooms closed while the OTRS fake was down; real time, no fast-forward; expected: >= 50 deliveries/s, <= 2 records/delivery)');
        try {
            drain = await runDrainBench(SECRET);
            console.log(table(['deliveries', 'attempts before (mean/max)', 'first ticket s', 'last ticket s', 'deliveries/s', 'records/delivery', 'added records/delivery'],
                drain.map((r) => [String(r.deliveries), `${fixed(r.attemptsBeforeRecoveryMean, 2)}/${r.attemptsBeforeRecoveryMax}`, fixed(r.firstTicketSeconds, 2), fixed(r.lastTicketSeconds, 2), fixed(r.deliveriesPerSecond, 1), fixed(r.recordsPerDelivery, 2), fixed(r.addedRecordsPerDelivery, 2)])));
        } catch (error) {
            failure = failure ?? `drain benchmark: ${error instanceof Error ? error.message : String(error)}`;
        }
    }
    const checks = expectations(results);
    if (checks.length) {
        console.log('\nAgainst the expectation in the issue (informational; the exit code reflects request failures only)');
        console.log(table(['expectation', 'scenario', 'observed', 'met'], checks.map((c) => [c.what, c.scenario, c.observed, c.met ? 'yes' : 'NO']), 2));
    }

    const output = join(root, 'build', 'bench-results.json');
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(output, `${JSON.stringify({
        generatedAt: new Date().toISOString(),
        machine,
        setup: { agents: AGENTS, warmupPerScenario: WARMUP, visitorMessageRooms: MESSAGE_ROOMS, freshSandboxPerScenario: true, host: '127.0.0.1' },
        ok: failure === undefined,
        failure,
        scenarios: results,
        expectations: checks,
        transcript,
        webhook,
        otrs,
        glpi,
        drain,
    }, null, 2)}\n`);
    console.log(`\nresults written to ${output}`);

    if (failure !== undefined) {
        console.error(`\nBENCHMARK FAILED: ${failure}`);
        return 1;
    }
    return 0;
}

// Ctrl-C / kill: exit, and the exit hook in sandboxProcess kills the sandbox child.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
        console.error(`\n${signal}: stopping`);
        process.exit(130);
    });
}

main().then((code) => {
    process.exitCode = code;
}, (error) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exitCode = 1;
});
