/*
 * Starts the sandbox (`node build/sandbox/main.js`, the same program as `npm start`) as a child
 * process on a free 127.0.0.1 port, and gives tests HTTP clients for the app API, the simulator and
 * the fakes. Requires `npm run build` first (`npm test` does it).
 */
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { SECRETS_SCAN_DIR, SECRET_SETTING_IDS, SecretsArtifact } from './secretsScan';

export const SECRET = 'engine-test-secret-8H3K2M9Q';
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'build', 'sandbox', 'main.js');
/** The secrets the sandbox configures by itself at start (sandbox/Sandbox.ts). */
const SANDBOX_DEFAULT_SECRETS = ['otrs-password', 'glpi-user-token'];

export interface Sandbox {
    url: string;
    appId: string;
    http: AxiosInstance;
    /** Calls the app's public endpoint, JSON body on any method, with the secret unless `auth` says otherwise. */
    api(method: string, path: string, body?: unknown, options?: { auth?: string | null; contentType?: string | null; rawBody?: string }): Promise<AxiosResponse>;
    sim(method: string, path: string, body?: unknown): Promise<AxiosResponse>;
    stderr(): string;
    stop(): Promise<void>;
}

export async function startSandbox(env: Record<string, string> = {}): Promise<Sandbox> {
    if (!existsSync(MAIN)) {
        throw new Error(`${MAIN} is missing: run "npm run build" first`);
    }
    // Everything this sandbox logs, stores and answers is kept for the suite-wide secrets scan (secretsScan.ts).
    mkdirSync(SECRETS_SCAN_DIR, { recursive: true });
    // Unique per sandbox: jest re-imports this module for every test file of a worker.
    const artifactBase = join(SECRETS_SCAN_DIR, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    const secrets = new Set([SECRET, ...SANDBOX_DEFAULT_SECRETS, ...(env.SANDBOX_SECRET ? [env.SANDBOX_SECRET] : [])]);
    const replies: string[] = [];
    const child: ChildProcess = spawn(process.execPath, [MAIN], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', SANDBOX_SECRET: SECRET, SANDBOX_LOG_FILE: `${artifactBase}.log`, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
        stderr += chunk.toString();
    });
    const banner = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`sandbox did not start in 30 s: ${stderr}`)), 30000);
        child.stdout!.on('data', (chunk) => {
            out += chunk.toString();
            if (out.includes('\n')) {
                clearTimeout(timer);
                resolve(out.split('\n')[0]);
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`sandbox exited with ${code}: ${stderr}`));
        });
    });
    const match = /listening on (\S+) app (\S+)/.exec(banner);
    if (!match) {
        throw new Error(`unexpected sandbox banner: ${banner}`);
    }
    const [, url, appId] = match;
    const http = axios.create({ baseURL: url, validateStatus: () => true, timeout: 30000 });
    http.interceptors.request.use((config) => {
        // Secrets a test saves as settings join the list the scan looks for.
        if (config.url === '/sim/settings' && config.data && typeof config.data === 'object') {
            for (const [id, value] of Object.entries(config.data as Record<string, unknown>)) {
                if (SECRET_SETTING_IDS.includes(id) && typeof value === 'string' && value) secrets.add(value);
            }
        }
        return config;
    });
    http.interceptors.response.use((response) => {
        // What the fakes hold is what the helpdesks received (credentials included, by design): not a reply
        // of ours. /sim/logs and /sim/persistence echo what the scan reads at the source (log file, records).
        if (!/^\/(fakes\/|sim\/logs|sim\/persistence)/.test(String(response.config.url ?? ''))) {
            replies.push(`${response.config.method?.toUpperCase()} ${response.config.url} -> ${response.status} ${typeof response.data === 'string' ? response.data : JSON.stringify(response.data)}`);
        }
        return response;
    });
    const saveArtifact = async () => {
        const persistence = child.exitCode === null ? (await http.get('/sim/persistence').catch(() => ({ data: [] }))).data : [];
        const artifact: SecretsArtifact = { testFile: expect.getState().testPath ?? 'unknown', secrets: [...secrets], logFile: `${artifactBase}.log`, persistence, replies };
        writeFileSync(`${artifactBase}.json`, JSON.stringify(artifact));
    };
    return {
        url,
        appId,
        http,
        api: (method, path, body, options = {}) => {
            const headers: Record<string, string> = {};
            const auth = options.auth === undefined ? `Token ${SECRET}` : options.auth;
            if (auth !== null) headers.Authorization = auth;
            const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
            if (contentType !== null) headers['Content-Type'] = contentType;
            const data = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
            return http.request({ method, url: `/api/apps/public/${appId}/${path}`, data, headers, transformRequest: (d) => d });
        },
        sim: (method, path, body) => http.request({ method, url: `/sim${path}`, data: body }),
        stderr: () => stderr,
        stop: async () => {
            await saveArtifact();
            if (child.exitCode === null) {
                const exited = new Promise((resolve) => child.once('exit', resolve));
                child.kill('SIGTERM');
                await exited;
            }
        },
    };
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). For asynchronous effects only. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await check();
            if (value) return value;
        } catch (error) {
            last = error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function uuid(): string {
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
        const r = Math.floor(Math.random() * 16);
        return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
    });
}

/** The delivery record of a closed room's helpdesk write (key `helpdesk:<roomId>`), if queued. */
export async function helpdeskDelivery<T extends { status: string }>(sb: Sandbox, roomId: string): Promise<T | undefined> {
    const records = (await sb.sim('get', '/persistence')).data as Array<{ data: T & { key?: string; attempt?: number } }>;
    return records.map((r) => r.data).find((d) => d.key === `helpdesk:${roomId}` && d.attempt !== undefined);
}

/** Runs due jobs (fast-forwarding backoff) until the room's helpdesk delivery has `status`. */
export async function helpdeskDeliveryWith<T extends { status: string }>(sb: Sandbox, roomId: string, status = 'done'): Promise<T> {
    return eventually(async () => {
        await sb.sim('post', '/jobs/run', { withinMs: 3600000 });
        const d = await helpdeskDelivery<T>(sb, roomId);
        return d && d.status === status ? d : undefined;
    }, 20000, `helpdesk delivery of room ${roomId} ${status}`);
}
