import { createHmac } from 'crypto';
import { buildWebhookBody, utf8Length, WebhookPayload } from '../../src/helpdesk/webhook/webhookPayload';
import { signature } from '../../src/helpdesk/webhook/webhookDelivery';
import { Transcript } from '../../src/transcript/Transcript';

const options = { timeZone: 'America/Sao_Paulo', locale: 'pt-BR', emojiShortcodes: true };

function transcript(messages: number, text = 'Olá, tudo bem?'): Transcript {
    const start = Date.parse('2026-11-20T13:00:00Z');
    return {
        header: {
            roomId: 'ROOM123',
            visitor: { name: 'Maria Silva', email: 'maria@cliente.com.br', phone: '+5511999990000', token: 'tok-1' },
            department: 'Vendas',
            agents: ['Ana Souza'],
            startedAt: new Date(start),
            closedAt: new Date(start + 3600000),
            closedBy: 'Ana Souza',
            closeComment: 'Resolvido',
            tags: ['#42', 'vip'],
            topic: 'Boleto',
            customFields: { cpf: '123' },
        },
        entries: Array.from({ length: messages }, (_, i) => ({
            at: new Date(start + i * 1000),
            role: i % 2 ? 'agent' as const : 'visitor' as const,
            name: i % 2 ? 'Ana Souza' : 'Maria Silva',
            text: `${text} #${i}`,
            attachments: i === 1 ? [{ title: 'boleto.pdf', url: 'https://chat.example/file-upload/F1/boleto.pdf', type: 'application/pdf' }] : [],
        })),
    };
}

describe('webhook payload', () => {
    it('carries the room, visitor, agents, references, messages and both transcripts', () => {
        const { body, truncated } = buildWebhookBody(transcript(3), ['42'], options, 1024 * 1024);
        const payload = JSON.parse(body) as WebhookPayload;
        expect(truncated).toBeUndefined();
        expect(payload).toMatchObject({
            type: 'livechat-transcript',
            version: 1,
            room: { id: 'ROOM123', topic: 'Boleto', tags: ['#42', 'vip'], department: 'Vendas', createdAt: '2026-11-20T13:00:00.000Z', closedAt: '2026-11-20T14:00:00.000Z', closedBy: 'Ana Souza', closeComment: 'Resolvido', customFields: { cpf: '123' } },
            visitor: { token: 'tok-1', name: 'Maria Silva', email: 'maria@cliente.com.br', phone: '+5511999990000' },
            agents: ['Ana Souza'],
            references: ['#42'],
        });
        expect(payload.messages).toHaveLength(3);
        expect(payload.messages[1]).toEqual({
            at: '2026-11-20T13:00:01.000Z',
            from: { role: 'agent', name: 'Ana Souza' },
            text: 'Olá, tudo bem? #1',
            attachments: [{ type: 'application/pdf', url: 'https://chat.example/file-upload/F1/boleto.pdf', title: 'boleto.pdf' }],
        });
        expect(payload.transcript.text).toContain('Maria Silva');
        expect(payload.transcript.html).toContain('Ana Souza');
        expect(payload).not.toHaveProperty('truncated');
    });

    it('drops the HTML transcript first when the body is too big', () => {
        const full = buildWebhookBody(transcript(40), [], options, 10 * 1024 * 1024);
        const html = (JSON.parse(full.body) as WebhookPayload).transcript.html!;
        const sized = buildWebhookBody(transcript(40), [], options, full.bytes - utf8Length(JSON.stringify(html)) + 100);
        const payload = JSON.parse(sized.body) as WebhookPayload;
        expect(payload.transcript.html).toBeNull();
        expect(payload.messages).toHaveLength(40);
        expect(payload.truncated).toEqual({ htmlDropped: true, messagesRemoved: 0 });
    });

    it('then cuts messages from the middle with a note, keeping the first and last, within the limit', () => {
        const limit = 16 * 1024;
        const sized = buildWebhookBody(transcript(2000, 'x'.repeat(40)), [], options, limit);
        const payload = JSON.parse(sized.body) as WebhookPayload;
        expect(sized.bytes).toBeLessThanOrEqual(limit);
        expect(sized.bytes).toBe(Buffer.byteLength(sized.body));
        expect(payload.truncated!.htmlDropped).toBe(true);
        expect(payload.truncated!.messagesRemoved).toBeGreaterThan(1000);
        const kept = payload.messages.filter((m) => m.from.name !== 'Ticket Bridge');
        expect(kept.length + payload.truncated!.messagesRemoved).toBe(2000);
        expect(kept[0].text).toContain('#0');
        expect(kept[kept.length - 1].text).toContain('#1999');
        const note = payload.messages.find((m) => m.from.name === 'Ticket Bridge')!;
        expect(note.text).toContain(`${payload.truncated!.messagesRemoved} messages were cut`);
        expect(payload.transcript.text).toContain('messages were cut');
    });

    it('never fails: a limit below the bare header still gives a body', () => {
        const sized = buildWebhookBody(transcript(10), [], options, 10);
        const payload = JSON.parse(sized.body) as WebhookPayload;
        expect(payload.room.id).toBe('ROOM123');
        expect(payload.truncated).toEqual({ htmlDropped: true, messagesRemoved: 10 });
    });

    it('counts UTF-8 bytes like Buffer does', () => {
        for (const text of ['abc', 'ação', '😀 emoji', '漢字', '']) {
            expect(utf8Length(text)).toBe(Buffer.byteLength(text));
        }
    });
});

describe('signature', () => {
    it('is the HMAC-SHA256 of the exact body bytes, hex, prefixed sha256=', () => {
        const body = '{"type":"livechat-transcript","text":"ação 😀"}';
        expect(signature(body, 'segredo')).toBe(`sha256=${createHmac('sha256', 'segredo').update(Buffer.from(body, 'utf8')).digest('hex')}`);
        // RFC 4231 test case 2
        expect(signature('what do ya want for nothing?', 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    });
});
