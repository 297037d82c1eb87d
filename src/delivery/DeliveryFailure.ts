/**
 * Why a delivery attempt failed, and whether trying again can help. A plain object recognised by
 * its `deliveryFailure` field (class checks do not work across files inside the engine).
 */
export interface DeliveryFailure {
    deliveryFailure: true;
    permanent: boolean;
    message: string;
    /** The receiver asked to wait this long (Retry-After) before the next attempt. */
    retryAfterMs?: number;
}

export function transientFailure(message: string, retryAfterMs?: number): DeliveryFailure {
    return { deliveryFailure: true, permanent: false, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

export function permanentFailure(message: string): DeliveryFailure {
    return { deliveryFailure: true, permanent: true, message };
}

export function isDeliveryFailure(value: unknown): value is DeliveryFailure {
    return typeof value === 'object' && value !== null && (value as DeliveryFailure).deliveryFailure === true;
}
