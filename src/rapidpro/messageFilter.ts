/**
 * Decides whether a message seen by IPostMessageSent becomes an `agent-message` callback.
 *
 * Why (shared/contracts/rapidpro.md §4.2, §4.1 REC, §8 item 5): [T] forwarded every message from a
 * user with the `livechat-agent` role, including system messages such as the `livechat-close`
 * comment, and missed supervisors/admins without that role. Here any human non-visitor sender counts
 * as an agent, and system, visitor, bot and app messages are left out. Whether the room belongs to a
 * platform ticket is decided by the caller (a lookup by room id), not here.
 *
 * The caller extracts the plain facts from the engine objects; this stays a pure predicate.
 */

export interface AgentMessageFacts {
    /** `message.room.type`; only Livechat (`'l'`) rooms carry tickets. */
    roomType?: string;
    /**
     * Rocket.Chat's system message type (raw `t`, e.g. `livechat-close`, `uj`, `command`), when the
     * caller could read one. Engine 1.42's IMessage has no `type`, so the caller digs it out.
     */
    systemType?: string;
    senderId?: string;
    /** `message.sender.type`: `user`, `bot`, `app`, or `unknown` (what the engine gives a Livechat guest). */
    senderType?: string;
    /** The caller's finding that the sender is the room's visitor (e.g. the message carries the visitor token). */
    senderIsVisitor: boolean;
    text?: string;
    attachmentCount?: number;
    hasFile?: boolean;
}

export interface AgentMessageFilterContext {
    /** The app's own user id: messages the app posts (visitor messages, notices) never echo back. */
    appUserId?: string;
}

export type NotForwardableReason =
    | 'not-livechat-room'
    | 'system-message'
    | 'from-visitor'
    | 'from-app-user'
    | 'from-bot-or-app'
    | 'empty';

export function isForwardableAgentMessage(msg: AgentMessageFacts, ctx: AgentMessageFilterContext): boolean {
    return whyNotForwardable(msg, ctx) === undefined;
}

/** The first reason the message must not be forwarded, or undefined when it is a forwardable agent message. */
export function whyNotForwardable(
    msg: AgentMessageFacts,
    ctx: AgentMessageFilterContext,
): NotForwardableReason | undefined {
    if (msg.roomType !== 'l') {
        return 'not-livechat-room';
    }
    if (typeof msg.systemType === 'string' && msg.systemType.trim() !== '') {
        return 'system-message';
    }
    const senderType = (msg.senderType ?? '').trim().toLowerCase();
    // 'unknown' is the engine's type for a Livechat guest: treating it as an agent would echo the
    // visitor's own message back to the contact, so it counts as the visitor even if the caller missed it.
    if (msg.senderIsVisitor || senderType === 'unknown') {
        return 'from-visitor';
    }
    if (ctx.appUserId !== undefined && ctx.appUserId !== '' && msg.senderId === ctx.appUserId) {
        return 'from-app-user';
    }
    if (senderType === 'bot' || senderType === 'app') {
        return 'from-bot-or-app';
    }
    const hasText = typeof msg.text === 'string' && msg.text.trim() !== '';
    const hasAttachments = (msg.attachmentCount ?? 0) > 0 || msg.hasFile === true;
    if (!hasText && !hasAttachments) {
        return 'empty';
    }
    return undefined;
}
