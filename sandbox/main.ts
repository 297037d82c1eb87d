/*
 * `npm start`: runs the sandbox on http://127.0.0.1:${PORT:-3000} with the packaged app.
 * Environment: PORT (0 picks a free port), SANDBOX_SECRET (the app secret saved at start),
 * SANDBOX_ZIP (another package), SANDBOX_VERBOSE=1 (echo logs), SANDBOX_NO_FAKES=1 (leave settings as they are),
 * SANDBOX_RC_UPSERT_QUIRK=1 (updateByAssociations throws after updating, as on some Rocket.Chat versions),
 * SANDBOX_LOG_FILE (append every log line to this file as JSON lines; the engine tests' secrets scan reads them).
 */
import { resolve } from 'path';
import { defaultZipPath, Sandbox } from './Sandbox';

async function main(): Promise<void> {
    const root = resolve(__dirname, '..', '..');
    const sandbox = new Sandbox({
        port: Number(process.env.PORT ?? 3000),
        zipPath: process.env.SANDBOX_ZIP ?? defaultZipPath(root),
        secret: process.env.SANDBOX_SECRET ?? 'sandbox-secret',
        verbose: process.env.SANDBOX_VERBOSE === '1',
        configureFakes: process.env.SANDBOX_NO_FAKES !== '1',
        upsertQuirk: process.env.SANDBOX_RC_UPSERT_QUIRK === '1',
        logFile: process.env.SANDBOX_LOG_FILE || undefined,
    });
    await sandbox.start();
    // The first line is machine-read by the engine tests; keep its shape.
    process.stdout.write(`sandbox listening on ${sandbox.url} app ${sandbox.host.appId}\n`);
    const stop = () => {
        sandbox.stop().finally(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

main().catch((error) => {
    process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
