import { AdminResult } from './adminActions';
import { DeliveryList, DeliverySummary } from './deliveryReport';

function line(d: DeliverySummary): string {
    const parts = [`• \`${d.id}\` (${d.kind}) ${d.status}, ${d.attempts} attempt(s)`];
    if (d.nextAttemptAt) parts.push(`next attempt ${d.nextAttemptAt}`);
    if (d.waitingFor) parts.push(`waiting for \`${d.waitingFor}\``);
    if (d.tickets?.length) parts.push(`tickets: ${d.tickets.join(', ')}`);
    if (d.lastError) parts.push(`last error: ${d.lastError}`);
    return parts.join(' — ');
}

function section(title: string, list: DeliveryList): string[] {
    if (!list.total) return [`*${title}:* none`];
    const more = list.total > list.items.length ? ` (first ${list.items.length} shown)` : '';
    return [`*${title}:* ${list.total}${more}`, ...list.items.map(line)];
}

const RETRY_TEXT: Record<string, (id: string) => string> = {
    replayed: (id) => `\`${id}\` was a dead letter: it is queued again, attempts counted from zero.`,
    rescheduled: (id) => `\`${id}\` was waiting for its next attempt: it is tried now.`,
    'already-due': (id) => `\`${id}\` is already being tried or about to be; nothing changed.`,
    done: (id) => `\`${id}\` was delivered already; it is not written twice.`,
    unknown: (id) => `There is no delivery \`${id}\`. "/ticket-bridge status" lists pending and dead ones; "/ticket-bridge room <roomId>" lists a room's.`,
};

/** The private answer of the slash command (Rocket.Chat markdown). */
export function adminText(result: AdminResult): string {
    switch (result.action) {
        case 'status': {
            const { pending, dead, lastSweep } = result.overview;
            const sweep = lastSweep
                ? `Last missed-close sweep ${lastSweep.at}: ${lastSweep.checked} open room(s) checked, ${lastSweep.recovered} missed close(s) queued, ${lastSweep.failed} failed.`
                : 'No missed-close sweep has run yet.';
            const hint = dead.total ? ['Replay one with "/ticket-bridge retry <id>", all dead ones with "/ticket-bridge retry-dead".'] : [];
            return ['*Ticket Bridge deliveries*', ...section('Pending', pending), ...section('Dead', dead), ...hint, sweep].join('\n');
        }
        case 'retry': {
            const text = RETRY_TEXT[result.outcome](result.id);
            return result.delivery && result.outcome !== 'unknown' ? `${text}\n${line(result.delivery)}` : text;
        }
        case 'retry-dead':
            return result.replayed ? `${result.replayed} dead deliver${result.replayed === 1 ? 'y is' : 'ies are'} queued again.` : 'There are no dead deliveries.';
        case 'room': {
            const { roomId, awaitingClose, deliveries } = result.report;
            const state = awaitingClose ? 'The room is open (or its close is not handled yet).' : '';
            const body = deliveries.length ? deliveries.map(line) : ['No deliveries for this room.'];
            return [`*Room ${roomId}*`, ...(state ? [state] : []), ...body].join('\n');
        }
    }
}
