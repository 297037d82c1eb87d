import { AgentMessageFacts, isForwardableAgentMessage, whyNotForwardable } from '../../src/rapidpro/messageFilter';

const APP_USER = 'app-user-id';
const ctx = { appUserId: APP_USER };

/** A plain agent text message in a Livechat room: the one case that must be forwarded. */
function agentMessage(overrides: Partial<AgentMessageFacts> = {}): AgentMessageFacts {
    return {
        roomType: 'l',
        senderId: 'agent-1',
        senderType: 'user',
        senderIsVisitor: false,
        text: 'Hello, how can I help?',
        attachmentCount: 0,
        ...overrides,
    };
}

describe('isForwardableAgentMessage', () => {
    it('forwards a human agent text message in a Livechat room', () => {
        expect(isForwardableAgentMessage(agentMessage(), ctx)).toBe(true);
        expect(whyNotForwardable(agentMessage(), ctx)).toBeUndefined();
    });

    it('forwards a file-only agent message', () => {
        expect(isForwardableAgentMessage(agentMessage({ text: '', hasFile: true, attachmentCount: 1 }), ctx)).toBe(true);
        expect(isForwardableAgentMessage(agentMessage({ text: undefined, attachmentCount: 2 }), ctx)).toBe(true);
    });

    it('forwards when the sender type is not known and no app user id is configured', () => {
        expect(isForwardableAgentMessage(agentMessage({ senderType: undefined }), {})).toBe(true);
    });

    it.each<[string, Partial<AgentMessageFacts>, string]>([
        ['a channel', { roomType: 'c' }, 'not-livechat-room'],
        ['a direct message', { roomType: 'd' }, 'not-livechat-room'],
        ['an unknown room type', { roomType: undefined }, 'not-livechat-room'],
        ['the livechat-close system message', { systemType: 'livechat-close', text: 'Closed: resolved' }, 'system-message'],
        ['a join system message', { systemType: 'uj' }, 'system-message'],
        ['a visitor message', { senderIsVisitor: true }, 'from-visitor'],
        ['a guest (engine type unknown)', { senderType: 'unknown' }, 'from-visitor'],
        ["the app's own user", { senderId: APP_USER, senderType: 'user' }, 'from-app-user'],
        ['a bot user', { senderType: 'bot' }, 'from-bot-or-app'],
        ['an app user', { senderType: 'app' }, 'from-bot-or-app'],
        ['an upper-case BOT type', { senderType: 'BOT' }, 'from-bot-or-app'],
        ['an empty message', { text: '', attachmentCount: 0 }, 'empty'],
        ['a blank message', { text: '   \n', attachmentCount: 0, hasFile: false }, 'empty'],
    ])('does not forward %s', (_label, overrides, reason) => {
        const msg = agentMessage(overrides);
        expect(isForwardableAgentMessage(msg, ctx)).toBe(false);
        expect(whyNotForwardable(msg, ctx)).toBe(reason);
    });

    it('ignores a blank system type and an empty app user id', () => {
        expect(isForwardableAgentMessage(agentMessage({ systemType: '' }), ctx)).toBe(true);
        expect(isForwardableAgentMessage(agentMessage({ senderId: '' }), { appUserId: '' })).toBe(true);
    });
});
