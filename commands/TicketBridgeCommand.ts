import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ISlashCommand, SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { AppServices } from '../src/AppServices';
import { canManageDeliveries } from '../src/admin/access';
import { runAdminRequest } from '../src/admin/adminActions';
import { parseAdminArgs } from '../src/admin/adminCommand';
import { adminText } from '../src/admin/adminText';
import { describeError } from '../src/lib/redact';

/**
 * `/ticket-bridge status | retry <id> | retry-dead | room <roomId>`, for Rocket.Chat admins and
 * Livechat managers. Every answer is private (only the sender sees it), wherever it was typed.
 */
export class TicketBridgeCommand implements ISlashCommand {
    public command = 'ticket-bridge';
    public i18nParamsExample = 'ticket_bridge_command_params';
    public i18nDescription = 'ticket_bridge_command_description';
    public providesPreview = false;

    constructor(private readonly app: AppServices) {}

    public async executor(context: SlashCommandContext, read: IRead, modify: IModify, _http: IHttp, persis: IPersistence): Promise<void> {
        const reply = (text: string) => this.reply(context, read, modify, text);
        const sender = context.getSender();
        if (!canManageDeliveries(sender)) {
            await reply('Only Rocket.Chat admins and Livechat managers can use /ticket-bridge.');
            return;
        }
        const request = parseAdminArgs(context.getArguments());
        if (typeof request === 'string') {
            await reply(request);
            return;
        }
        try {
            const result = await runAdminRequest(request, this.app.outbox, { read, persis, modify });
            await reply(adminText(result));
            if (request.action === 'retry' || request.action === 'retry-dead') {
                this.app.getLogger().info(`/ticket-bridge ${request.action}${request.action === 'retry' ? ` ${request.id}` : ''} by ${sender.username}`);
            }
        } catch (error) {
            this.app.getLogger().error(`/ticket-bridge ${request.action} failed: ${describeError(error)}`);
            await reply('That did not work; the Ticket Bridge app logs have the details.');
        }
    }

    private async reply(context: SlashCommandContext, read: IRead, modify: IModify, text: string): Promise<void> {
        const appUser = await read.getUserReader().getAppUser();
        const message = modify.getCreator().startMessage().setRoom(context.getRoom()).setText(text);
        if (appUser) {
            message.setSender(appUser);
        }
        await modify.getNotifier().notifyUser(context.getSender(), message.getMessage());
    }
}
