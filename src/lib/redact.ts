/** Replaces every occurrence of each secret in a text, so nothing logged or stored can leak one. */
export function redact(text: string, secrets: ReadonlyArray<string>): string {
    let result = text;
    // Longest first: a secret that contains a shorter one must not be left half-visible.
    const ordered = [...secrets].sort((a, b) => b.length - a.length);
    for (const secret of ordered) {
        if (secret.length >= 4) {
            result = result.split(secret).join('***');
        }
    }
    return result;
}

/** A readable one-line description of anything thrown. */
export function describeError(error: unknown): string {
    if (error instanceof Error) {
        return error.message;
    }
    if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
        return (error as { message: string }).message;
    }
    return String(error);
}
