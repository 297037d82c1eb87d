import { IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';

export interface DeliveryAttempt {
    payload: Record<string, unknown>;
    /** 1 for the first attempt. Above 1, an earlier attempt may have reached the receiver (unknown outcome). */
    attempt: number;
    key: string;
    lastError?: string;
}

/**
 * Performs one attempt of one kind of delivery. Resolves with what should be recorded (ticket
 * numbers, ids) or throws a DeliveryFailure saying whether a retry can help.
 */
export type DeliveryHandler = (
    attempt: DeliveryAttempt,
    acc: { read: IRead; http: IHttp; persis: IPersistence; modify: IModify; logger: ILogger },
) => Promise<Record<string, unknown> | void>;
