import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { misc, putRecord, readRecord, readRecords } from '../lib/records';

/**
 * open: the room is open; closing_by_platform: the platform asked to close it (no close-room
 * callback must go back); closed: closed, and the platform was told (or told us).
 */
export type TicketState = 'open' | 'closing_by_platform' | 'closed';

/** A platform ticket and the Livechat room it opened: found by room id (events) or by token (API). */
export interface TicketRecord {
    ticketID: string;
    token: string;
    roomId: string;
    contactUUID?: string;
    sessionStart?: string;
    state: TicketState;
    closedBy?: 'platform' | 'rocket.chat';
    createdAt: string;
    closedAt?: string;
}

const ALL = misc('tb-ticket');
const byRoom = (roomId: string) => misc(`tb-ticket-room:${roomId}`);
const byToken = (token: string) => misc(`tb-ticket-token:${token}`);

export class TicketStore {
    constructor(private readonly reader: IPersistenceRead, private readonly persis?: IPersistence) {}

    public byRoom(roomId: string): Promise<TicketRecord | undefined> {
        return readRecord<TicketRecord>(this.reader, [byRoom(roomId)]);
    }

    /** Every ticket the token ever had (rooms are never reused, so old ones are closed). */
    public byToken(token: string): Promise<TicketRecord[]> {
        return readRecords<TicketRecord>(this.reader, [byToken(token)]);
    }

    public async openByToken(token: string): Promise<TicketRecord | undefined> {
        return (await this.byToken(token)).find((ticket) => ticket.state !== 'closed');
    }

    public async save(ticket: TicketRecord): Promise<void> {
        if (!this.persis) {
            throw new Error('TicketStore: this accessor set cannot write');
        }
        await putRecord(this.persis, [ALL, byRoom(ticket.roomId), byToken(ticket.token)], ticket);
    }
}
