import { IUser } from '@rocket.chat/apps-engine/definition/users';

/** The Rocket.Chat roles that may see and replay deliveries (transcripts and ticket numbers are in there). */
export const DELIVERY_ADMIN_ROLES: readonly string[] = ['admin', 'livechat-manager'];

export function canManageDeliveries(user: IUser | undefined): boolean {
    const roles = Array.isArray(user?.roles) ? user!.roles : [];
    return roles.some((role) => DELIVERY_ADMIN_ROLES.includes(role));
}
