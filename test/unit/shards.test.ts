import { DELIVERY_PROCESSOR_IDS, DELIVERY_SHARDS, processorIdFor, shardOf } from '../../src/delivery/shards';

describe('delivery shards', () => {
    it('keeps the original processor name for shard 0 and gives every shard its own name', () => {
        expect(DELIVERY_PROCESSOR_IDS[0]).toBe('delivery');
        expect(new Set(DELIVERY_PROCESSOR_IDS).size).toBe(DELIVERY_SHARDS);
    });

    it('maps a key to the same shard every time', () => {
        const key = 'helpdesk:Xk3s9QwErTy7uIoP1';
        expect(processorIdFor(key)).toBe(processorIdFor(key));
    });

    it('spreads room keys over every shard, none with more than twice its share', () => {
        const counts = new Array(DELIVERY_SHARDS).fill(0);
        const alphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
        for (let i = 0; i < 4000; i++) {
            let id = '';
            for (let j = 0; j < 17; j++) id += alphabet[(i * 7919 + j * 104729 + i * j) % alphabet.length];
            counts[shardOf(`helpdesk:${id}`)]++;
        }
        for (const count of counts) {
            expect(count).toBeGreaterThan(0);
            expect(count).toBeLessThan((4000 / DELIVERY_SHARDS) * 2);
        }
    });
});
