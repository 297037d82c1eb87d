import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { DeliveryRecord } from './DeliveryRecord';

export interface DeliveryAttempt {
    payload: Record<string, unknown>;
    /** 1 for the first attempt. Above 1, an earlier attempt may have reached the receiver (unknown outcome). */
    attempt: number;
    key: string;
    lastError?: string;
    /** What earlier attempts recorded with `saveProgress` (undefined on the first attempt). */
    progress?: Record<string, unknown>;
    /**
     * Records how far this delivery got (which tickets were written, a create in flight), so an
     * attempt after a failure or a crash skips what is done and checks what is uncertain.
     */
    saveProgress(progress: Record<string, unknown>): Promise<void>;
}

/**
 * Performs one attempt of one kind of delivery. Resolves with what should be recorded (ticket
 * numbers, ids) or throws a DeliveryFailure saying whether a retry can help.
 */
export type DeliveryHandler = (
    attempt: DeliveryAttempt,
    acc: { read: IRead; http: IHttp; persis: IPersistence; modify: IModify; logger: ILogger },
) => Promise<Record<string, unknown> | void>;

/**
 * Runs after a delivery is done (recorded as such): a side effect that must not make a written
 * delivery fail or run again, such as showing its ticket numbers on the room. Failures are logged.
 */
export type DeliveryFollowUp = (
    record: DeliveryRecord,
    acc: { read: IRead; http: IHttp; persis: IPersistence; modify: IModify; logger: ILogger },
) => Promise<void>;
