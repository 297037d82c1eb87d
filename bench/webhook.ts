/*
 * Webhook body size and build time for rooms of 100 / 1,000 / 10,000 messages: transcript build,
 * both renderings, JSON, and the size cut at the default webhook_max_kb (1024 KB).
 */
import { buildWebhookBody } from '../src/helpdesk/webhook/webhookPayload';
import { buildTranscript } from '../src/transcript/buildTranscript';
import { syntheticMessages, syntheticRoom } from './transcript';

export interface WebhookBenchRow {
    messages: number;
    uncutKb: number;
    uncutMs: number;
    cutKb: number;
    cutMs: number;
    htmlDropped: boolean;
    messagesRemoved: number;
}

const OPTIONS = { timeZone: 'America/Sao_Paulo', locale: 'pt-BR', emojiShortcodes: true };
const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const DEFAULT_LIMIT = 1024 * 1024;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function timed<T>(run: () => T): { ms: number; value: T } {
    const start = process.hrtime.bigint();
    const value = run();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function runWebhookBench(sizes = [100, 1000, 10000], runs = 3): WebhookBenchRow[] {
    const room = syntheticRoom();
    const warm = buildTranscript(room, syntheticMessages(500), { siteUrl: 'https://chat.example.com' });
    buildWebhookBody(warm, [], OPTIONS, NO_LIMIT);
    return sizes.map((n) => {
        const messages = syntheticMessages(n);
        const uncut: Array<{ ms: number; bytes: number }> = [];
        const cut: Array<{ ms: number; bytes: number; truncated?: { htmlDropped: boolean; messagesRemoved: number } }> = [];
        for (let r = 0; r < runs; r++) {
            const a = timed(() => buildWebhookBody(buildTranscript(room, messages, { siteUrl: 'https://chat.example.com' }), ['2026112210000013'], OPTIONS, NO_LIMIT));
            uncut.push({ ms: a.ms, bytes: a.value.bytes });
            const b = timed(() => buildWebhookBody(buildTranscript(room, messages, { siteUrl: 'https://chat.example.com' }), ['2026112210000013'], OPTIONS, DEFAULT_LIMIT));
            cut.push({ ms: b.ms, bytes: b.value.bytes, truncated: b.value.truncated });
        }
        return {
            messages: n,
            uncutKb: uncut[0].bytes / 1024,
            uncutMs: median(uncut.map((x) => x.ms)),
            cutKb: cut[0].bytes / 1024,
            cutMs: median(cut.map((x) => x.ms)),
            htmlDropped: cut[0].truncated?.htmlDropped ?? false,
            messagesRemoved: cut[0].truncated?.messagesRemoved ?? 0,
        };
    });
}

if (require.main === module) {
    for (const row of runWebhookBench()) console.log(JSON.stringify(row));
}
