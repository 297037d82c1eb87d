import { canManageDeliveries } from '../../src/admin/access';
import { adminText } from '../../src/admin/adminText';
import { parseAdminArgs, validDeliveryId, validRoomId } from '../../src/admin/adminCommand';
import { summarize } from '../../src/admin/deliveryReport';
import { DeliveryRecord } from '../../src/delivery/DeliveryRecord';
import { ticketLabels } from '../../src/helpdesk/ticketLabels';

const record = (over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
    key: 'helpdesk:Room1', kind: 'helpdesk.otrs', payload: { roomId: 'Room1', transcript: 'secret stuff' }, status: 'pending', attempt: 2,
    nextAttemptAt: '2026-11-22T10:00:00.000Z', scheduleToken: 't', createdAt: '2026-11-22T09:00:00.000Z', updatedAt: '2026-11-22T09:30:00.000Z', ...over,
});

describe('parseAdminArgs', () => {
    it('reads the four actions', () => {
        expect(parseAdminArgs([])).toEqual({ action: 'status' });
        expect(parseAdminArgs(['STATUS'])).toEqual({ action: 'status' });
        expect(parseAdminArgs(['retry', 'helpdesk:Xk3s9QwErTy7uIoP1'])).toEqual({ action: 'retry', id: 'helpdesk:Xk3s9QwErTy7uIoP1' });
        expect(parseAdminArgs(['retry', 'agent-message:abc_DEF-1'])).toEqual({ action: 'retry', id: 'agent-message:abc_DEF-1' });
        expect(parseAdminArgs(['retry-dead'])).toEqual({ action: 'retry-dead' });
        expect(parseAdminArgs(['room', 'Xk3s9QwErTy7uIoP1'])).toEqual({ action: 'room', roomId: 'Xk3s9QwErTy7uIoP1' });
        expect(parseAdminArgs(['  room ', ' Xk3 '])).toEqual({ action: 'room', roomId: 'Xk3' });
    });

    it('answers everything else with the usage', () => {
        for (const args of [['status', 'x'], ['retry'], ['retry', 'helpdesk'], ['retry', 'HELPDESK:x'], ['retry-dead', 'x'], ['room'], ['room', 'a/b'], ['room', 'x', 'y'], ['drop', 'table']]) {
            const answer = parseAdminArgs(args);
            expect(typeof answer).toBe('string');
            expect(answer).toContain('Usage: /ticket-bridge status | retry <id> | retry-dead | room <roomId>');
        }
        expect(parseAdminArgs(['x'.repeat(500)])).toBe(`Unknown action "${'x'.repeat(40)}". Usage: /ticket-bridge status | retry <id> | retry-dead | room <roomId>`);
    });

    it('validates ids without accepting injection', () => {
        expect(validDeliveryId('helpdesk:abc')).toBe(true);
        expect(validDeliveryId('helpdesk:abc\nX-Evil: 1')).toBe(false);
        expect(validDeliveryId({ key: 'helpdesk:abc' })).toBe(false);
        expect(validRoomId('abc$where')).toBe(false);
        expect(validRoomId('a'.repeat(101))).toBe(false);
    });
});

describe('access', () => {
    it('lets admins and Livechat managers in, nobody else', () => {
        expect(canManageDeliveries({ roles: ['user', 'admin'] } as never)).toBe(true);
        expect(canManageDeliveries({ roles: ['livechat-manager'] } as never)).toBe(true);
        expect(canManageDeliveries({ roles: ['livechat-agent', 'user'] } as never)).toBe(false);
        expect(canManageDeliveries({} as never)).toBe(false);
        expect(canManageDeliveries(undefined)).toBe(false);
    });
});

describe('ticketLabels', () => {
    it('names OTRS tickets by number and GLPI tickets by id, once each', () => {
        expect(ticketLabels({ helpdesk: 'otrs', tickets: [{ ticketNumber: '2026112210000011', ticketId: '7' }, { ticketNumber: '2026112210000011', ticketId: '7' }] })).toEqual(['OTRS #2026112210000011']);
        expect(ticketLabels({ helpdesk: 'glpi', tickets: [{ ticketId: '42' }, { ticketId: 43 }] })).toEqual(['GLPI #42', 'GLPI #43']);
    });

    it('has nothing to say for a webhook or a malformed result', () => {
        expect(ticketLabels({ helpdesk: 'webhook', status: 200 })).toEqual([]);
        expect(ticketLabels(undefined)).toEqual([]);
        expect(ticketLabels({ helpdesk: 'otrs', tickets: 'nope' })).toEqual([]);
        expect(ticketLabels({ helpdesk: 'otrs', tickets: [null, { ticketNumber: { $gt: '' } }] })).toEqual([]);
    });
});

describe('summarize and adminText', () => {
    it('never shows the payload', () => {
        const summary = summarize(record({ lastError: 'OTRS answered 500' }));
        expect(JSON.stringify(summary)).not.toContain('secret stuff');
        expect(summary).toEqual({ id: 'helpdesk:Room1', kind: 'helpdesk.otrs', status: 'pending', attempts: 2, nextAttemptAt: '2026-11-22T10:00:00.000Z', lastError: 'OTRS answered 500', createdAt: '2026-11-22T09:00:00.000Z', updatedAt: '2026-11-22T09:30:00.000Z' });
    });

    it('lists dead letters with the replay hint, and says how many were left out', () => {
        const dead = summarize(record({ status: 'dead', attempt: 12, lastError: 'gave up after 12 attempts; last error: timeout' }));
        const text = adminText({ action: 'status', overview: { pending: { total: 0, items: [] }, dead: { total: 51, items: [dead] } } });
        expect(text).toContain('*Pending:* none');
        expect(text).toContain('*Dead:* 51 (first 1 shown)');
        expect(text).toContain('• `helpdesk:Room1` (helpdesk.otrs) dead, 12 attempt(s) — last error: gave up after 12 attempts; last error: timeout');
        expect(text).toContain('Replay one with "/ticket-bridge retry <id>"');
        expect(text).toContain('No missed-close sweep has run yet.');
    });

    it('words every retry outcome', () => {
        expect(adminText({ action: 'retry', id: 'helpdesk:x', outcome: 'unknown' })).toMatch(/^There is no delivery `helpdesk:x`/);
        expect(adminText({ action: 'retry-dead', replayed: 1 })).toBe('1 dead delivery is queued again.');
        expect(adminText({ action: 'retry-dead', replayed: 3 })).toBe('3 dead deliveries are queued again.');
        expect(adminText({ action: 'retry-dead', replayed: 0 })).toBe('There are no dead deliveries.');
    });
});
