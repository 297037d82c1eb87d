/*
 * Transcript rendering benchmark: buildTranscript + renderText + renderHtml over synthetic rooms of
 * 1,000 / 10,000 / 50,000 messages (visitor, agents, a bot and system events; some attachments,
 * some 4-byte emoji, some HTML-looking text; half the dates as ISO strings, as after JSON).
 *
 *   npx tsc -p tsconfig.sandbox.json && node --expose-gc build/bench/transcript.js
 *
 * For each size: the median of 3 runs for each phase and for the whole; the heap growth over a
 * baseline taken after a full GC with the input already built (peak = the highest heapUsed seen
 * after each phase while the transcript and both renderings are held; garbage not yet collected
 * counts, as it does in the engine), what stays after a GC with the outputs still held, and the
 * growth per message. Then whether time per message stays flat across sizes (linear time).
 * Without --expose-gc the heap figures include garbage of earlier runs and are only indicative.
 * Prints figures; asserts nothing about time (expected: 10,000 messages < 500 ms, < 100 MB).
 */
import os from 'os';
import { buildTranscript, MessageLike, RenderOptions, renderHtml, renderText, RoomLike } from '../src/transcript';

export interface TranscriptBenchRow {
    messages: number;
    buildMs: number;
    textMs: number;
    htmlMs: number;
    /** Median of the per-run totals (not the sum of the phase medians). */
    totalMs: number;
    usPerMessage: number;
    peakHeapBytes: number;
    retainedHeapBytes: number;
    bytesPerMessage: number;
    textBytes: number;
    htmlBytes: number;
}

export interface TranscriptBenchResult {
    node: string;
    cpu: string;
    gcExposed: boolean;
    runs: number;
    rows: TranscriptBenchRow[];
    /** Highest µs/message divided by the lowest, across sizes; about 1 when time is linear. */
    linearityRatio: number;
    looksLinear: boolean;
}

export interface TranscriptBenchOptions {
    sizes?: number[];
    runs?: number;
    log?: (line: string) => void;
}

const SITE_URL = 'https://chat.example.com';
const OPTIONS: RenderOptions = { timeZone: 'America/Sao_Paulo', locale: 'pt-BR', emojiShortcodes: true };
/** Above this ratio of µs/message between sizes, time is reported as not linear. */
const LINEAR_LIMIT = 2;

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

const WORDS = (
    'olá bom dia preciso de ajuda com meu boleto que venceu ontem e não consigo pagar pelo aplicativo ' +
    'pode me enviar a segunda via por favor obrigado claro vou verificar aqui um momento'
).split(' ');
const EMOJI = ['\u{1F600}', '\u{1F44D}', '\u{1F64F}', '\u{1F389}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F1E7}\u{1F1F7}', '\u2764\uFE0F'];
const HTMLISH = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'a < b && c > d',
    '<b>negrito</b> e <i>itálico</i>',
];

/** Deterministic pseudo-random numbers, so every run and every machine gets the same room. */
function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

export function syntheticRoom(): RoomLike {
    return {
        id: 'bench-room',
        visitor: {
            name: 'Maria Souza',
            username: 'guest-1',
            token: 'tok-1',
            visitorEmails: [{ address: 'maria@example.org' }],
            phone: [{ phoneNumber: '+55 11 99999-0000' }],
        },
        department: { id: 'd1', name: 'Suporte' },
        servedBy: { username: 'ana', name: 'Ana Lima' },
        createdAt: new Date(Date.UTC(2026, 0, 15, 13, 0)),
        closedAt: new Date(Date.UTC(2026, 0, 20, 13, 0)),
        livechatData: { cpf: '123.456.789-00', plano: 'Ouro' },
        _unmappedProperties_: { topic: 'Boleto #123', tags: ['financeiro', '#456'] },
    };
}

export function syntheticMessages(count: number): MessageLike[] {
    const rand = lcg(count);
    const agents = [
        { id: 'u1', username: 'ana', name: 'Ana Lima', type: 'user', roles: ['user', 'livechat-agent'] },
        { id: 'u2', username: 'bruno', name: 'Bruno Reis', type: 'user', roles: ['user', 'livechat-agent'] },
        { id: 'u3', username: 'carla', name: 'Carla Dias', type: 'user', roles: ['user', 'livechat-agent'] },
    ];
    const visitor = { id: 'v1', username: 'guest-1', type: 'unknown' };
    const bot = { id: 'b1', username: 'rocket.cat', name: 'Assistente', type: 'bot' };
    const start = Date.UTC(2026, 0, 15, 13, 0);
    const messages: MessageLike[] = [];
    for (let i = 0; i < count; i++) {
        const ms = start + i * 7000 + Math.floor(rand() * 5000);
        const createdAt = i % 2 === 0 ? new Date(ms) : new Date(ms).toISOString();
        const words: string[] = [];
        const length = 4 + Math.floor(rand() * 30);
        for (let w = 0; w < length; w++) words.push(WORDS[Math.floor(rand() * WORDS.length)]);
        if (rand() < 0.2) words.push(EMOJI[Math.floor(rand() * EMOJI.length)]);
        if (rand() < 0.1) words.push(HTMLISH[Math.floor(rand() * HTMLISH.length)]);
        if (rand() < 0.05) words.push('\nsegunda linha');
        const text = words.join(' ');
        const r = rand();
        let m: MessageLike;
        if (r < 0.45) {
            m = { id: `m${i}`, createdAt, text, token: 'tok-1', sender: visitor };
        } else if (r < 0.85) {
            m = { id: `m${i}`, createdAt, text, sender: agents[i % agents.length] };
        } else if (r < 0.95) {
            m = { id: `m${i}`, createdAt, text, sender: bot };
        } else {
            const kind = Math.floor(rand() * 3);
            m = kind === 0
                ? { id: `m${i}`, createdAt, text: '', type: 'livechat_transfer_history', sender: agents[0], transferData: { transferredTo: { username: 'bruno', name: 'Bruno Reis' } } }
                : kind === 1
                    ? { id: `m${i}`, createdAt, text: 'Preços - https://loja.example.com/precos', type: 'livechat_navigation_history', token: 'tok-1', sender: visitor }
                    : { id: `m${i}`, createdAt, text: '/ajuda', _unmappedProperties_: { t: 'command' }, sender: agents[1] };
        }
        if (m.type === undefined && m._unmappedProperties_ === undefined && rand() < 0.05) {
            m.file = { _id: `f${i}`, name: `arquivo ${i}.pdf`, type: 'application/pdf' };
            m.attachments = [{ title: { value: `arquivo ${i}.pdf`, link: `/file-upload/f${i}/arquivo%20${i}.pdf` }, type: 'file' }];
        }
        messages.push(m);
    }
    return messages;
}

function median(values: number[]): number {
    const sorted = values.slice().sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const heapUsed = (): number => process.memoryUsage().heapUsed;

interface RunResult {
    buildMs: number;
    textMs: number;
    htmlMs: number;
    totalMs: number;
    peak: number;
    retained: number;
    textBytes: number;
    htmlBytes: number;
}

function runOnce(room: RoomLike, messages: MessageLike[]): RunResult {
    if (gc) gc();
    const base = heapUsed();
    let peak = 0;
    const t0 = nowMs();
    const transcript = buildTranscript(room, messages, { siteUrl: SITE_URL });
    const t1 = nowMs();
    peak = Math.max(peak, heapUsed() - base);
    const text = renderText(transcript, OPTIONS);
    const t2 = nowMs();
    peak = Math.max(peak, heapUsed() - base);
    const html = renderHtml(transcript, OPTIONS);
    const t3 = nowMs();
    peak = Math.max(peak, heapUsed() - base);
    if (gc) gc();
    const retained = heapUsed() - base;
    // Keep the outputs alive until after the last sample.
    const result: RunResult = {
        buildMs: t1 - t0,
        textMs: t2 - t1,
        htmlMs: t3 - t2,
        totalMs: t3 - t0,
        peak: Math.max(peak, retained),
        retained,
        textBytes: Buffer.byteLength(text),
        htmlBytes: Buffer.byteLength(html),
    };
    if (transcript.entries.length !== messages.length) throw new Error('benchmark: entries lost');
    return result;
}

export function runTranscriptBench(options: TranscriptBenchOptions = {}): TranscriptBenchResult {
    const sizes = options.sizes ?? [1000, 10000, 50000];
    const runs = options.runs ?? 3;
    const log = options.log ?? ((line: string) => console.log(line));
    const room = syntheticRoom();

    // Warm-up (JIT, the emoji table, the Intl formatter's first use), not counted.
    const warm = syntheticMessages(2000);
    for (let i = 0; i < 3; i++) runOnce(room, warm);

    const rows: TranscriptBenchRow[] = [];
    for (const n of sizes) {
        const messages = syntheticMessages(n);
        const results: RunResult[] = [];
        for (let r = 0; r < runs; r++) results.push(runOnce(room, messages));
        const totalMs = median(results.map((x) => x.totalMs));
        const peak = median(results.map((x) => x.peak));
        rows.push({
            messages: n,
            buildMs: median(results.map((x) => x.buildMs)),
            textMs: median(results.map((x) => x.textMs)),
            htmlMs: median(results.map((x) => x.htmlMs)),
            totalMs,
            usPerMessage: (totalMs * 1000) / n,
            peakHeapBytes: peak,
            retainedHeapBytes: median(results.map((x) => x.retained)),
            bytesPerMessage: peak / n,
            textBytes: results[0].textBytes,
            htmlBytes: results[0].htmlBytes,
        });
    }

    const perMessage = rows.map((r) => r.usPerMessage);
    const linearityRatio = Math.max(...perMessage) / Math.min(...perMessage);
    const result: TranscriptBenchResult = {
        node: process.version,
        cpu: `${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}`,
        gcExposed: gc !== undefined,
        runs,
        rows,
        linearityRatio,
        looksLinear: linearityRatio <= LINEAR_LIMIT,
    };
    printResult(result, log);
    return result;
}

function printResult(r: TranscriptBenchResult, log: (line: string) => void): void {
    const mb = (b: number): string => (b / 1048576).toFixed(1);
    const header = ['messages', 'build ms', 'text ms', 'html ms', 'total ms', 'µs/msg', 'peak heap MB', 'B/msg', 'retained MB', 'text MB', 'html MB'];
    const lines = r.rows.map((row) => [
        String(row.messages),
        row.buildMs.toFixed(1),
        row.textMs.toFixed(1),
        row.htmlMs.toFixed(1),
        row.totalMs.toFixed(1),
        row.usPerMessage.toFixed(2),
        mb(row.peakHeapBytes),
        row.bytesPerMessage.toFixed(0),
        mb(row.retainedHeapBytes),
        mb(row.textBytes),
        mb(row.htmlBytes),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
    log(`Transcript rendering (buildTranscript + renderText + renderHtml, pt-BR, America/Sao_Paulo, emoji shortcodes on)`);
    log(`node ${r.node}, ${r.cpu}; median of ${r.runs} runs${r.gcExposed ? '' : '; WARNING: run with --expose-gc for clean heap figures'}`);
    log(fmt(header));
    for (const l of lines) log(fmt(l));
    const ten = r.rows.find((row) => row.messages === 10000);
    if (ten) {
        log(`10,000 messages: ${ten.totalMs.toFixed(0)} ms (target < 500 ms), peak heap +${mb(ten.peakHeapBytes)} MB (target < 100 MB)`);
    }
    log(
        `time per message across sizes: ${r.rows.map((row) => `${row.messages}: ${row.usPerMessage.toFixed(2)} µs`).join(', ')}; ` +
            `max/min ${r.linearityRatio.toFixed(2)} -> ${r.looksLinear ? 'looks linear' : `NOT linear (ratio above ${LINEAR_LIMIT})`}`,
    );
}

if (require.main === module) {
    runTranscriptBench();
}
