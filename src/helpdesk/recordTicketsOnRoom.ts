import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { SettingId } from '../../settings/SettingId';
import { DeliveryFollowUp } from '../delivery/DeliveryHandler';
import { ticketLabels } from './ticketLabels';

/** Livechat custom field ids are plain words; anything else would not be a field an admin can create. */
const FIELD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * After a helpdesk delivery: the ticket numbers go into the room's Livechat custom field named by
 * `ticket_room_field` (shown in the room info when a Room-scoped custom field of that id exists).
 * The room is closed by now, and the livechat API writes room fields of open rooms only, so this
 * goes through the room updater. The delivery record keeps the numbers whatever happens here.
 */
export const recordTicketsOnRoom: DeliveryFollowUp = async (record, acc) => {
    const labels = ticketLabels(record.result);
    const roomId = record.payload.roomId;
    if (!labels.length || typeof roomId !== 'string') {
        return;
    }
    const field = await acc.read.getEnvironmentReader().getSettings().getValueById(SettingId.TicketRoomField);
    const fieldId = typeof field === 'string' ? field.trim() : '';
    if (!fieldId) {
        return;
    }
    if (!FIELD_ID.test(fieldId)) {
        acc.logger.warn(`ticket_room_field "${fieldId.slice(0, 80)}" is not a custom field id (letters, digits, _ and -): ticket numbers not written on room ${roomId}`);
        return;
    }
    const appUser = await acc.read.getUserReader().getAppUser();
    const builder = appUser ? await acc.modify.getUpdater().room(roomId, appUser) : undefined;
    // The builder's setData replaces the whole room (id included), so the field is set on the room it holds.
    const target = builder?.getRoom() as (IRoom & { livechatData?: Record<string, unknown> }) | undefined;
    if (!builder || !target?.id) {
        acc.logger.warn(`ticket numbers not written on room ${roomId}: ${appUser ? 'the room no longer exists' : 'the app user is missing'}`);
        return;
    }
    target.livechatData = { ...(target.livechatData ?? {}), [fieldId]: labels.join(', ') };
    await acc.modify.getUpdater().finish(builder);
};
