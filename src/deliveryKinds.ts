import { DeliveryFollowUp, DeliveryHandler } from './delivery/DeliveryHandler';
import { deliverToGlpi, GLPI_KIND } from './helpdesk/glpi/glpiDelivery';
import { deliverToOtrs, OTRS_KIND } from './helpdesk/otrs/otrsDelivery';
import { recordTicketsOnRoom } from './helpdesk/recordTicketsOnRoom';
import { deliverToWebhook, WEBHOOK_KIND } from './helpdesk/webhook/webhookDelivery';
import { AGENT_MESSAGE_KIND, CLOSE_ROOM_KIND, sendCallback } from './rapidpro/callbackDelivery';

/** Every kind of outbound write the outbox knows how to perform. */
export const DELIVERY_HANDLERS: Readonly<Record<string, DeliveryHandler>> = {
    [AGENT_MESSAGE_KIND]: sendCallback,
    [CLOSE_ROOM_KIND]: sendCallback,
    [OTRS_KIND]: deliverToOtrs,
    [GLPI_KIND]: deliverToGlpi,
    [WEBHOOK_KIND]: deliverToWebhook,
};

/** What follows a done delivery of a kind: helpdesk ticket numbers shown on the room. */
export const DELIVERY_FOLLOW_UPS: Readonly<Record<string, DeliveryFollowUp>> = {
    [OTRS_KIND]: recordTicketsOnRoom,
    [GLPI_KIND]: recordTicketsOnRoom,
};

/** Kinds delivered in queue order per room: a platform must see the agent's messages, then the close, as they happened. */
export const ORDERED_KINDS: readonly string[] = [AGENT_MESSAGE_KIND, CLOSE_ROOM_KIND];
