import { IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { Outbox, RetryOutcome } from '../delivery/Outbox';
import { AdminRequest } from './adminCommand';
import { deliveryOverview, DeliveryOverview, DeliverySummary, roomReport, RoomReport, summarize } from './deliveryReport';

export type AdminResult =
    | { action: 'status'; overview: DeliveryOverview }
    | { action: 'retry'; id: string; outcome: RetryOutcome['outcome']; delivery?: DeliverySummary }
    | { action: 'retry-dead'; replayed: number }
    | { action: 'room'; report: RoomReport };

/** Carries out one admin request; the slash command and the admin endpoints share it. Access is checked by the caller. */
export async function runAdminRequest(request: AdminRequest, outbox: Outbox, acc: { read: IRead; persis: IPersistence; modify: IModify }): Promise<AdminResult> {
    switch (request.action) {
        case 'status':
            return { action: 'status', overview: await deliveryOverview(acc.read) };
        case 'retry': {
            const { outcome, record } = await outbox.retry(acc, request.id);
            return { action: 'retry', id: request.id, outcome, ...(record ? { delivery: summarize(record) } : {}) };
        }
        case 'retry-dead':
            return { action: 'retry-dead', replayed: await outbox.replayDead(acc) };
        case 'room':
            return { action: 'room', report: await roomReport(acc.read, request.roomId) };
    }
}
