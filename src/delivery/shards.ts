/**
 * Rocket.Chat's scheduler (Agenda, `defaultConcurrency: 1`) runs one job per processor name at a
 * time, so a single delivery processor makes every delivery wait for the one before it: one slow
 * helpdesk request stalls the whole outbox, and a backlog drains strictly one by one. Deliveries are
 * spread over a few processor names instead. A key always maps to the same shard, so two jobs of
 * one delivery never run side by side (the schedule token already makes the older one a no-op).
 */
export const DELIVERY_SHARDS = 4;

/** Shard 0 keeps the original name, so jobs scheduled by an earlier version still find their processor. */
export function deliveryProcessorId(shard: number): string {
    return shard === 0 ? 'delivery' : `delivery-${shard + 1}`;
}

export const DELIVERY_PROCESSOR_IDS: readonly string[] = Array.from({ length: DELIVERY_SHARDS }, (_, shard) => deliveryProcessorId(shard));

/** FNV-1a over the key: stable across restarts and versions, spreads room ids evenly. */
export function shardOf(key: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
        hash ^= key.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % DELIVERY_SHARDS;
}

export function processorIdFor(key: string): string {
    return deliveryProcessorId(shardOf(key));
}
