import {
    EMPTY_MESSAGE_ERROR,
    isJsonMediaType,
    parseGeoCoordinates,
    parseRfc3339,
    validateRoomCloseRequest,
    validateRoomRequest,
    validateSettingsRequest,
    validateVisitorMessageRequest,
    ValidationResult,
} from '../../src/rapidpro/validation';

/** Fails the test with the validator's message when the result is not ok. */
function expectOk<T>(result: ValidationResult<T>): T {
    if (!result.ok) {
        throw new Error(`expected ok, got error: ${result.error}`);
    }
    return result.value;
}

function expectError<T>(result: ValidationResult<T>): string {
    if (result.ok) {
        throw new Error(`expected an error, got value: ${JSON.stringify(result.value)}`);
    }
    return result.error;
}

const TICKET_ID = '59d74b86-3e2f-4a93-aece-b05d2fdcde0c';
const CONTACT_UUID = '5d76d86b-3bb9-4d5a-b822-c9d86f5d8e4f';
const NON_OBJECT_BODIES: unknown[] = [null, undefined, [], 'str', 42, true];

describe('validateRoomRequest', () => {
    it('accepts the mailroom §3.3 fixture (with name) exactly', () => {
        const body = JSON.parse(
            '{"visitor":{"token":"1234567","contactUUID":"5d76d86b-3bb9-4d5a-b822-c9d86f5d8e4f","name":"Ryan Lewis","email":"foo@bar.com","phone":"+12024561111"},"ticketID":"59d74b86-3e2f-4a93-aece-b05d2fdcde0c"}',
        );
        expect(expectOk(validateRoomRequest(body))).toStrictEqual({
            ticketID: TICKET_ID,
            visitor: {
                token: '1234567',
                contactUUID: CONTACT_UUID,
                name: 'Ryan Lewis',
                email: 'foo@bar.com',
                phone: '+12024561111',
            },
        });
    });

    it('accepts a nameless contact (mailroom omits empty fields)', () => {
        const body = { visitor: { token: '10000', contactUUID: CONTACT_UUID }, ticketID: TICKET_ID };
        const value = expectOk(validateRoomRequest(body));
        expect(value).toStrictEqual({ ticketID: TICKET_ID, visitor: { token: '10000', contactUUID: CONTACT_UUID } });
        expect('name' in value.visitor).toBe(false);
    });

    it('accepts only the token and ticketID', () => {
        expect(expectOk(validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID }))).toStrictEqual({
            ticketID: TICKET_ID,
            visitor: { token: '1' },
        });
    });

    it("accepts Weni's department, customFields and sessionStart", () => {
        const body = {
            visitor: {
                token: '1234567',
                contactUUID: CONTACT_UUID,
                name: 'Ryan Lewis',
                department: 'kitchen',
                customFields: { plan: 'gold', age: 42, vip: true },
            },
            ticketID: TICKET_ID,
            sessionStart: '2019-10-07T15:20:30Z',
            priority: 'high',
        };
        expect(expectOk(validateRoomRequest(body))).toStrictEqual({
            ticketID: TICKET_ID,
            visitor: {
                token: '1234567',
                contactUUID: CONTACT_UUID,
                name: 'Ryan Lewis',
                department: 'kitchen',
                customFields: { plan: 'gold', age: '42', vip: 'true' },
            },
            sessionStart: '2019-10-07T15:20:30Z',
            priority: 'high',
        });
    });

    it("reads top-level department/customFields, the visitor's values win", () => {
        const body = {
            visitor: { token: '7', department: 'sales', customFields: { a: 'visitor' } },
            ticketID: TICKET_ID,
            department: 'support',
            customFields: { a: 'top', b: 'top' },
        };
        expect(expectOk(validateRoomRequest(body)).visitor).toStrictEqual({
            token: '7',
            department: 'sales',
            customFields: { a: 'visitor', b: 'top' },
        });
        const topOnly = expectOk(
            validateRoomRequest({ visitor: { token: '7' }, ticketID: TICKET_ID, department: 'support' }),
        );
        expect(topOnly.visitor.department).toBe('support');
    });

    it('trims strings, keeps the ticketID case, ignores unknown fields and empty optionals', () => {
        const upper = TICKET_ID.toUpperCase();
        const value = expectOk(
            validateRoomRequest({
                visitor: { token: '  42 ', name: '  Ana ', email: '', phone: null, extra: { x: 1 } },
                ticketID: ` ${upper} `,
                unknown: 'ignored',
            }),
        );
        expect(value).toStrictEqual({ ticketID: upper, visitor: { token: '42', name: 'Ana' } });
    });

    it('accepts a non-negative integer token by converting it to a string', () => {
        expect(expectOk(validateRoomRequest({ visitor: { token: 10000 }, ticketID: TICKET_ID })).visitor.token).toBe(
            '10000',
        );
    });

    it.each<[string, unknown]>([
        ['missing', undefined],
        ['empty', ''],
        ['blank', '   '],
        ['null', null],
        ['float', 1.5],
        ['negative', -3],
        ['array', ['1']],
        ['object', { id: '1' }],
        ['boolean', true],
    ])('rejects a %s token', (_label, token) => {
        const error = expectError(validateRoomRequest({ visitor: { token }, ticketID: TICKET_ID }));
        expect(error).toBe('visitor.token is required and must be a non-empty string');
    });

    it('rejects a missing or non-object visitor', () => {
        expect(expectError(validateRoomRequest({ ticketID: TICKET_ID }))).toMatch(/^visitor is required/);
        expect(expectError(validateRoomRequest({ ticketID: TICKET_ID, visitor: 'x' }))).toMatch(/^visitor is required/);
        expect(expectError(validateRoomRequest({ ticketID: TICKET_ID, visitor: [] }))).toMatch(/^visitor is required/);
    });

    it('rejects a missing or malformed ticketID', () => {
        expect(expectError(validateRoomRequest({ visitor: { token: '1' } }))).toBe(
            'ticketID is required and must be a UUID string',
        );
        expect(expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: 'not-a-uuid' }))).toMatch(
            /^ticketID must be a UUID/,
        );
        expect(expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: 12 }))).toMatch(
            /^ticketID must be a UUID/,
        );
        // One character short.
        expect(
            expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID.slice(0, -1) })),
        ).toMatch(/^ticketID must be a UUID/);
    });

    it('rejects a bad contactUUID', () => {
        const error = expectError(
            validateRoomRequest({ visitor: { token: '1', contactUUID: 'abc' }, ticketID: TICKET_ID }),
        );
        expect(error).toMatch(/^visitor\.contactUUID must be a UUID/);
    });

    it.each(['foo', 'foo@', '@bar.com', 'foo@bar', 'foo bar@baz.com', 'a@b.c'])('rejects the e-mail %p', (email) => {
        const error = expectError(validateRoomRequest({ visitor: { token: '1', email }, ticketID: TICKET_ID }));
        expect(error).toMatch(/^visitor\.email must be a valid e-mail address/);
    });

    it('rejects a non-string name', () => {
        expect(expectError(validateRoomRequest({ visitor: { token: '1', name: 5 }, ticketID: TICKET_ID }))).toBe(
            'visitor.name must be a string',
        );
    });

    it.each([
        '2019-10-07',
        '2019-10-07 15:20:30Z',
        '2019-13-07T15:20:30Z',
        '2019-02-29T15:20:30Z',
        '2019-10-07T24:00:00Z',
        '2019-10-07T15:20:30',
        '2019-10-07T15:20:30+25:00',
        'yesterday',
    ])('rejects sessionStart %p', (sessionStart) => {
        const error = expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID, sessionStart }));
        expect(error).toBe('sessionStart must be an RFC 3339 date-time like 2019-10-07T15:20:30Z');
    });

    it('rejects a non-string sessionStart', () => {
        expect(
            expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID, sessionStart: 1570461630 })),
        ).toMatch(/^sessionStart must be an RFC 3339/);
    });

    it('accepts sessionStart with offsets, fractions and lowercase letters', () => {
        const lower = expectOk(
            validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID, sessionStart: '2020-02-29t10:00:00.5z' }),
        );
        expect(lower.sessionStart).toBe('2020-02-29T10:00:00.5Z');
        expect(parseRfc3339('2019-10-07T12:20:30-03:00')).toBe(Date.UTC(2019, 9, 7, 15, 20, 30));
        expect(parseRfc3339('2019-10-07T15:20:30.250Z')).toBe(Date.UTC(2019, 9, 7, 15, 20, 30, 250));
    });

    it('rejects nested or array customFields values and non-object customFields', () => {
        expect(
            expectError(
                validateRoomRequest({ visitor: { token: '1', customFields: { a: { b: 1 } } }, ticketID: TICKET_ID }),
            ),
        ).toMatch(/^visitor\.customFields\.a must be a string, number or boolean/);
        expect(
            expectError(validateRoomRequest({ visitor: { token: '1', customFields: { a: [1] } }, ticketID: TICKET_ID })),
        ).toMatch(/^visitor\.customFields\.a must be a string/);
        expect(
            expectError(validateRoomRequest({ visitor: { token: '1', customFields: 'x' }, ticketID: TICKET_ID })),
        ).toBe('visitor.customFields must be an object of string values');
        expect(expectError(validateRoomRequest({ visitor: { token: '1' }, ticketID: TICKET_ID, customFields: [] }))).toBe(
            'customFields must be an object of string values',
        );
    });

    it('rejects a __proto__ custom field key instead of touching the prototype', () => {
        const body = JSON.parse(`{"visitor":{"token":"1","customFields":{"__proto__":{"x":"1"}}},"ticketID":"${TICKET_ID}"}`);
        expect(expectError(validateRoomRequest(body))).toMatch(/invalid key "__proto__"/);
    });

    it('skips null custom field values and omits an empty map', () => {
        const value = expectOk(
            validateRoomRequest({ visitor: { token: '1', customFields: { a: null } }, ticketID: TICKET_ID }),
        );
        expect(value.visitor).toStrictEqual({ token: '1' });
    });

    it('rejects huge strings with a clear message instead of accepting them', () => {
        const huge = 'x'.repeat(100000);
        expect(expectError(validateRoomRequest({ visitor: { token: huge }, ticketID: TICKET_ID }))).toBe(
            'visitor.token must be at most 256 characters (got 100000)',
        );
        expect(expectError(validateRoomRequest({ visitor: { token: '1', name: huge }, ticketID: TICKET_ID }))).toBe(
            'visitor.name must be at most 256 characters (got 100000)',
        );
        expect(
            expectError(
                validateRoomRequest({ visitor: { token: '1', customFields: { k: huge } }, ticketID: TICKET_ID }),
            ),
        ).toBe('visitor.customFields.k must be at most 4096 characters (got 100000)');
        const manyFields: Record<string, string> = {};
        for (let i = 0; i < 101; i++) {
            manyFields[`f${i}`] = 'v';
        }
        expect(
            expectError(validateRoomRequest({ visitor: { token: '1', customFields: manyFields }, ticketID: TICKET_ID })),
        ).toMatch(/at most 100 entries/);
    });

    it('rejects a token with control characters', () => {
        expect(expectError(validateRoomRequest({ visitor: { token: 'a\nb' }, ticketID: TICKET_ID }))).toBe(
            'visitor.token must not contain control characters',
        );
    });

    it('reports every invalid field at once', () => {
        const error = expectError(validateRoomRequest({ visitor: { token: '', email: 'nope' }, ticketID: 'x' }));
        expect(error).toContain('ticketID must be a UUID');
        expect(error).toContain('visitor.token is required');
        expect(error).toContain('visitor.email must be a valid e-mail address');
    });

    it.each(NON_OBJECT_BODIES)('rejects the non-object body %p', (body) => {
        expect(expectError(validateRoomRequest(body))).toBe('Request body must be a JSON object');
    });

    it('rejects an empty object body naming the missing fields', () => {
        const error = expectError(validateRoomRequest({}));
        expect(error).toContain('ticketID is required');
        expect(error).toContain('visitor is required');
    });
});

describe('validateVisitorMessageRequest', () => {
    it('accepts the mailroom §3.4 fixture exactly', () => {
        const body = JSON.parse(
            '{"visitor":{"token":"10000"},"text":"It\'s urgent","attachments":[{"type":"image/jpg","url":"https://link.to/image.jpg"},{"type":"video/mp4","url":"https://link.to/video.mp4"},{"type":"audio/ogg","url":"https://link.to/audio.ogg"}]}',
        );
        expect(expectOk(validateVisitorMessageRequest(body))).toStrictEqual({
            visitor: { token: '10000' },
            text: "It's urgent",
            attachments: [
                { type: 'image/jpg', url: 'https://link.to/image.jpg' },
                { type: 'video/mp4', url: 'https://link.to/video.mp4' },
                { type: 'audio/ogg', url: 'https://link.to/audio.ogg' },
            ],
        });
    });

    it('accepts a text-only message (attachments omitted) and keeps the text as sent', () => {
        expect(expectOk(validateVisitorMessageRequest({ visitor: { token: '10000' }, text: '  hi  ' }))).toStrictEqual({
            visitor: { token: '10000' },
            text: '  hi  ',
            attachments: [],
        });
    });

    it('accepts an attachment-only message with a geo location', () => {
        const value = expectOk(
            validateVisitorMessageRequest({
                visitor: { token: '10000' },
                attachments: [
                    { type: 'geo', url: '-8.0476,-34.8770' },
                    { type: 'application/pdf', url: 'http://files.local:9000/a%20b.pdf' },
                ],
            }),
        );
        expect(value).toStrictEqual({
            visitor: { token: '10000' },
            attachments: [
                { type: 'geo', url: '-8.0476,-34.8770' },
                { type: 'application/pdf', url: 'http://files.local:9000/a%20b.pdf' },
            ],
        });
        expect('text' in value).toBe(false);
    });

    it.each<[string, unknown]>([
        ['both missing', {}],
        ['empty text and empty array', { text: '', attachments: [] }],
        ['blank text, null attachments', { text: '   ', attachments: null }],
    ])('rejects a message with %s', (_label, extra) => {
        const body = Object.assign({ visitor: { token: '10000' } }, extra);
        expect(expectError(validateVisitorMessageRequest(body))).toBe(EMPTY_MESSAGE_ERROR);
        expect(EMPTY_MESSAGE_ERROR).toBe('Could not send message with empty text and attachments');
    });

    it('rejects a missing token', () => {
        expect(expectError(validateVisitorMessageRequest({ visitor: {}, text: 'hi' }))).toBe(
            'visitor.token is required and must be a non-empty string',
        );
    });

    it('rejects an attachment without url or type, or that is not an object', () => {
        expect(
            expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, attachments: [{ type: 'image/png' }] })),
        ).toBe('attachments[0].url is required and must be a non-empty string');
        expect(
            expectError(
                validateVisitorMessageRequest({
                    visitor: { token: '1' },
                    attachments: [{ type: 'image/png', url: 'https://a.b/c.png' }, { url: 'https://a.b/c.png' }],
                }),
            ),
        ).toBe('attachments[1].type is required and must be a non-empty string');
        expect(
            expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, attachments: ['https://a.b/c.png'] })),
        ).toBe('attachments[0] must be an object with "type" and "url" strings');
        expect(
            expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, attachments: { type: 'x', url: 'y' } })),
        ).toMatch(/^attachments must be an array/);
    });

    it.each(['ftp://a.b/c.png', '/relative/c.png', 'not a url', 'javascript:alert(1)', 'https://', 'https://a.b/c d.png'])(
        'rejects the attachment url %p',
        (url) => {
            const error = expectError(
                validateVisitorMessageRequest({ visitor: { token: '1' }, attachments: [{ type: 'image/png', url }] }),
            );
            expect(error).toMatch(/^attachments\[0\]\.url must/);
        },
    );

    it.each(['91,0', '0,181', 'abc,def', '1,2,3', '12.5', '', '1e5,2'])('rejects the geo url %p', (url) => {
        const body = { visitor: { token: '1' }, attachments: [{ type: 'geo', url }] };
        const error = expectError(validateVisitorMessageRequest(body));
        expect(error).toMatch(/^attachments\[0\]\.url (must be "<latitude>,<longitude>"|is required)/);
    });

    it('rejects more than 20 attachments', () => {
        const attachments = Array.from({ length: 21 }, (_v, i) => ({ type: 'image/png', url: `https://a.b/${i}.png` }));
        expect(expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, attachments }))).toBe(
            'attachments may hold at most 20 items (got 21)',
        );
    });

    it('rejects a huge text and a non-string text', () => {
        expect(expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, text: 'y'.repeat(20001) }))).toBe(
            'text must be at most 20000 characters (got 20001)',
        );
        expect(expectOk(validateVisitorMessageRequest({ visitor: { token: '1' }, text: 'y'.repeat(20000) })).text).toHaveLength(
            20000,
        );
        expect(expectError(validateVisitorMessageRequest({ visitor: { token: '1' }, text: 42 }))).toBe(
            'text must be a string',
        );
    });

    it.each(NON_OBJECT_BODIES)('rejects the non-object body %p', (body) => {
        expect(expectError(validateVisitorMessageRequest(body))).toBe('Request body must be a JSON object');
    });
});

describe('validateRoomCloseRequest', () => {
    it('accepts the mailroom §3.5 fixture', () => {
        expect(expectOk(validateRoomCloseRequest(JSON.parse('{"visitor":{"token":"10000"}}')))).toStrictEqual({
            visitor: { token: '10000' },
        });
    });

    it.each<[string, unknown]>([
        ['empty body', {}],
        ['missing token', { visitor: {} }],
        ['numeric float token', { visitor: { token: 1.25 } }],
        ['array token', { visitor: { token: [] } }],
        ['object token', { visitor: { token: {} } }],
    ])('rejects %s', (_label, body) => {
        expect(expectError(validateRoomCloseRequest(body))).toMatch(/^visitor(\.token)? is required/);
    });

    it.each(NON_OBJECT_BODIES)('rejects the non-object body %p', (body) => {
        expect(expectError(validateRoomCloseRequest(body))).toBe('Request body must be a JSON object');
    });
});

describe('validateSettingsRequest', () => {
    it.each([
        'https://rapidpro.example.com/mr/tickets/types/rocketchat/event_callback/6a7ab4e4-0a0f-4a25-b2b8-f1b4c1a0b3c2',
        'http://mailroom:8090/mr/tickets/types/rocketchat/event_callback/6a7ab4e4-0a0f-4a25-b2b8-f1b4c1a0b3c2',
        'http://127.0.0.1:49999/x',
        'http://localhost/cb',
        'http://10.0.0.5/cb',
        'HTTPS://EXAMPLE.COM/cb',
        'http://[::1]:8080/cb',
    ])('accepts %s', (url) => {
        expect(expectOk(validateSettingsRequest({ webhook: { url } }))).toStrictEqual({ webhookUrl: url });
    });

    it('trims the URL', () => {
        expect(expectOk(validateSettingsRequest({ webhook: { url: '  http://mailroom:8090/x  ' } })).webhookUrl).toBe(
            'http://mailroom:8090/x',
        );
    });

    it.each([
        ['ftp://example.com/x', 'webhook.url must be an absolute http:// or https:// URL'],
        ['not a url', 'webhook.url must not contain spaces or control characters'],
        ['notaurl', 'webhook.url must be an absolute http:// or https:// URL'],
        ['mailroom:8090/x', 'webhook.url must be an absolute http:// or https:// URL'],
        ['http://', 'webhook.url must be a valid http:// or https:// URL'],
        ['https://exa mple.com/', 'webhook.url must not contain spaces or control characters'],
        ['https://example.com/a\nb', 'webhook.url must not contain spaces or control characters'],
        ['https://user:pass@example.com/x', 'webhook.url must not contain credentials (user:password@); the app secret authenticates callbacks'],
    ])('rejects %p', (url, message) => {
        expect(expectError(validateSettingsRequest({ webhook: { url } }))).toBe(message);
    });

    it('rejects a URL longer than 2048 characters', () => {
        const url = `https://example.com/${'a'.repeat(2030)}`;
        expect(expectError(validateSettingsRequest({ webhook: { url } }))).toBe(
            `webhook.url must be at most 2048 characters (got ${url.length})`,
        );
        const atLimit = `https://example.com/${'a'.repeat(2048 - 20)}`;
        expect(atLimit).toHaveLength(2048);
        expect(expectOk(validateSettingsRequest({ webhook: { url: atLimit } })).webhookUrl).toBe(atLimit);
    });

    it('rejects a missing webhook or url', () => {
        expect(expectError(validateSettingsRequest({}))).toMatch(/^webhook is required/);
        expect(expectError(validateSettingsRequest({ webhook: 'https://x.y' }))).toMatch(/^webhook is required/);
        expect(expectError(validateSettingsRequest({ webhook: {} }))).toBe(
            'webhook.url is required and must be a non-empty string',
        );
        expect(expectError(validateSettingsRequest({ webhook: { url: 7 } }))).toBe(
            'webhook.url is required and must be a non-empty string',
        );
    });

    it.each(NON_OBJECT_BODIES)('rejects the non-object body %p', (body) => {
        expect(expectError(validateSettingsRequest(body))).toBe('Request body must be a JSON object');
    });
});

describe('isJsonMediaType', () => {
    it.each<[string | undefined, boolean]>([
        ['application/json', true],
        ['application/json; charset=utf-8', true],
        ['application/json;charset=UTF-8', true],
        ['APPLICATION/JSON', true],
        [' Application/Json ', true],
        ['text/plain', false],
        ['application/jsonp', false],
        ['application/x-www-form-urlencoded', false],
        ['', false],
        [undefined, false],
    ])('%p -> %p', (contentType, expected) => {
        expect(isJsonMediaType(contentType)).toBe(expected);
    });
});

describe('parseGeoCoordinates', () => {
    it('keeps the decimal strings as sent, trimmed', () => {
        expect(parseGeoCoordinates(' -8.0476 , -34.8770 ')).toStrictEqual({ latitude: '-8.0476', longitude: '-34.8770' });
        expect(parseGeoCoordinates('90,-180')).toStrictEqual({ latitude: '90', longitude: '-180' });
        expect(parseGeoCoordinates('90.0001,0')).toBeUndefined();
    });
});
