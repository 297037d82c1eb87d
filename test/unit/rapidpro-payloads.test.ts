import {
    absoluteAttachmentUrl,
    AgentAttachmentLike,
    buildAgentMessageCallback,
    buildCloseRoomCallback,
} from '../../src/rapidpro/callbackPayloads';

const TICKET_ID = '59d74b86-3e2f-4a93-aece-b05d2fdcde0c';
const SITE = 'https://rc.example.com';
const identity = (s: string): string => s;

describe('buildCloseRoomCallback', () => {
    it('matches the §4.1 close-room body byte for byte', () => {
        expect(JSON.stringify(buildCloseRoomCallback(TICKET_ID, '1234'))).toBe(
            `{"type":"close-room","ticketID":"${TICKET_ID}","visitor":{"token":"1234"}}`,
        );
    });
});

describe('buildAgentMessageCallback', () => {
    it('matches the mailroom text fixture byte for byte (no attachments key)', () => {
        const body = buildAgentMessageCallback({ ticketID: TICKET_ID, token: '1234', text: 'We can help', siteUrl: SITE }, identity);
        expect(JSON.stringify(body)).toBe(
            `{"type":"agent-message","ticketID":"${TICKET_ID}","visitor":{"token":"1234"},"data":{"text":"We can help"}}`,
        );
        expect('attachments' in body.data).toBe(false);
    });

    it('passes the text through the shortcode converter', () => {
        const calls: string[] = [];
        const convert = (s: string): string => {
            calls.push(s);
            return s.replace(':smile:', '😄');
        };
        const body = buildAgentMessageCallback({ ticketID: TICKET_ID, token: '1', text: 'hi :smile:', siteUrl: SITE }, convert);
        expect(body.data.text).toBe('hi 😄');
        expect(calls).toEqual(['hi :smile:']);
    });

    it('turns an image upload into an absolute URL with the image MIME type', () => {
        const attachments: AgentAttachmentLike[] = [
            {
                type: 'file',
                title: { value: 'photo.png', link: '/file-upload/abc123/photo.png' },
                imageUrl: '/file-upload/thumb456/photo.png',
                imageType: 'image/png',
            },
        ];
        const body = buildAgentMessageCallback(
            { ticketID: TICKET_ID, token: '1234', text: '', file: { _id: 'abc123', name: 'photo.png', type: 'image/png' }, attachments, siteUrl: SITE },
            identity,
        );
        expect(JSON.stringify(body)).toBe(
            `{"type":"agent-message","ticketID":"${TICKET_ID}","visitor":{"token":"1234"},"data":{"text":"","attachments":[{"type":"image/png","url":"https://rc.example.com/file-upload/abc123/photo.png"}]}}`,
        );
    });

    it('gives a document upload the file MIME type, and a Site_Url with a trailing slash no "//"', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1234',
                file: { _id: 'f1', name: 'report.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
                attachments: [{ type: 'file', title: { value: 'report.docx', link: '/file-upload/f1/report.docx' } }],
                siteUrl: 'https://rc.example.com/',
            },
            identity,
        );
        expect(body.data).toStrictEqual({
            text: '',
            attachments: [
                {
                    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                    url: 'https://rc.example.com/file-upload/f1/report.docx',
                },
            ],
        });
        expect(body.data.attachments?.[0].url).not.toContain('.com//');
    });

    it('uses audio/video MIME types and falls back to "document" without any MIME information', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1',
                text: 'files',
                attachments: [
                    { title: { link: '/file-upload/a/voice.ogg' }, audioUrl: '/file-upload/a/voice.ogg', audioType: 'audio/ogg' },
                    { title: { link: '/file-upload/v/clip.mp4' }, videoUrl: '/file-upload/v/clip.mp4', videoType: 'video/mp4' },
                    { title: { value: 'notes.txt', link: '/file-upload/d/notes.txt' } },
                ],
                siteUrl: SITE,
            },
            identity,
        );
        expect(body.data.attachments).toStrictEqual([
            { type: 'audio/ogg', url: `${SITE}/file-upload/a/voice.ogg` },
            { type: 'video/mp4', url: `${SITE}/file-upload/v/clip.mp4` },
            { type: 'document', url: `${SITE}/file-upload/d/notes.txt` },
        ]);
    });

    it('skips attachments without a link and quoted messages, but keeps the text', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1234',
                text: 'see above',
                attachments: [
                    { title: {} },
                    { timestampLink: 'https://rc.example.com/live/room?msg=xyz', title: { value: undefined, link: undefined } },
                    {},
                ],
                siteUrl: SITE,
            },
            identity,
        );
        expect(body).toStrictEqual({
            type: 'agent-message',
            ticketID: TICKET_ID,
            visitor: { token: '1234' },
            data: { text: 'see above' },
        });
    });

    it('keeps absolute links as they are and does not give a non-file attachment the file MIME', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1',
                text: 'x',
                file: { _id: 'other', type: 'application/pdf' },
                attachments: [{ imageUrl: 'https://cdn.example.org/cat.gif' }],
                siteUrl: SITE,
            },
            identity,
        );
        expect(body.data.attachments).toStrictEqual([{ type: 'document', url: 'https://cdn.example.org/cat.gif' }]);
    });

    it('skips a relative link when Site_Url is empty rather than sending a URL mailroom cannot fetch', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1',
                text: 'doc',
                attachments: [{ type: 'file', title: { link: '/file-upload/f/a.pdf' } }],
                siteUrl: '',
            },
            identity,
        );
        expect(body.data).toStrictEqual({ text: 'doc' });
    });

    it('gives a file-only message the text ""', () => {
        const body = buildAgentMessageCallback(
            {
                ticketID: TICKET_ID,
                token: '1',
                file: { _id: 'f', name: 'a.pdf', type: 'application/pdf' },
                attachments: [{ type: 'file', title: { value: 'a.pdf', link: '/file-upload/f/a.pdf' } }],
                siteUrl: SITE,
            },
            () => {
                throw new Error('converter must not be called for an empty text');
            },
        );
        expect(body.data).toStrictEqual({ text: '', attachments: [{ type: 'application/pdf', url: `${SITE}/file-upload/f/a.pdf` }] });
    });
});

describe('absoluteAttachmentUrl', () => {
    it.each<[string, string, string | undefined]>([
        ['https://rc.example.com', '/file-upload/a/b.png', 'https://rc.example.com/file-upload/a/b.png'],
        ['https://rc.example.com/', '/file-upload/a/b.png', 'https://rc.example.com/file-upload/a/b.png'],
        ['https://rc.example.com//', 'file-upload/a/b.png', 'https://rc.example.com/file-upload/a/b.png'],
        ['https://example.com/chat/', '/file-upload/a/b.png', 'https://example.com/chat/file-upload/a/b.png'],
        ['https://rc.example.com', 'http://other.host/x.png', 'http://other.host/x.png'],
        ['https://rc.example.com', '//cdn.host/x.png', 'https://cdn.host/x.png'],
        ['', '/file-upload/a/b.png', undefined],
        ['rc.example.com', '/file-upload/a/b.png', undefined],
        ['https://rc.example.com', 'data:image/png;base64,AAAA', undefined],
        ['https://rc.example.com', '   ', undefined],
    ])('(%p, %p) -> %p', (site, link, expected) => {
        expect(absoluteAttachmentUrl(site, link)).toBe(expected);
    });
});
