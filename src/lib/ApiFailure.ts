/**
 * An error an endpoint answers as `{"error": message}` with `status`. Recognised by its plain
 * `apiFailure` field, never by class identity: inside the engine a class check across files does
 * not match (the Ilhasoft app's AppError check never did), and every failure became a 500.
 */
export interface ApiFailure {
    apiFailure: true;
    status: number;
    message: string;
}

export function apiFailure(status: number, message: string): ApiFailure {
    return { apiFailure: true, status, message };
}

export function isApiFailure(value: unknown): value is ApiFailure {
    return typeof value === 'object' && value !== null && (value as ApiFailure).apiFailure === true;
}
