import { NextFunction, Request, Response } from 'express';

/** An error the simulator answers as `{"error": message}` with its status. */
export class SimError extends Error {
    constructor(public readonly status: number, message: string) {
        super(message);
    }
}

export function fail(status: number, message: string): never {
    throw new SimError(status, message);
}

/** Wraps an async route so a thrown SimError (or anything else) becomes a JSON error. */
export function route(handler: (req: Request, res: Response) => Promise<unknown> | unknown) {
    return (req: Request, res: Response, next: NextFunction): void => {
        Promise.resolve()
            .then(() => handler(req, res))
            .then((body) => {
                if (!res.headersSent) {
                    if (body === undefined) res.status(204).end();
                    else res.json(body);
                }
            })
            .catch(next);
    };
}

/** body-parser failures (bad JSON, too large) and route errors, all as JSON. */
export function jsonErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.parse.failed') {
        res.status(400).json({ error: 'Invalid JSON body' });
    } else if (e.type === 'entity.too.large') {
        res.status(413).json({ error: 'Request body too large (limit 100kb)' });
    } else if (err instanceof SimError || (typeof e.status === 'number' && e.status >= 400 && e.status < 500)) {
        res.status(e.status ?? 400).json({ error: e.message ?? 'Bad request' });
    } else {
        res.status(500).json({ error: `sandbox error: ${e.message ?? String(err)}` });
    }
}

export function requireString(value: unknown, name: string): string {
    if (typeof value !== 'string' || !value.trim()) {
        fail(400, `${name} is required and must be a non-empty string`);
    }
    return value;
}
