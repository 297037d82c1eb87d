import { detach } from '../../src/lib/detach';

/** What the engine hands to IPostMessageSent: a class instance over a deep-frozen copy. */
class EngineMessageLike {
    public _ROOM: unknown;
    public manager = { secret: 'not to be copied' };
    constructor(data: Record<string, unknown>) {
        Object.assign(this, data);
    }
    get room(): unknown {
        return this._ROOM;
    }
    toJSON(): unknown {
        return { id: (this as unknown as { id: string }).id };
    }
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
        Object.values(value as Record<string, unknown>).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

describe('detach', () => {
    const createdAt = new Date('2026-01-02T03:04:05Z');
    const message = new EngineMessageLike(deepFreeze({
        id: 'm1',
        token: 'visitor-token',
        _unmappedProperties_: { t: 'livechat-close' },
        attachments: [{ title: { value: 'a.png', link: '/file-upload/1/a.png' } }],
        createdAt,
        _ROOM: { id: 'r1', type: 'l', tags: ['#12'] },
    }));

    it('keeps the fields toJSON would drop, and the room behind its getter', () => {
        const copy = detach(message) as unknown as Record<string, unknown>;
        expect(copy.token).toBe('visitor-token');
        expect(copy._unmappedProperties_).toEqual({ t: 'livechat-close' });
        expect(copy.room).toEqual({ id: 'r1', type: 'l', tags: ['#12'] });
        expect(copy).not.toHaveProperty('_ROOM');
        expect(copy).not.toHaveProperty('manager');
        expect(copy).not.toHaveProperty('toJSON');
    });

    it('gives unfrozen arrays and objects that ordinary code can use, and keeps dates', () => {
        const copy = detach(message) as unknown as { attachments: Array<{ title: { link: string } }>; createdAt: Date };
        expect(Object.isFrozen(copy.attachments)).toBe(false);
        expect(copy.attachments.map((a) => a.title.link)).toEqual(['/file-upload/1/a.png']);
        expect(copy.createdAt).toBeInstanceOf(Date);
        expect(copy.createdAt.getTime()).toBe(createdAt.getTime());
        expect(copy.createdAt).not.toBe(createdAt);
    });

    it('passes primitives, null and undefined through', () => {
        expect(detach(undefined)).toBeUndefined();
        expect(detach(null)).toBeNull();
        expect(detach('x')).toBe('x');
        expect(detach(3)).toBe(3);
    });
});
