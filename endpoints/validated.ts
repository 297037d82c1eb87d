import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { apiFailure } from '../src/lib/ApiFailure';
import { ValidationResult } from '../src/rapidpro/validation';

/** The validated value, or a 400 with the validator's message; nothing has happened yet. */
export function validated<T>(result: ValidationResult<T>): T {
    if (!result.ok) {
        throw apiFailure(HttpStatusCode.BAD_REQUEST, result.error);
    }
    return result.value;
}
