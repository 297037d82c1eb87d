import { secretMatches, tokenFromAuthorization } from '../../src/lib/secret';

const SECRET = 'sk_5e3f9a1b-c0de-4f00-9a7e-0123456789ab';

describe('secretMatches', () => {
    it('matches the same secret', () => {
        expect(secretMatches(SECRET, SECRET)).toBe(true);
        expect(secretMatches('a', 'a')).toBe(true);
    });

    it('matches an equal string that is a different object', () => {
        expect(secretMatches(['sk_', SECRET.slice(3)].join(''), SECRET)).toBe(true);
    });

    it.each([
        ['a different secret of the same length', SECRET.replace(/.$/, 'c')],
        ['a difference in the first character', `x${SECRET.slice(1)}`],
        ['a prefix', SECRET.slice(0, -1)],
        ['a longer string that starts with the secret', `${SECRET}x`],
        ['a shorter string', 'sk_'],
        ['a NUL-padded secret', `${SECRET}\u0000`],
        ['the secret in another case', SECRET.toUpperCase()],
        ['the secret with surrounding spaces', ` ${SECRET} `],
        ['an empty string', ''],
    ])('does not match %s', (_what, presented) => {
        expect(secretMatches(presented, SECRET)).toBe(false);
    });

    it('does not match an undefined presented secret', () => {
        expect(secretMatches(undefined, SECRET)).toBe(false);
    });

    it('never matches an empty configured secret', () => {
        expect(secretMatches('', '')).toBe(false);
        expect(secretMatches('anything', '')).toBe(false);
        expect(secretMatches(undefined, '')).toBe(false);
    });

    it('compares unicode secrets exactly', () => {
        const unicode = 'pässwörd-秘密-🔑';
        expect(secretMatches(unicode, unicode)).toBe(true);
        expect(secretMatches('pässwörd-秘密-🔒', unicode)).toBe(false);
        expect(secretMatches('passwörd-秘密-🔑', unicode)).toBe(false);
        // The same glyph in two normalisation forms is not the same secret.
        expect(secretMatches('e\u0301', '\u00e9')).toBe(false);
        expect(secretMatches(unicode.slice(0, -1), unicode)).toBe(false);
    });
});

describe('tokenFromAuthorization', () => {
    it('extracts the secret of "Token <secret>"', () => {
        expect(tokenFromAuthorization('Token abc')).toBe('abc');
        expect(tokenFromAuthorization(`Token ${SECRET}`)).toBe(SECRET);
    });

    it('ignores whitespace around the whole header', () => {
        expect(tokenFromAuthorization('  Token abc  ')).toBe('abc');
        expect(tokenFromAuthorization('\tToken abc\r\n')).toBe('abc');
    });

    it('accepts unicode secrets', () => {
        expect(tokenFromAuthorization('Token sécrèt-🔑')).toBe('sécrèt-🔑');
    });

    it('keeps punctuation that is part of the secret', () => {
        expect(tokenFromAuthorization('Token a=b+c/d==')).toBe('a=b+c/d==');
    });

    it('requires exactly one space between the scheme and the secret', () => {
        expect(tokenFromAuthorization('Token  abc')).toBeUndefined();
        expect(tokenFromAuthorization('Token\tabc')).toBeUndefined();
        expect(tokenFromAuthorization('Tokenabc')).toBeUndefined();
    });

    it('is case-sensitive about the scheme', () => {
        expect(tokenFromAuthorization('token abc')).toBeUndefined();
        expect(tokenFromAuthorization('TOKEN abc')).toBeUndefined();
    });

    it.each(['Bearer abc', 'Basic YWJjOmRlZg==', 'abc', 'Token', 'Token ', '', '   '])('rejects %j', (header) => {
        expect(tokenFromAuthorization(header)).toBeUndefined();
    });

    it('rejects a secret that contains whitespace', () => {
        expect(tokenFromAuthorization('Token abc def')).toBeUndefined();
        expect(tokenFromAuthorization('Token abc\tdef')).toBeUndefined();
        expect(tokenFromAuthorization('Token abc\ndef')).toBeUndefined();
        expect(tokenFromAuthorization('Token abc\u00a0def')).toBeUndefined();
    });

    it.each([undefined, null, 42, true, {}, ['Token abc'], { toString: () => 'Token abc' }])('rejects a non-string %p', (header) => {
        expect(tokenFromAuthorization(header)).toBeUndefined();
    });

    it('round-trips with secretMatches', () => {
        expect(secretMatches(tokenFromAuthorization(`Token ${SECRET}`), SECRET)).toBe(true);
        expect(secretMatches(tokenFromAuthorization(`Bearer ${SECRET}`), SECRET)).toBe(false);
    });
});
