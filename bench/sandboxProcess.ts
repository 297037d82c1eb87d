/*
 * Starts the compiled sandbox (`build/sandbox/main.js`, the program `npm start` runs) as a child
 * process on a free 127.0.0.1 port for the benchmark, and stops it again. The repository root is
 * found by walking up from this file to the directory holding app.json, so it works both from
 * `bench/` (ts-node, type-checking) and from `build/bench/` (compiled).
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { dirname, join } from 'path';
import { URL } from 'url';

export interface SandboxProcess {
    /** Base URL, e.g. `http://127.0.0.1:41234`. */
    url: string;
    appId: string;
    /** Everything the sandbox wrote to stderr so far. */
    stderr(): string;
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call twice. */
    stop(graceMs?: number): Promise<void>;
}

export function findRepoRoot(start: string = __dirname): string {
    let dir = start;
    for (;;) {
        if (existsSync(join(dir, 'app.json')) && existsSync(join(dir, 'package.json'))) {
            return dir;
        }
        const parent = dirname(dir);
        if (parent === dir) {
            throw new Error(`no directory with app.json above ${start}`);
        }
        dir = parent;
    }
}

const BANNER = /^sandbox listening on (\S+) app (\S+)$/;

/** Children still running: killed when this process exits, however it exits, so none is left behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
    live.add(child);
    child.once('exit', () => live.delete(child));
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', () => {
            for (const running of live) running.kill('SIGKILL');
        });
    }
}

export async function startSandboxProcess(secret: string, env: Record<string, string> = {}, startTimeoutMs = 30000): Promise<SandboxProcess> {
    const root = findRepoRoot();
    const main = join(root, 'build', 'sandbox', 'main.js');
    if (!existsSync(main)) {
        throw new Error(`${main} is missing: run "npm run build" first`);
    }
    const child: ChildProcess = spawn(process.execPath, [main], {
        cwd: root,
        env: { ...process.env, PORT: '0', SANDBOX_SECRET: secret, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.length > 200000) stderr = stderr.slice(-100000);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    const stop = async (graceMs = 10000): Promise<void> => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
            exited.then(() => false),
            new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), graceMs); }),
        ]);
        if (timer) clearTimeout(timer);
        if (timedOut && child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL');
            await exited;
        }
    };

    let banner: string;
    try {
        banner = await new Promise<string>((resolve, reject) => {
            let out = '';
            const timer = setTimeout(() => reject(new Error(`sandbox did not start in ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
            child.stdout!.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                const newline = out.indexOf('\n');
                if (newline >= 0) {
                    clearTimeout(timer);
                    resolve(out.slice(0, newline).trim());
                }
            });
            child.once('exit', (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`sandbox exited (${code ?? signal}) before listening: ${stderr}`));
            });
            child.once('error', (error) => {
                clearTimeout(timer);
                reject(error);
            });
        });
    } catch (error) {
        await stop(2000);
        throw error;
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout!.resume();

    const match = BANNER.exec(banner);
    if (!match) {
        await stop(2000);
        throw new Error(`unexpected sandbox banner: ${banner}`);
    }
    const [, url, appId] = match;
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1') {
        await stop(2000);
        throw new Error(`the sandbox listens on ${url}; the benchmark only loads 127.0.0.1`);
    }
    return { url, appId, stderr: () => stderr, stop };
}
