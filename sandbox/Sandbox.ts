/*
 * The local Rocket.Chat stand-in: one HTTP server on 127.0.0.1 with the app's public API, the
 * simulator, uploaded files and the embedded fakes, around the real Apps-Engine running the
 * packaged app. `npm start` runs it; engine tests start it as a child process and talk HTTP.
 */
import express from 'express';
import { createWriteStream, readFileSync, WriteStream } from 'fs';
import { AddressInfo } from 'net';
import { Server } from 'http';
import { join } from 'path';
import { SandboxContext, LogLine } from './context';
import { EngineHost } from './engine/host';
import { createGlpiFake } from './fakes/glpi';
import { createMailroomFake } from './fakes/mailroom';
import { createOtrsFake } from './fakes/otrs';
import { createWebhookFake } from './fakes/webhook';
import { appApiRouter } from './http/appApi';
import { jsonErrors } from './http/errors';
import { simulatorRouter } from './http/simulator';
import { Livechat } from './livechat';
import { Scheduler } from './scheduler';
import { World } from './world';

export interface SandboxOptions {
    port: number;
    zipPath: string;
    /** Secret the sandbox saves as the app's shared secret at start, so the flow works unconfigured. */
    secret: string;
    /** Echo log lines to stderr. */
    verbose?: boolean;
    /** Save settings pointing the app at the embedded fakes (default true). */
    configureFakes?: boolean;
    /** Emulate the updateByAssociations quirk of some Rocket.Chat versions (see SandboxContext). */
    upsertQuirk?: boolean;
    /** Also append every log line (JSON, one per line) to this file: all of them, not only the last 20,000 that /sim/logs keeps. */
    logFile?: string;
}

const ENGINE_VERSION: string = JSON.parse(readFileSync(require.resolve('@rocket.chat/apps-engine/package.json'), 'utf8')).version;

export class Sandbox {
    public host!: EngineHost;
    public url = '';
    private server?: Server;
    private readonly ctx: SandboxContext;
    private readonly mailroom: ReturnType<typeof createMailroomFake>;
    private readonly otrs = createOtrsFake();
    private readonly webhook = createWebhookFake();
    private readonly glpi = createGlpiFake();
    private readonly logFile?: WriteStream;

    constructor(private readonly options: SandboxOptions) {
        const world = new World('http://127.0.0.1');
        const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
        this.logFile = logFile;
        const logs: LogLine[] = [];
        const ctx: SandboxContext = {
            world,
            livechat: undefined as unknown as Livechat,
            scheduler: new Scheduler((job, error) => ctx.log('error', `job ${job.name} failed: ${String(error)}`)),
            persistence: new Map(),
            notices: [],
            bridgeCalls: new Map(),
            logs,
            upsertQuirk: options.upsertQuirk === true,
            log: (level, message) => {
                const line = { level, message, at: new Date().toISOString() };
                logs.push(line);
                logFile?.write(`${JSON.stringify(line)}\n`);
                if (logs.length > 20000) logs.splice(0, logs.length - 20000);
                if (options.verbose) process.stderr.write(`[${level}] ${message}\n`);
            },
            fire: { roomStarted: () => undefined, messageSent: () => undefined, roomClosed: async () => undefined },
        };
        ctx.livechat = new Livechat(world, {
            roomStarted: (room) => ctx.fire.roomStarted(room._id),
            messageSent: (message) => ctx.fire.messageSent(message._id),
            roomClosed: (room) => ctx.fire.roomClosed(room._id),
        });
        this.ctx = ctx;
        this.mailroom = createMailroomFake({ secret: () => this.appSecret() });
    }

    private appSecret(): string | undefined {
        const value = this.host?.settings().app_secret;
        return typeof value === 'string' && value ? value : undefined;
    }

    public async start(): Promise<void> {
        const app = express();
        app.disable('x-powered-by');
        app.use('/api/apps/public', appApiRouter(() => this.host, this.ctx.world));
        app.use('/sim', simulatorRouter({ ctx: this.ctx, host: () => this.host, restart: () => this.host.restart(), engineVersion: ENGINE_VERSION }));
        app.use('/fakes/mailroom', this.mailroom.router);
        app.use('/fakes/otrs', this.otrs.router);
        app.use('/fakes/webhook', this.webhook.router);
        app.use('/fakes/glpi', this.glpi.router);
        app.get('/file-upload/:id/:name', (req, res) => {
            const upload = this.ctx.world.uploads.get(req.params.id);
            if (!upload) {
                res.status(404).json({ error: 'file not found' });
                return;
            }
            res.type(upload.type).send(upload.content);
        });
        app.use(jsonErrors);

        await new Promise<void>((resolve, reject) => {
            this.server = app.listen(this.options.port, '127.0.0.1', () => resolve()).on('error', reject);
        });
        const { port } = this.server!.address() as AddressInfo;
        this.url = `http://127.0.0.1:${port}`;
        this.ctx.world.settings.Site_Url = this.url;

        this.host = await EngineHost.install(this.ctx, readFileSync(this.options.zipPath));
        this.ctx.scheduler.start();
        if (this.options.configureFakes !== false) {
            await this.configureFakes();
        }
    }

    /** Points the app at the embedded fakes, through the same doors an admin and a platform use. */
    private async configureFakes(): Promise<void> {
        const settings = this.host.settings();
        if ('app_secret' in settings) {
            await this.host.updateSettings({ app_secret: this.options.secret });
        }
        if ('otrs_url' in settings) {
            // The fake's default agent (see sandbox/fakes/otrs/config.ts) and its Livechat queue.
            await this.host.updateSettings({
                helpdesk: 'otrs',
                otrs_url: `${this.url}/fakes/otrs/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST`,
                otrs_user: 'rocketchat',
                otrs_password: 'otrs-password',
                otrs_default_queue: 'Livechat',
                otrs_customer_fallback: 'visitor1',
            });
        }
        if ('glpi_url' in settings) {
            // Ready for `helpdesk: glpi`: the fake's default API token (sandbox/fakes/glpi.ts).
            await this.host.updateSettings({ glpi_url: `${this.url}/fakes/glpi/apirest.php`, glpi_user_token: 'glpi-user-token' });
        }
        if (this.host.hasEndpoint('settings')) {
            const response = await this.host.executeApi('settings', {
                method: 'put' as never,
                headers: { 'content-type': 'application/json', authorization: `Token ${this.options.secret}` },
                query: {},
                params: {},
                content: { webhook: { url: `${this.url}/fakes/mailroom/mr/tickets/types/rocketchat/event_callback/${SANDBOX_TICKETER}` } },
            });
            if (response?.status !== 204) {
                this.ctx.log('warning', `sandbox: configuring the callback URL answered ${response?.status}`);
            }
        }
    }

    public async stop(): Promise<void> {
        await this.ctx.scheduler.stop();
        this.mailroom.close();
        this.otrs.close();
        this.webhook.close();
        this.glpi.close();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
        await new Promise<void>((resolve) => (this.logFile ? this.logFile.end(() => resolve()) : resolve()));
    }
}

/** The ticketer UUID of the sandbox's mailroom fake (any UUID works; a fixed one reads better). */
export const SANDBOX_TICKETER = '9f4b2e3a-1c5d-4e6f-8a7b-0c1d2e3f4a5b';

export function defaultZipPath(root: string): string {
    const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
    return join(root, 'dist', `${app.nameSlug}_${app.version}.zip`);
}
