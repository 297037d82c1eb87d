import { DeliveryRecord } from '../../src/delivery/DeliveryRecord';
import { aheadInLine, nextInLine, shardKeyOf } from '../../src/delivery/ordering';

const ORDERED = new Set(['rapidpro.agent-message', 'rapidpro.close-room']);
const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, s)).toISOString();
const d = (key: string, kind: string, createdSecond: number, status: DeliveryRecord['status'] = 'pending'): DeliveryRecord => ({
    key, kind, payload: { roomId: 'R1' }, status, attempt: 0, nextAttemptAt: at(createdSecond), scheduleToken: 't', createdAt: at(createdSecond), updatedAt: at(createdSecond),
});

describe('ordered deliveries', () => {
    const m1 = d('agent-message:m1', 'rapidpro.agent-message', 1);
    const m2 = d('agent-message:m2', 'rapidpro.agent-message', 2);
    const close = d('close-room:R1', 'rapidpro.close-room', 3);
    const helpdesk = d('helpdesk:R1', 'helpdesk.otrs', 0);

    it('a later callback waits for the earliest pending one of its room; the helpdesk write is not in the line', () => {
        expect(aheadInLine(close, [helpdesk, m1, m2, close], ORDERED)?.key).toBe('agent-message:m1');
        expect(aheadInLine(m2, [helpdesk, m2, m1], ORDERED)?.key).toBe('agent-message:m1');
        expect(aheadInLine(m1, [helpdesk, m1, m2, close], ORDERED)).toBeUndefined();
    });

    it('done and dead deliveries do not hold the line', () => {
        expect(aheadInLine(close, [{ ...m1, status: 'done' }, { ...m2, status: 'dead' }, close], ORDERED)).toBeUndefined();
    });

    it('ties in time are broken by key, the same way from both sides', () => {
        const a = d('agent-message:a', 'rapidpro.agent-message', 5);
        const b = d('agent-message:b', 'rapidpro.agent-message', 5);
        expect(aheadInLine(b, [a, b], ORDERED)?.key).toBe('agent-message:a');
        expect(aheadInLine(a, [a, b], ORDERED)).toBeUndefined();
    });

    it('names the next in line once one is out of it', () => {
        expect(nextInLine(m1, [{ ...m1, status: 'done' }, close, m2], ORDERED)?.key).toBe('agent-message:m2');
        expect(nextInLine(close, [{ ...close, status: 'done' }], ORDERED)).toBeUndefined();
    });

    it('runs a room\'s line on one shard, anything else by its key', () => {
        expect(shardKeyOf(m1, ORDERED)).toBe('room:R1');
        expect(shardKeyOf(close, ORDERED)).toBe('room:R1');
        expect(shardKeyOf(helpdesk, ORDERED)).toBe('helpdesk:R1');
    });
});
