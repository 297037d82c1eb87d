/**
 * Fault injection shared by the sandbox's embedded fakes (mailroom now, OTRS/GLPI later).
 *
 * DESIGN.md "The sandbox": every fake offers `POST .../_faults {mode: "ok"|"down"|"status500"|
 * "timeout"|"error200", count?}`. The modes stand for the failures the app's delivery outbox must
 * tell apart (DESIGN.md "The delivery outbox"): a connection error (down), a 5xx (status500), a
 * timeout (timeout) are transient; a business error answered with HTTP 200 (error200, e.g. OTRS's
 * `Error` object) is not.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Socket } from 'net';

/**
 * `lostReply`: the fake does the work (a ticket is created), then cuts the connection instead of
 * answering — the "unknown outcome" a client must survive without writing twice.
 */
export const FAULT_MODES = ['ok', 'down', 'status500', 'timeout', 'error200', 'lostReply'] as const;
export type FaultMode = typeof FAULT_MODES[number];
export type ActiveFaultMode = Exclude<FaultMode, 'ok'>;

export interface FaultSpec {
    mode: FaultMode;
    /** Apply the fault to the next `count` requests only, then go back to "ok". Absent: until changed. */
    count?: number;
}

export interface FaultState {
    mode: FaultMode;
    /** Requests left before the mode goes back to "ok"; null when unlimited (or when mode is "ok"). */
    remaining: number | null;
}

export interface FaultInjectorOptions {
    /** JSON body of an "error200" answer: each fake fails "successfully" in its own system's way. */
    error200Body?: (req: Request) => unknown;
    /** Paths under the fake's mount that faults never touch, so a test can always inspect and heal. */
    controlPaths?: readonly string[];
    /** Told about each faulted request before the fault is applied (the fake records it). */
    onFault?: (req: Request, res: Response, mode: ActiveFaultMode) => void;
    /** Longest time a "timeout" socket is held before it is destroyed, so nothing leaks. */
    maxHoldMs?: number;
}

export interface FaultInjector {
    /** Applies the current fault to each non-control request; passes the others on. */
    middleware: RequestHandler;
    /** `POST <mount>/_faults` (and `GET`, to read): expects `req.body` already parsed as JSON. */
    controlHandler: RequestHandler;
    /** Throws FaultSpecError on an invalid spec. */
    set(spec: FaultSpec): FaultState;
    current(): FaultState;
    /** Sockets currently held open by "timeout". */
    heldSocketCount(): number;
    /** Back to "ok", and every held socket destroyed. */
    reset(): void;
    /** Destroys every held socket (the server is going away). */
    close(): void;
}

export class FaultSpecError extends Error {}

export const DEFAULT_CONTROL_PATHS: readonly string[] = ['/_inspect', '/_faults', '/_reset'];
export const DEFAULT_MAX_HOLD_MS = 120_000;

/** Validates an untrusted `_faults` body. */
export function parseFaultSpec(body: unknown): FaultSpec {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new FaultSpecError('expected a JSON object {"mode": ..., "count"?: n}');
    }
    const { mode, count } = body as { mode?: unknown; count?: unknown };
    if (typeof mode !== 'string' || !(FAULT_MODES as readonly string[]).includes(mode)) {
        throw new FaultSpecError(`unknown fault mode ${JSON.stringify(mode)}; expected one of ${FAULT_MODES.join(', ')}`);
    }
    if (count === undefined || count === null) return { mode: mode as FaultMode };
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
        throw new FaultSpecError(`count must be a positive integer, got ${JSON.stringify(count)}`);
    }
    return { mode: mode as FaultMode, count };
}

/** Request paths are matched the way express routes them by default: any case, optional trailing slash. */
function normalizePath(path: string): string {
    const lower = path.toLowerCase();
    return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

export function createFaultInjector(options: FaultInjectorOptions = {}): FaultInjector {
    const error200Body = options.error200Body ?? (() => ({ error: 'injected fault: error200' }));
    const controlPaths = new Set((options.controlPaths ?? DEFAULT_CONTROL_PATHS).map(normalizePath));
    const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    let state: FaultState = { mode: 'ok', remaining: null };
    const held = new Map<Socket, NodeJS.Timeout>();

    function set(spec: FaultSpec): FaultState {
        const valid = parseFaultSpec(spec);
        state = { mode: valid.mode, remaining: valid.mode === 'ok' ? null : valid.count ?? null };
        return current();
    }

    function current(): FaultState {
        return { ...state };
    }

    /** Takes one request's worth of the current fault; the mode heals when its count runs out. */
    function consume(): FaultMode {
        const mode = state.mode;
        if (state.remaining !== null) {
            state.remaining -= 1;
            if (state.remaining <= 0) state = { mode: 'ok', remaining: null };
        }
        return mode;
    }

    /** Keeps the connection open without answering until the client gives up (or the cap). */
    function hold(socket: Socket): void {
        if (socket.destroyed || held.has(socket)) return;
        const timer = setTimeout(() => release(socket, true), maxHoldMs);
        timer.unref(); // never keep the process (or jest) alive for a held socket
        held.set(socket, timer);
        socket.once('close', () => release(socket, false));
    }

    function release(socket: Socket, destroy: boolean): void {
        clearTimeout(held.get(socket));
        held.delete(socket);
        if (destroy) socket.destroy();
    }

    function destroyHeld(): void {
        for (const socket of [...held.keys()]) release(socket, true);
    }

    /** A TCP reset (not a clean FIN), so the client sees ECONNRESET as with a crashed server. */
    function dropConnection(socket: Socket): void {
        try {
            socket.resetAndDestroy();
        } catch {
            socket.destroy();
        }
    }

    const middleware: RequestHandler = (req, res, next) => {
        if (state.mode === 'ok' || controlPaths.has(normalizePath(req.path))) {
            next();
            return;
        }
        const mode = consume() as ActiveFaultMode;
        options.onFault?.(req, res, mode);
        switch (mode) {
            case 'down':
                dropConnection(req.socket);
                return;
            case 'status500':
                res.status(500).type('text/plain').send('Internal Server Error');
                return;
            case 'timeout':
                hold(req.socket);
                return;
            case 'error200':
                res.status(200).json(error200Body(req));
                return;
            case 'lostReply':
                // Let the handler run to the end, then drop the answer on the floor.
                res.end = ((..._args: unknown[]) => {
                    dropConnection(req.socket);
                    return res;
                }) as typeof res.end;
                next();
                return;
        }
    };

    const controlHandler: RequestHandler = (req, res) => {
        if (req.method === 'GET' || req.method === 'HEAD') {
            res.status(200).json(current());
            return;
        }
        try {
            res.status(200).json(set(parseFaultSpec(req.body)));
        } catch (err) {
            if (!(err instanceof FaultSpecError)) throw err;
            res.status(400).json({ error: err.message });
        }
    };

    return {
        middleware,
        controlHandler,
        set,
        current,
        heldSocketCount: () => held.size,
        reset() {
            state = { mode: 'ok', remaining: null };
            destroyHeld();
        },
        close: destroyHeld,
    };
}
