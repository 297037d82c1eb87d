import { IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { SettingId } from '../../settings/SettingId';
import { Outbox } from '../delivery/Outbox';
import { GLPI_KIND } from './glpi/glpiDelivery';
import { OTRS_KIND } from './otrs/otrsDelivery';
import { WEBHOOK_KIND } from './webhook/webhookDelivery';

export const helpdeskKey = (roomId: string) => `helpdesk:${roomId}`;

const KIND_BY_HELPDESK: Record<string, string> = { otrs: OTRS_KIND, glpi: GLPI_KIND, webhook: WEBHOOK_KIND };

/**
 * A Livechat room closed: queue its transcript for the configured helpdesk. Only the room id is
 * stored; the delivery re-reads the room and its messages when it runs, so it writes what the
 * room holds then (tags and topic agents set while closing included). Keyed by room id: the same
 * room never yields two deliveries, however often the event fires.
 */
export async function queueHelpdeskDelivery(roomId: string, outbox: Outbox, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<void> {
    const helpdesk = await acc.read.getEnvironmentReader().getSettings().getValueById(SettingId.Helpdesk);
    const kind = typeof helpdesk === 'string' ? KIND_BY_HELPDESK[helpdesk] : undefined;
    if (kind) {
        await outbox.enqueue(acc, kind, helpdeskKey(roomId), { roomId });
    }
}
