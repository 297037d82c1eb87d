/*
 * The suite-wide secrets check (jest globalSetup/globalTeardown, see jest.config.js). Every sandbox
 * an engine test starts leaves, in build/test-artifacts/secrets/: every line it logged (app and
 * sandbox), every persistence record the app held at the end, and every answer the test got from
 * the app's endpoints and the simulator (slash-command replies included), plus the secrets it was
 * configured with (app secret, OTRS password, GLPI tokens, webhook token; defaults and whatever the
 * test saved). After the whole run, none of those secrets may appear in any of them.
 *
 * Excluded, and why: the Apps-Engine's own call traces ("... is being called...", "... was
 * successfully executed" and the like), which dump the arguments of every endpoint call (headers,
 * the platform's Authorization included) and every saved setting; the app cannot switch them off
 * (README, "Reliability"). What the fakes recorded is what the helpdesks received, not a reply.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';

export const SECRETS_SCAN_DIR = join(__dirname, '..', '..', 'build', 'test-artifacts', 'secrets');
export const SECRET_SETTING_IDS: readonly string[] = ['app_secret', 'otrs_password', 'glpi_app_token', 'glpi_user_token', 'webhook_token'];
/** The Apps-Engine's own call traces (they dump call arguments: request headers, saved setting values). */
export const ENGINE_TRACE = /is being called\.\.\.|was successfully called!|is being executed\.\.\.|was successfully executed|was sucessfully executed|was unsuccessful/;
/** Shorter values would match by accident (a test may use "x" as a wrong secret); none of the configured ones is. */
const MIN_SECRET_LENGTH = 8;

export interface SecretsArtifact {
    testFile: string;
    secrets: string[];
    logFile: string;
    persistence: unknown[];
    replies: string[];
}

interface Hit {
    testFile: string;
    where: string;
    excerpt: string;
}

function findIn(text: string, secrets: string[], testFile: string, where: string, hits: Hit[]): void {
    for (const secret of secrets) {
        const at = text.indexOf(secret);
        if (at >= 0) {
            const excerpt = `${text.slice(Math.max(0, at - 60), at)}<SECRET>${text.slice(at + secret.length, at + secret.length + 60)}`;
            hits.push({ testFile, where, excerpt });
        }
    }
}

export function scanArtifacts(dir: string): { sandboxes: number; logLines: number; records: number; replies: number; secrets: number; hits: Hit[] } {
    const totals = { sandboxes: 0, logLines: 0, records: 0, replies: 0, secrets: 0, hits: [] as Hit[] };
    const allSecrets = new Set<string>();
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
        const artifact = JSON.parse(readFileSync(join(dir, name), 'utf8')) as SecretsArtifact;
        const secrets = artifact.secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
        secrets.forEach((s) => allSecrets.add(s));
        totals.sandboxes++;
        const lines = existsSync(artifact.logFile) ? readFileSync(artifact.logFile, 'utf8').split('\n').filter(Boolean) : [];
        for (const line of lines) {
            const { message } = JSON.parse(line) as { message: string };
            if (ENGINE_TRACE.test(message)) continue;
            totals.logLines++;
            findIn(message, secrets, artifact.testFile, 'log', totals.hits);
        }
        for (const record of artifact.persistence) {
            totals.records++;
            findIn(JSON.stringify(record), secrets, artifact.testFile, 'persistence', totals.hits);
        }
        for (const reply of artifact.replies) {
            totals.replies++;
            findIn(reply, secrets, artifact.testFile, 'reply', totals.hits);
        }
    }
    totals.secrets = allSecrets.size;
    return totals;
}

export async function clearArtifacts(): Promise<void> {
    rmSync(SECRETS_SCAN_DIR, { recursive: true, force: true });
    mkdirSync(SECRETS_SCAN_DIR, { recursive: true });
}

export async function checkArtifacts(): Promise<void> {
    if (!existsSync(SECRETS_SCAN_DIR)) return;
    const result = scanArtifacts(SECRETS_SCAN_DIR);
    if (!result.sandboxes) return;
    const summary = `secrets scan: ${result.sandboxes} sandboxes, ${result.logLines} log lines, ${result.records} stored records, ${result.replies} replies, ${result.secrets} distinct secrets: ${result.hits.length} hit(s)`;
    process.stdout.write(`\n${summary}\n`);
    if (result.hits.length) {
        const detail = result.hits.slice(0, 20).map((h) => `  ${h.testFile} ${h.where}: ${h.excerpt}`).join('\n');
        throw new Error(`a configured secret leaked:\n${detail}`);
    }
}
