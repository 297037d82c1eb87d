import {
  buildTranscript,
  createTimeFormatter,
  describeSystemEntry,
  getLabels,
  MessageLike,
  RenderOptions,
  renderHtml,
  renderText,
  resolveLocale,
  RoomLike,
  Transcript,
} from '../../src/transcript';

const SITE = 'https://chat.example.com';
const PT: RenderOptions = { timeZone: 'America/Sao_Paulo', locale: 'pt-BR', emojiShortcodes: true };
const EN: RenderOptions = { ...PT, locale: 'en' };
const ES: RenderOptions = { ...PT, locale: 'es' };

const ROOM: RoomLike = {
  id: 'room-1',
  visitor: { name: 'Maria Souza', username: 'guest-42', token: 'tok', visitorEmails: [{ address: 'maria@example.org' }], phone: [{ phoneNumber: '+55 11 99999-0000' }] },
  department: { name: 'Suporte' },
  servedBy: { username: 'ana', name: 'Ana Lima' },
  createdAt: '2026-01-15T13:00:00Z',
  closedAt: '2026-01-15T13:30:00Z',
  closer: 'user',
  closedBy: { username: 'ana', name: 'Ana Lima' },
  livechatData: { cpf: '123.456.789-00' },
  _unmappedProperties_: { topic: 'Boleto', tags: ['financeiro', 'urgente'] },
};
const V = { username: 'guest-42' };
const A = { username: 'ana', name: 'Ana Lima', type: 'user' };

const MESSAGES: MessageLike[] = [
  { createdAt: '2026-01-15T13:00:00Z', text: '', type: 'livechat-started', sender: V, token: 'tok' },
  { createdAt: '2026-01-15T13:01:00Z', text: 'Preços - https://loja.example.com/precos', type: 'livechat_navigation_history', sender: V, token: 'tok' },
  { createdAt: '2026-01-15T13:02:00Z', text: 'Olá! Posso ajudar?', sender: { username: 'rocket.cat', name: 'Assistente', type: 'bot' } },
  { createdAt: '2026-01-15T13:05:00Z', text: 'Meu boleto venceu\nO que faço?', sender: V, token: 'tok' },
  {
    createdAt: new Date('2026-01-15T13:06:00Z'),
    text: 'Segue a segunda via',
    sender: A,
    attachments: [{ title: { value: 'boleto.pdf', link: '/file-upload/f1/boleto.pdf' }, type: 'file' }],
    file: { _id: 'f1', name: 'boleto.pdf', type: 'application/pdf' },
  },
  { createdAt: '2026-01-15T13:07:00Z', text: '', type: 'livechat_transfer_history', sender: A, transferData: { transferredTo: { username: 'bruno', name: 'Bruno Reis' } } },
  { createdAt: '2026-01-15T13:08:00Z', text: '/ajuda', type: 'command', sender: A },
  { createdAt: '2026-01-15T13:30:00Z', text: 'Segunda via enviada', type: 'livechat-close', sender: A },
];

const transcript = (): Transcript => buildTranscript(ROOM, MESSAGES, { siteUrl: SITE });

describe('createTimeFormatter', () => {
  const instant = new Date('2026-01-15T13:05:00Z');

  it('formats pt-BR and es as dd/MM/yyyy HH:mm, en as yyyy-MM-dd HH:mm, in the zone', () => {
    expect(createTimeFormatter('America/Sao_Paulo', 'pt-BR')(instant)).toBe('15/01/2026 10:05');
    expect(createTimeFormatter('America/Sao_Paulo', 'es')(instant)).toBe('15/01/2026 10:05');
    expect(createTimeFormatter('America/Sao_Paulo', 'en')(instant)).toBe('2026-01-15 10:05');
    expect(createTimeFormatter('UTC', 'pt-BR')(instant)).toBe('15/01/2026 13:05');
    expect(createTimeFormatter('Asia/Kathmandu', 'pt-BR')(instant)).toBe('15/01/2026 18:50');
    // day change across the zone
    expect(createTimeFormatter('America/Sao_Paulo', 'pt-BR')(new Date('2026-01-01T01:30:00Z'))).toBe('31/12/2025 22:30');
  });

  it('uses a 24-hour clock, midnight as 00', () => {
    const f = createTimeFormatter('America/Sao_Paulo', 'en');
    expect(f(new Date('2026-01-15T03:00:00Z'))).toBe('2026-01-15 00:00');
    expect(f(new Date('2026-01-15T20:59:00Z'))).toBe('2026-01-15 17:59');
  });

  it('falls back to UTC for an invalid zone and says so once', () => {
    const told: string[] = [];
    const f = createTimeFormatter('Mars/Olympus_Mons', 'pt-BR', (z) => told.push(z));
    expect(f(instant)).toBe('15/01/2026 13:05');
    expect(f(instant)).toBe('15/01/2026 13:05');
    expect(told).toEqual(['Mars/Olympus_Mons']);
    const silent: string[] = [];
    expect(createTimeFormatter('  ', 'pt-BR', (z) => silent.push(z))(instant)).toBe('15/01/2026 13:05');
    expect(silent).toEqual([]);
  });

  it('follows DST changes, including ones inside a UTC hour', () => {
    const ny = createTimeFormatter('America/New_York', 'en');
    expect(ny(new Date('2026-03-08T06:59:00Z'))).toBe('2026-03-08 01:59');
    expect(ny(new Date('2026-03-08T07:00:00Z'))).toBe('2026-03-08 03:00');
    // Lord Howe (+10:30) springs forward by 30 minutes at 02:00 local = 15:30 UTC, mid-hour
    const lh = createTimeFormatter('Australia/Lord_Howe', 'en');
    expect(lh(new Date('2026-10-03T15:00:00Z'))).toBe('2026-10-04 01:30');
    expect(lh(new Date('2026-10-03T15:29:00Z'))).toBe('2026-10-04 01:59');
    expect(lh(new Date('2026-10-03T15:31:00Z'))).toBe('2026-10-04 02:31');
    expect(lh(new Date('2026-10-03T15:59:00Z'))).toBe('2026-10-04 02:59');
  });

  it('agrees with Intl for many instants in several zones', () => {
    const zones = ['America/Sao_Paulo', 'America/New_York', 'Europe/Lisbon', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const zone of zones) {
      const f = createTimeFormatter(zone, 'en');
      const ref = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as Intl.DateTimeFormatOptions);
      for (let i = 0; i < 400; i++) {
        const d = new Date(Date.UTC(2000, 0, 1) + Math.floor(rand() * 40 * 365 * 86400) * 1000);
        const p: Record<string, string> = {};
        for (const part of ref.formatToParts(d)) p[part.type] = part.value;
        expect(`${zone} ${f(d)}`).toBe(`${zone} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
      }
    }
  });

  it('returns an empty string for an invalid date', () => {
    expect(createTimeFormatter('UTC', 'en')(new Date(NaN))).toBe('');
  });
});

describe('labels', () => {
  it('resolves locales exactly, then by language, else en', () => {
    expect(resolveLocale('pt-BR')).toBe('pt-BR');
    expect(resolveLocale('pt_br')).toBe('pt-BR');
    expect(resolveLocale('pt')).toBe('pt-BR');
    expect(resolveLocale('pt-PT')).toBe('pt-BR');
    expect(resolveLocale('es-MX')).toBe('es');
    expect(resolveLocale('en-GB')).toBe('en');
    expect(resolveLocale('fr')).toBe('en');
    expect(resolveLocale('')).toBe('en');
    expect(resolveLocale('__proto__')).toBe('en');
    expect(getLabels('de').agents).toBe('Agent(s)');
  });

  it('describes system events in each language', () => {
    const pt = getLabels('pt-BR');
    expect(describeSystemEntry(pt, { systemType: 'livechat_transfer_history', text: '', transferredTo: 'Bruno' })).toBe('Conversa transferida para Bruno');
    expect(describeSystemEntry(pt, { systemType: 'livechat_transfer_history', text: 'motivo' })).toBe('Conversa transferida: motivo');
    expect(describeSystemEntry(pt, { systemType: 'livechat-close', text: 'comentário' })).toBe('Conversa encerrada');
    expect(describeSystemEntry(pt, { systemType: 'livechat_navigation_history', text: 'Home - https://x' })).toBe('Visitou Home - https://x');
    expect(describeSystemEntry(pt, { systemType: 'livechat_video_call', text: '' })).toBe('Chamada de vídeo');
    expect(describeSystemEntry(pt, { systemType: 'uj', text: 'ana' })).toBe('Entrou na sala');
    expect(describeSystemEntry(pt, { systemType: 'command', text: '/x' })).toBe('Evento do sistema (command): /x');
    expect(describeSystemEntry(getLabels('en'), { systemType: 'livechat-started', text: '' })).toBe('Chat started');
    expect(describeSystemEntry(getLabels('es'), { systemType: 'livechat_transfer_history', text: '', transferredTo: 'Bruno' })).toBe('Conversación transferida a Bruno');
    expect(describeSystemEntry(getLabels('es'), { systemType: 'au', text: '' })).toBe('Evento del sistema (au)');
  });
});

describe('renderText', () => {
  it('renders the header and every entry in pt-BR, São Paulo time', () => {
    expect(renderText(transcript(), PT)).toBe(
      [
        'ID da conversa: room-1',
        'Visitante: Maria Souza',
        'E-mail: maria@example.org',
        'Telefone: +55 11 99999-0000',
        'Departamento: Suporte',
        'Atendente(s): Ana Lima',
        'Iniciado em: 15/01/2026 10:00',
        'Encerrado em: 15/01/2026 10:30',
        'Encerrado por: Atendente Ana Lima',
        'Comentário de encerramento: Segunda via enviada',
        'Assunto: Boleto',
        'Etiquetas: financeiro, urgente',
        'Campos personalizados:',
        '  cpf: 123.456.789-00',
        '',
        '--- Conversa ---',
        '[15/01/2026 10:00] * Conversa iniciada (Maria Souza)',
        '[15/01/2026 10:01] * Visitou Preços - https://loja.example.com/precos (Maria Souza)',
        '[15/01/2026 10:02] Assistente (bot): Olá! Posso ajudar?',
        '[15/01/2026 10:05] Maria Souza (visitante): Meu boleto venceu',
        '    O que faço?',
        '[15/01/2026 10:06] Ana Lima (atendente): Segunda via',
        '    boleto.pdf: https://chat.example.com/file-upload/f1/boleto.pdf',
        '[15/01/2026 10:07] * Conversa transferida para Bruno Reis (Ana Lima)',
        '[15/01/2026 10:08] * Evento do sistema (command): /ajuda (Ana Lima)',
        '[15/01/2026 10:30] * Conversa encerrada (Ana Lima)',
        '',
      ].join('\n').replace('Segunda via\n', 'Segue a segunda via\n'),
    );
  });

  it('renders en and es labels and formats', () => {
    const en = renderText(transcript(), EN);
    expect(en).toContain('Agent(s): Ana Lima\nStarted at: 2026-01-15 10:00\n');
    expect(en).toContain('Closed by: Agent Ana Lima\nClosing comment: Segunda via enviada\n');
    expect(en).toContain('[2026-01-15 10:05] Maria Souza (visitor): Meu boleto venceu\n');
    expect(en).toContain('[2026-01-15 10:07] * Chat transferred to Bruno Reis (Ana Lima)\n');
    const es = renderText(transcript(), ES);
    expect(es).toContain('Agente(s): Ana Lima\nIniciada el: 15/01/2026 10:00\n');
    expect(es).toContain('Cerrada por: Agente Ana Lima\nComentario de cierre: Segunda via enviada\n');
    expect(es).toContain('[15/01/2026 10:06] Ana Lima (agente): Segue a segunda via\n');
    expect(es).toContain('* Conversación cerrada (Ana Lima)\n');
  });

  it('shows a visitor close, and an empty room', () => {
    const t = buildTranscript({ id: 'r0', visitor: { name: 'Zé', username: 'g' }, closer: 'visitor' }, [], { siteUrl: SITE });
    const text = renderText(t, PT);
    expect(text).toBe('ID da conversa: r0\nVisitante: Zé\nEncerrado por: Visitante\n\n--- Conversa ---\n(nenhuma mensagem)\n');
    expect(renderText(t, EN)).toContain('(no messages)');
    expect(renderHtml(t, PT)).toContain('(nenhuma mensagem)');
  });

  it('renders times in UTC when the zone is invalid, telling the caller', () => {
    const told: string[] = [];
    const text = renderText(transcript(), { ...PT, timeZone: 'Nowhere/Land', onInvalidZone: (z) => told.push(z) });
    expect(text).toContain('[15/01/2026 13:05] Maria Souza (visitante)');
    expect(told).toEqual(['Nowhere/Land']);
  });

  it('removes control characters (NUL breaks PostgreSQL) but keeps tabs and newlines', () => {
    const t = buildTranscript(ROOM, [{ createdAt: '2026-01-15T13:05:00Z', text: 'a\u0000b\u0007c\td', sender: V, token: 'tok' }], { siteUrl: SITE });
    expect(renderText(t, PT)).toContain('(visitante): abc\td\n');
    expect(renderHtml(t, PT)).toContain('abc\td</div>');
  });
});

describe('emoji shortcodes', () => {
  const withEmoji = (): Transcript =>
    buildTranscript(
      { ...ROOM, visitor: { name: 'Maria \u{1F600}', username: 'guest-42' }, livechatData: { 'humor \u{1F44D}': 'ok \u{1F1E7}\u{1F1F7}' } },
      [{
        createdAt: '2026-01-15T13:05:00Z',
        text: 'Oi \u{1F600} tudo bem? \u2764\uFE0F',
        sender: V,
        token: 'tok',
        attachments: [{ title: { value: 'foto \u{1F4F7}.png', link: '/file-upload/x/foto \u{1F4F7}.png' } }],
      }],
      { siteUrl: SITE },
    );
  const astral = /[\uD800-\uDFFF]/;

  it('turns 4-byte emoji into shortcodes everywhere when on', () => {
    for (const out of [renderText(withEmoji(), PT), renderHtml(withEmoji(), PT)]) {
      expect(out).not.toMatch(astral);
      expect(out).toContain('Oi :grinning: tudo bem? \u2764\uFE0F'); // BMP emoji are kept (3 bytes)
      expect(out).toContain('Maria :grinning:');
      expect(out).toContain('humor :thumbsup:');
      expect(out).toContain('ok :flag_br:');
      expect(out).toContain('foto :camera:.png');
      expect(out).toContain('https://chat.example.com/file-upload/x/foto%20%F0%9F%93%B7.png');
    }
  });

  it('keeps emoji when off', () => {
    const off = { ...PT, emojiShortcodes: false };
    const text = renderText(withEmoji(), off);
    expect(text).toContain('Oi \u{1F600} tudo bem?');
    expect(text).toContain('Maria \u{1F600}');
    expect(renderHtml(withEmoji(), off)).toContain('Oi \u{1F600} tudo bem?');
    expect(text).not.toContain(':grinning:');
  });
});

describe('renderHtml: safety', () => {
  const ALLOWED_TAGS = new Set(['div', 'table', 'tr', 'th', 'td', 'span', 'strong', 'a', 'br']);
  const ALLOWED_ATTRS = new Set(['style', 'href', 'colspan', 'cellpadding', 'cellspacing', 'border']);

  /** Every tag of the output is one the renderer writes, with only its own attributes. */
  function assertOnlyOwnMarkup(html: string): void {
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      const m = /^<\/?([a-z]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>$/.exec(tag);
      expect(m).not.toBeNull();
      if (!m) continue;
      expect(ALLOWED_TAGS.has(m[1])).toBe(true);
      for (const attr of m[2].match(/[a-z-]+(?==")/g) ?? []) expect(ALLOWED_ATTRS.has(attr)).toBe(true);
      const href = /href="([^"]*)"/.exec(tag);
      if (href) expect(href[1]).toMatch(/^https?:\/\/[^\s]+$/);
    }
  }

  const hostileRoom: RoomLike = {
    ...ROOM,
    visitor: { name: '<b>Bob</b>', username: 'guest-42', visitorEmails: [{ address: '"><script>alert(1)</script>' }] },
    department: { name: "x' onmouseover='alert(1)" },
    livechatData: { '<img src=x onerror=alert(1)>': '"><svg onload=alert(1)>' },
    _unmappedProperties_: { topic: '<iframe src="javascript:alert(1)">', tags: ['<b>t</b>'] },
  };
  const hostileMessages: MessageLike[] = [
    { createdAt: '2026-01-15T13:05:00Z', text: '<script>alert(1)</script>', sender: V, token: 'tok' },
    { createdAt: '2026-01-15T13:06:00Z', text: '"><img src=x onerror=alert(1)>', sender: { username: 'evil', name: '<b>Agent</b><script>x</script>' } },
    {
      createdAt: '2026-01-15T13:07:00Z',
      text: "it's & <ok>",
      sender: A,
      attachments: [
        { title: { value: '<img src=x onerror=alert(1)>', link: 'javascript:alert(1)' } },
        { title: { value: 'pdf"onclick="alert(1)', link: '/file-upload/a/b" onclick="alert(1).pdf' } },
        { title: { value: 'data', link: 'data:text/html,<script>alert(1)</script>' } },
      ],
    },
    { createdAt: '2026-01-15T13:08:00Z', text: '<a href="javascript:alert(1)">x</a>', type: 'livechat_navigation_history', sender: V, token: 'tok' },
    { createdAt: '2026-01-15T13:09:00Z', text: '</div></td></tr></table><script>alert(2)</script>', type: 'livechat-close', sender: A },
  ];

  it('lets no tag, attribute or URL injection through', () => {
    const html = renderHtml(buildTranscript(hostileRoom, hostileMessages, { siteUrl: SITE }), PT);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg|<iframe|<b>/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/href="data:/i);
    expect(html).not.toMatch(/\son[a-z]+="/i); // no event handler attribute
    assertOnlyOwnMarkup(html);
    // the hostile text is still there, readable and inert
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(html).toContain('it&#39;s &amp; &lt;ok&gt;');
    expect(html).toContain('x&#39; onmouseover=&#39;alert(1)');
    expect(html).toContain('&lt;/div&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;');
    // a javascript: attachment is listed by its (escaped) title, unlinked
    expect(html).toContain('<div style="margin:2px 0 0 16px;">&lt;img src=x onerror=alert(1)&gt;</div>');
    // a quote in a relative link is percent-encoded, in the title escaped
    expect(html).toContain('<a href="https://chat.example.com/file-upload/a/b%22%20onclick=%22alert(1).pdf">pdf&quot;onclick=&quot;alert(1)</a>');
  });

  it('does not link unsafe URLs even in a transcript built elsewhere', () => {
    const t: Transcript = {
      header: { roomId: 'r', visitor: { name: 'v' }, agents: [], tags: [], customFields: {} },
      entries: [{
        at: new Date('2026-01-15T13:05:00Z'),
        role: 'agent',
        name: 'a',
        text: 'x',
        attachments: [
          { title: 't1', url: 'javascript:alert(1)' },
          { title: 't2', url: ' https://x.example/a' },
          { title: 't3', url: 'https://x.example/a" onclick="alert(1)' },
          { title: 't4', url: 'data:text/html,hi' },
          { title: 't5', url: 'https://ok.example/a?b=1&c=2' },
        ],
      }],
    };
    const html = renderHtml(t, PT);
    expect(html).not.toMatch(/href="(?!https:\/\/ok\.example)/);
    expect(html).toContain('<a href="https://ok.example/a?b=1&amp;c=2">t5</a>');
    for (const title of ['t1', 't2', 't3', 't4']) expect(html).toContain(`<div style="margin:2px 0 0 16px;">${title}</div>`);
    assertOnlyOwnMarkup(html);
  });

  it('renders newlines as <br> and keeps the structure readable', () => {
    const html = renderHtml(transcript(), PT);
    expect(html).toContain('Meu boleto venceu<br>O que faço?');
    expect(html).toContain('<a href="https://chat.example.com/file-upload/f1/boleto.pdf">boleto.pdf</a>');
    expect(html).toContain('<th style="padding:2px 12px 2px 0;text-align:left;vertical-align:top;white-space:nowrap;font-weight:bold;">Encerrado por</th><td style="padding:2px 0;vertical-align:top;">Atendente Ana Lima</td>');
    expect(html).toContain('[15/01/2026 10:07]</span> Conversa transferida para Bruno Reis (Ana Lima)</div>');
    expect(html).not.toMatch(/<style/i);
    expect(html.startsWith('<div style=')).toBe(true);
    expect(html.trim().endsWith('</div>')).toBe(true);
    // balanced divs
    expect((html.match(/<div/g) ?? []).length).toBe((html.match(/<\/div>/g) ?? []).length);
    assertOnlyOwnMarkup(html);
  });
});

describe('large input', () => {
  it('renders a very long text whole, in both forms', () => {
    const long = '<x>'.repeat(200_000);
    const lines = Array.from({ length: 5000 }, (_, i) => `linha ${i}`).join('\n');
    const t = buildTranscript(ROOM, [
      { createdAt: '2026-01-15T13:05:00Z', text: long, sender: V, token: 'tok' },
      { createdAt: '2026-01-15T13:06:00Z', text: lines, sender: A },
    ], { siteUrl: SITE });
    const text = renderText(t, PT);
    expect(text).toContain(long);
    expect(text).toContain('    linha 4999\n');
    const html = renderHtml(t, PT);
    expect(html).toContain('&lt;x&gt;'.repeat(200_000));
    expect(html.split('<br>').length).toBe(5000);
  });

  it('renders 20,000 messages with one line each, oldest first', () => {
    const msgs: MessageLike[] = [];
    const start = Date.UTC(2026, 0, 15, 13, 0);
    for (let i = 0; i < 20_000; i++) {
      msgs.push(i % 2 === 0
        ? { createdAt: new Date(start + i * 30_000), text: `v${i}`, sender: V, token: 'tok' }
        : { createdAt: new Date(start + i * 30_000), text: `a${i}`, sender: A });
    }
    const t = buildTranscript(ROOM, msgs, { siteUrl: SITE });
    const text = renderText(t, PT);
    const entryLines = text.split('\n').filter((l) => l.startsWith('['));
    expect(entryLines).toHaveLength(20_000);
    expect(entryLines[0]).toBe('[15/01/2026 10:00] Maria Souza (visitante): v0');
    expect(entryLines[19_999]).toBe('[22/01/2026 08:39] Ana Lima (atendente): a19999');
    expect((renderHtml(t, PT).match(/<div style="margin:0 0 6px 0;">/g) ?? []).length).toBe(20_000);
  });
});
