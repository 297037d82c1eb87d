/** What an admin asks of the delivery outbox, parsed from the slash command's words or an endpoint's input. */
export type AdminRequest =
    | { action: 'status' }
    | { action: 'retry'; id: string }
    | { action: 'retry-dead' }
    | { action: 'room'; roomId: string };

export const ADMIN_USAGE = 'status | retry <id> | retry-dead | room <roomId>';

/** Delivery ids are `<kind>:<room or message id>`, e.g. `helpdesk:Xk3s9QwErTy7uIoP1`. */
const DELIVERY_ID = /^[a-z][a-z-]{0,30}:[A-Za-z0-9_.-]{1,100}$/;
const ROOM_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function validDeliveryId(value: unknown): value is string {
    return typeof value === 'string' && DELIVERY_ID.test(value);
}

export function validRoomId(value: unknown): value is string {
    return typeof value === 'string' && ROOM_ID.test(value);
}

/** Parses `/ticket-bridge <words>`; a string is the error to show, usage included. */
export function parseAdminArgs(args: readonly string[]): AdminRequest | string {
    const words = args.map((word) => word.trim()).filter(Boolean);
    const [action, argument, ...rest] = words;
    const usage = `Usage: /ticket-bridge ${ADMIN_USAGE}`;
    if (rest.length) {
        return `Too many words. ${usage}`;
    }
    switch (action?.toLowerCase()) {
        case undefined:
        case 'status':
            return argument === undefined ? { action: 'status' } : `"status" takes no argument. ${usage}`;
        case 'retry-dead':
            return argument === undefined ? { action: 'retry-dead' } : `"retry-dead" takes no argument. ${usage}`;
        case 'retry':
            return validDeliveryId(argument) ? { action: 'retry', id: argument } : `"retry" needs a delivery id as "status" lists it (e.g. helpdesk:<roomId>). ${usage}`;
        case 'room':
            return validRoomId(argument) ? { action: 'room', roomId: argument } : `"room" needs a room id. ${usage}`;
        default:
            return `Unknown action "${action.slice(0, 40)}". ${usage}`;
    }
}
