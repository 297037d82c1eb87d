import { KeyedLock } from '../../src/lib/KeyedLock';

interface Deferred<T> {
    promise: Promise<T>;
    resolve: (value: T) => void;
    reject: (reason: unknown) => void;
}

function deferred<T = void>(): Deferred<T> {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
function flush(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

function tailsOf(lock: KeyedLock): Map<string, unknown> {
    return (lock as unknown as { tails: Map<string, unknown> }).tails;
}

describe('KeyedLock', () => {
    it('returns the value of the task', async () => {
        const lock = new KeyedLock();
        await expect(lock.run('k', async () => 42)).resolves.toBe(42);
    });

    it('runs tasks with the same key one at a time, in the order they were queued', async () => {
        const lock = new KeyedLock();
        const events: string[] = [];
        const gates = [deferred(), deferred(), deferred()];
        const runs = gates.map((gate, i) =>
            lock.run('room-1', async () => {
                events.push(`start ${i}`);
                await gate.promise;
                events.push(`end ${i}`);
                return i;
            }),
        );

        await flush();
        expect(events).toEqual(['start 0']);

        // Releasing later tasks first must not let them overtake the running one.
        gates[2].resolve();
        gates[1].resolve();
        await flush();
        expect(events).toEqual(['start 0']);

        gates[0].resolve();
        await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
        expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    });

    it('never runs two tasks of one key at the same time', async () => {
        const lock = new KeyedLock();
        let running = 0;
        let maxRunning = 0;
        const runs = Array.from({ length: 20 }, () =>
            lock.run('k', async () => {
                running++;
                maxRunning = Math.max(maxRunning, running);
                await flush();
                running--;
            }),
        );
        await Promise.all(runs);
        expect(maxRunning).toBe(1);
    });

    it('runs tasks with different keys concurrently', async () => {
        const lock = new KeyedLock();
        const events: string[] = [];
        const a = deferred();
        const b = deferred();
        const runA = lock.run('a', async () => {
            events.push('start a');
            await a.promise;
            events.push('end a');
        });
        const runB = lock.run('b', async () => {
            events.push('start b');
            await b.promise;
            events.push('end b');
        });

        await flush();
        expect(events).toEqual(['start a', 'start b']);

        b.resolve();
        await runB;
        expect(events).toEqual(['start a', 'start b', 'end b']);

        a.resolve();
        await runA;
        expect(events).toEqual(['start a', 'start b', 'end b', 'end a']);
    });

    it('passes a rejection to its own caller and still runs the next task', async () => {
        const lock = new KeyedLock();
        const events: string[] = [];
        const gate = deferred();
        const failing = lock.run('k', async () => {
            events.push('start failing');
            await gate.promise;
            throw new Error('boom');
        });
        const next = lock.run('k', async () => {
            events.push('start next');
            return 'ok';
        });

        await flush();
        expect(events).toEqual(['start failing']);

        gate.resolve();
        await expect(failing).rejects.toThrow('boom');
        await expect(next).resolves.toBe('ok');
        expect(events).toEqual(['start failing', 'start next']);
    });

    it('treats a task that throws synchronously like a rejected one', async () => {
        const lock = new KeyedLock();
        const failing = lock.run('k', (() => {
            throw new Error('sync');
        }) as () => Promise<never>);
        const next = lock.run('k', async () => 'after');
        await expect(failing).rejects.toThrow('sync');
        await expect(next).resolves.toBe('after');
        expect(tailsOf(lock).size).toBe(0);
    });

    it('does not leak the previous task result or error into the next task', async () => {
        const lock = new KeyedLock();
        const first = lock.run('k', async () => {
            throw new Error('first');
        });
        const second = lock.run('k', async () => 'second');
        await expect(first).rejects.toThrow('first');
        await expect(second).resolves.toBe('second');
    });

    it('empties its map once every task has finished', async () => {
        const lock = new KeyedLock();
        const gates = [deferred(), deferred(), deferred()];
        const runs = [
            lock.run('a', () => gates[0].promise),
            lock.run('a', () => gates[1].promise),
            lock.run('b', () => gates[2].promise),
        ];
        await flush();
        expect(tailsOf(lock).size).toBe(2);

        gates[0].resolve();
        await runs[0];
        expect(tailsOf(lock).has('a')).toBe(true);

        gates[2].resolve();
        await runs[2];
        expect(tailsOf(lock).has('b')).toBe(false);

        gates[1].resolve();
        await runs[1];
        expect(tailsOf(lock).size).toBe(0);
    });

    it('empties its map after a failing task too', async () => {
        const lock = new KeyedLock();
        await expect(
            lock.run('k', async () => {
                throw new Error('x');
            }),
        ).rejects.toThrow('x');
        expect(tailsOf(lock).size).toBe(0);
    });

    it('can be used again for a key after it was released', async () => {
        const lock = new KeyedLock();
        await lock.run('k', async () => 1);
        const events: string[] = [];
        const gate = deferred();
        const first = lock.run('k', async () => {
            events.push('first');
            await gate.promise;
        });
        const second = lock.run('k', async () => {
            events.push('second');
        });
        await flush();
        expect(events).toEqual(['first']);
        gate.resolve();
        await Promise.all([first, second]);
        expect(events).toEqual(['first', 'second']);
        expect(tailsOf(lock).size).toBe(0);
    });
});
