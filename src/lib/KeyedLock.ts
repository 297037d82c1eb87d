/**
 * Runs tasks with the same key one after another, within this server process. It stops two
 * concurrent retries of the same `/room` call from opening two rooms. Losing it (an app restart) is
 * harmless: it only orders work that is in flight.
 */
export class KeyedLock {
    private readonly tails = new Map<string, Promise<unknown>>();

    public async run<T>(key: string, task: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        const current = previous.then(task, task);
        const tail = current.then(() => undefined, () => undefined);
        this.tails.set(key, tail);
        try {
            return await current;
        } finally {
            if (this.tails.get(key) === tail) {
                this.tails.delete(key);
            }
        }
    }
}
