import { describeError, redact } from '../../src/lib/redact';

describe('redact', () => {
    it('replaces a secret', () => {
        expect(redact('Authorization: Token s3cr3t-token', ['s3cr3t-token'])).toBe('Authorization: Token ***');
    });

    it('replaces every occurrence', () => {
        expect(redact('abcd abcd xabcdx abcdabcd', ['abcd'])).toBe('*** *** x***x ******');
    });

    it('replaces several secrets', () => {
        const text = 'app=alpha-secret helpdesk=beta-secret again alpha-secret';
        expect(redact(text, ['alpha-secret', 'beta-secret'])).toBe('app=*** helpdesk=*** again ***');
    });

    it('leaves text without secrets unchanged', () => {
        expect(redact('nothing to hide', ['s3cr3t'])).toBe('nothing to hide');
        expect(redact('nothing to hide', [])).toBe('nothing to hide');
        expect(redact('', ['s3cr3t'])).toBe('');
    });

    it('ignores secrets shorter than 4 characters', () => {
        expect(redact('abc ab a', ['abc', 'ab', 'a'])).toBe('abc ab a');
        expect(redact('the cat sat', ['cat'])).toBe('the cat sat');
    });

    it('redacts a secret of exactly 4 characters', () => {
        expect(redact('pin=1234;', ['1234'])).toBe('pin=***;');
    });

    it('ignores an empty secret instead of mangling the text', () => {
        expect(redact('hello', [''])).toBe('hello');
    });

    it('treats regular-expression characters literally', () => {
        expect(redact('k=$ecr.t+(x)* k2=$ecrxt+(x)*', ['$ecr.t+(x)*'])).toBe('k=*** k2=$ecrxt+(x)*');
        expect(redact("a=$&$'$` end", ["$&$'$`"])).toBe('a=*** end');
    });

    it('redacts unicode secrets', () => {
        expect(redact('token=秘密🔑abc!', ['秘密🔑abc'])).toBe('token=***!');
    });

    it('leaves no fragment of a longer secret that contains a shorter one, whatever the order', () => {
        const short = 'abcd';
        const long = 'abcd-efgh-ijkl';
        for (const secrets of [[short, long], [long, short]]) {
            const result = redact(`x=${long} y=${short}`, secrets);
            expect(result).not.toContain('efgh');
            expect(result).not.toContain(short);
        }
    });
});

describe('describeError', () => {
    it('gives the message of an Error', () => {
        expect(describeError(new Error('connection refused'))).toBe('connection refused');
        expect(describeError(new TypeError('bad type'))).toBe('bad type');
    });

    it('gives the message of an Error subclass', () => {
        class CustomError extends Error {}
        expect(describeError(new CustomError('custom'))).toBe('custom');
    });

    it('gives the message of a plain object with a string message', () => {
        expect(describeError({ message: 'from an object', code: 'E1' })).toBe('from an object');
    });

    it('does not use a message that is not a string', () => {
        expect(describeError({ message: 42 })).toBe('[object Object]');
    });

    it('gives a thrown string as it is', () => {
        expect(describeError('plain string')).toBe('plain string');
    });

    it('gives a thrown number as text', () => {
        expect(describeError(42)).toBe('42');
        expect(describeError(NaN)).toBe('NaN');
    });

    it('describes null and undefined', () => {
        expect(describeError(null)).toBe('null');
        expect(describeError(undefined)).toBe('undefined');
    });
});
