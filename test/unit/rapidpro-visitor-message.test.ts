import { validateVisitorMessageRequest } from '../../src/rapidpro/validation';
import {
    buildVisitorMessageContent,
    classifyAttachment,
    fileNameFromUrl,
    openStreetMapUrl,
} from '../../src/rapidpro/visitorMessage';

describe('buildVisitorMessageContent', () => {
    it('renders the mailroom §3.4 fixture plus a geo location, keeping every attachment', () => {
        const validated = validateVisitorMessageRequest({
            visitor: { token: '10000' },
            text: "It's urgent",
            attachments: [
                { type: 'image/jpg', url: 'https://link.to/image.jpg' },
                { type: 'video/mp4', url: 'https://link.to/video.mp4' },
                { type: 'audio/ogg', url: 'https://link.to/audio.ogg' },
                { type: 'geo', url: '-8.0476,-34.8770' },
            ],
        });
        if (!validated.ok) {
            throw new Error(validated.error);
        }
        const content = buildVisitorMessageContent(validated.value);

        expect(content.text).toBe(
            [
                "It's urgent",
                'https://link.to/video.mp4',
                'https://link.to/audio.ogg',
                '-8.0476,-34.8770 https://www.openstreetmap.org/?mlat=-8.0476&mlon=-34.8770',
            ].join('\n'),
        );
        expect(content.attachments).toStrictEqual([
            { title: { value: 'image.jpg', link: 'https://link.to/image.jpg' }, imageUrl: 'https://link.to/image.jpg', imageType: 'image/jpg' },
            { title: { value: 'video.mp4', link: 'https://link.to/video.mp4' }, videoUrl: 'https://link.to/video.mp4', videoType: 'video/mp4' },
            { title: { value: 'audio.ogg', link: 'https://link.to/audio.ogg' }, audioUrl: 'https://link.to/audio.ogg', audioType: 'audio/ogg' },
            {
                title: {
                    value: '-8.0476,-34.8770',
                    link: 'https://www.openstreetmap.org/?mlat=-8.0476&mlon=-34.8770',
                },
            },
        ]);
    });

    it('keeps several documents (the reference app kept only the last one)', () => {
        const content = buildVisitorMessageContent({
            attachments: [
                { type: 'application/pdf', url: 'https://files.example/a/invoice%20march.pdf' },
                { type: 'text/csv', url: 'https://files.example/b/data.csv' },
                { type: 'application/zip', url: 'https://files.example/c/pack.zip' },
            ],
        });
        expect(content.text).toBe(
            'https://files.example/a/invoice%20march.pdf\nhttps://files.example/b/data.csv\nhttps://files.example/c/pack.zip',
        );
        expect(content.attachments).toStrictEqual([
            { title: { value: 'invoice march.pdf', link: 'https://files.example/a/invoice%20march.pdf', displayDownloadLink: true } },
            { title: { value: 'data.csv', link: 'https://files.example/b/data.csv', displayDownloadLink: true } },
            { title: { value: 'pack.zip', link: 'https://files.example/c/pack.zip', displayDownloadLink: true } },
        ]);
    });

    it('gives an image-only message an empty text and an inline image', () => {
        const content = buildVisitorMessageContent({ attachments: [{ type: 'image/jpeg', url: 'https://x.y/p.jpeg' }] });
        expect(content).toStrictEqual({
            text: '',
            attachments: [{ title: { value: 'p.jpeg', link: 'https://x.y/p.jpeg' }, imageUrl: 'https://x.y/p.jpeg', imageType: 'image/jpeg' }],
        });
    });

    it('passes plain text through unchanged with no attachments', () => {
        expect(buildVisitorMessageContent({ text: '  keep *markdown*  ', attachments: [] })).toStrictEqual({
            text: '  keep *markdown*  ',
            attachments: [],
        });
    });

    it('does not invent a MIME field for a bare major type', () => {
        const content = buildVisitorMessageContent({ attachments: [{ type: 'image', url: 'https://x.y/p' }] });
        expect(content.attachments[0]).toStrictEqual({ title: { value: 'p', link: 'https://x.y/p' }, imageUrl: 'https://x.y/p' });
    });
});

describe('classifyAttachment', () => {
    it.each([
        ['image/jpeg', 'image'],
        ['IMAGE/PNG', 'image'],
        ['audio/ogg; codecs=opus', 'audio'],
        ['video/mp4', 'video'],
        ['geo', 'geo'],
        ['GEO', 'geo'],
        ['application/pdf', 'document'],
        ['document', 'document'],
        ['imagery/x', 'document'],
    ])('%p -> %p', (type, kind) => {
        expect(classifyAttachment(type)).toBe(kind);
    });
});

describe('fileNameFromUrl / openStreetMapUrl', () => {
    it('takes the last path segment, decoded, else the host', () => {
        expect(fileNameFromUrl('https://a.b/x/y/%C3%A9t%C3%A9.pdf?sig=1')).toBe('été.pdf');
        expect(fileNameFromUrl('https://a.b/x/y/')).toBe('y');
        expect(fileNameFromUrl('https://a.b/')).toBe('a.b');
        expect(fileNameFromUrl('https://a.b/bad%E0%A4%A')).toBe('bad%E0%A4%A');
    });

    it('builds the map link from the coordinates', () => {
        expect(openStreetMapUrl('1.5', '-2')).toBe('https://www.openstreetmap.org/?mlat=1.5&mlon=-2');
    });
});
