/*
 * The control routes every fake offers (`_inspect`, `_reset`, `_faults`, `_config`), mounted the
 * same way everywhere. Each fake reads its own raw bodies, so it passes its body reader.
 */
import { Request, Router } from 'express';
import { FaultInjector } from './faults';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

export interface ControlRoutes<Config> {
    faults: FaultInjector;
    readBody(req: Request): ParsedBody;
    inspect(): unknown;
    reset(): void;
    describeConfig(): unknown;
    /** Applies a configuration; what it returns is answered, else `describeConfig()`. */
    configure(config: Config): unknown;
    /** The fake's own "invalid configuration" error (answered 400); anything else is rethrown. */
    isConfigError(error: unknown): boolean;
}

export function mountControlRoutes<Config>(router: Router, c: ControlRoutes<Config>): void {
    router.get('/_inspect', (_req, res) => {
        res.json(c.inspect());
    });
    router.post('/_reset', (_req, res) => {
        c.reset();
        res.json({ status: 'reset' });
    });
    router.get('/_faults', c.faults.controlHandler);
    router.post('/_faults', (req, res, next) => {
        const parsed = c.readBody(req);
        if (!parsed.ok) {
            res.status(400).json({ error: parsed.error });
            return;
        }
        req.body = parsed.value;
        c.faults.controlHandler(req, res, next);
    });
    router.get('/_config', (_req, res) => {
        res.json(c.describeConfig());
    });
    router.post('/_config', (req, res) => {
        const parsed = c.readBody(req);
        if (!parsed.ok) {
            res.status(400).json({ error: parsed.error });
            return;
        }
        try {
            const answer = c.configure(parsed.value as Config);
            res.json(answer === undefined ? c.describeConfig() : answer);
        } catch (err) {
            if (!c.isConfigError(err)) throw err;
            res.status(400).json({ error: (err as Error).message });
        }
    });
}
