import { absoluteUrl, buildTranscript, MessageLike, RoomLike, toDate } from '../../src/transcript';

const SITE = 'https://chat.example.com';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function room(extra: Partial<RoomLike> = {}): RoomLike {
  return {
    id: 'room-1',
    visitor: {
      name: 'Maria Souza',
      username: 'guest-42',
      token: 'tok-42',
      visitorEmails: [{ address: 'maria@example.org' }],
      phone: [{ phoneNumber: '+55 11 99999-0000' }],
    },
    department: { id: 'dep-1', name: 'Suporte' },
    servedBy: { _id: 'u-ana', username: 'ana', name: 'Ana Lima' },
    createdAt: new Date('2026-01-15T13:00:00Z'),
    closedAt: '2026-01-15T13:30:00.000Z',
    livechatData: { cpf: '123.456.789-00', plan: 3, vip: true, nothing: null, extra: { a: 1 } },
    _unmappedProperties_: { topic: 'Boleto #123', tags: ['financeiro', '#456', '', 'financeiro'] },
    ...extra,
  };
}

let seq = 0;
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 13, minute)).toISOString();
const visitorMsg = (text: string, minute: number, extra: Partial<MessageLike> = {}): MessageLike => ({
  id: `m${++seq}`,
  createdAt: at(minute),
  text,
  token: 'tok-42',
  sender: { id: 'v1', username: 'guest-42', type: 'unknown' },
  ...extra,
});
const agentMsg = (text: string, minute: number, who = 'ana', name = 'Ana Lima', extra: Partial<MessageLike> = {}): MessageLike => ({
  id: `m${++seq}`,
  createdAt: new Date(at(minute)),
  text,
  sender: { id: `u-${who}`, username: who, name, type: 'user', roles: ['user', 'livechat-agent'] },
  ...extra,
});

describe('buildTranscript: roles', () => {
  it('classifies visitor, agent, bot and system messages', () => {
    const t = buildTranscript(
      room(),
      [
        visitorMsg('Olá', 1),
        // no token, but the visitor's username: still the visitor, named from the room
        { createdAt: at(2), text: 'sem token', sender: { username: 'guest-42' } },
        { createdAt: at(3), text: 'Sou o bot', sender: { username: 'rocket.cat', name: 'Rocket Cat', type: 'bot' } },
        { createdAt: at(4), text: 'App falando', sender: { username: 'app.x', name: 'App X', type: 'app' } },
        { createdAt: at(5), text: 'Role bot', sender: { username: 'botty', name: 'Botty', type: 'user', roles: ['bot'] } },
        agentMsg('Bom dia', 6),
        { createdAt: at(7), text: '', type: 'uj', sender: { username: 'ana', name: 'Ana Lima', type: 'user' } },
        { createdAt: at(8), text: 'x', _unmappedProperties_: { t: 'command' }, sender: { username: 'ana', type: 'user' } },
        { createdAt: at(9), text: 'y', t: 'livechat-started', sender: { username: 'guest-42' }, token: 'tok-42' },
      ],
      { siteUrl: SITE },
    );
    expect(t.entries.map((e) => e.role)).toEqual([
      'visitor', 'visitor', 'bot', 'bot', 'bot', 'agent', 'system', 'system', 'system',
    ]);
    expect(t.entries.map((e) => e.name)).toEqual([
      'Maria Souza', 'Maria Souza', 'Rocket Cat', 'App X', 'Botty', 'Ana Lima', 'Ana Lima', 'ana', 'Maria Souza',
    ]);
    expect(t.entries.map((e) => e.systemType)).toEqual([
      undefined, undefined, undefined, undefined, undefined, undefined, 'uj', 'command', 'livechat-started',
    ]);
  });

  it('a system message with the visitor token is a system entry, not a visitor line', () => {
    const t = buildTranscript(room(), [
      visitorMsg('Preços - https://shop.example.com/precos', 1, { type: 'livechat_navigation_history' }),
    ], { siteUrl: SITE });
    expect(t.entries[0]).toMatchObject({
      role: 'system',
      systemType: 'livechat_navigation_history',
      text: 'Preços - https://shop.example.com/precos',
      name: 'Maria Souza',
    });
  });

  it('uses the alias of a message as the shown name', () => {
    const t = buildTranscript(room(), [
      { createdAt: at(1), text: 'hi', alias: 'Assistente', sender: { username: 'rocket.cat', type: 'bot' } },
    ], { siteUrl: SITE });
    expect(t.entries[0].name).toBe('Assistente');
  });
});

describe('buildTranscript: system notes and closing', () => {
  it('takes the close comment from livechat-close, and who closed from the close message', () => {
    const t = buildTranscript(room(), [
      visitorMsg('Oi', 1),
      agentMsg('Resolvido', 2),
      agentMsg('  Cliente orientado sobre o boleto  ', 3, 'ana', 'Ana Lima', { type: 'livechat-close' }),
    ], { siteUrl: SITE });
    expect(t.header.closeComment).toBe('Cliente orientado sobre o boleto');
    const last = t.entries[2];
    expect(last).toMatchObject({ role: 'system', systemType: 'livechat-close', name: 'Ana Lima' });
    expect(t.header.closedBy).toBe('agent Ana Lima');
    expect(t.header.closedByRole).toBe('agent');
    expect(t.header.closedByName).toBe('Ana Lima');
  });

  it('a visitor close (token on the close message) is closed by the visitor', () => {
    const t = buildTranscript(room(), [
      visitorMsg('tchau', 1),
      visitorMsg('', 2, { _unmappedProperties_: { t: 'livechat-close' } }),
    ], { siteUrl: SITE });
    expect(t.header.closedBy).toBe('visitor');
    expect(t.header.closedByRole).toBe('visitor');
    expect(t.header.closeComment).toBeUndefined();
    expect(t.entries[1].role).toBe('system');
  });

  it('prefers the room closer/closedBy (engine 1.45+, or unmapped) over the close message', () => {
    const msgs = [agentMsg('fim', 1, 'bruno', 'Bruno', { type: 'livechat-close' })];
    expect(buildTranscript(room({ closer: 'user', closedBy: { username: 'carla', name: 'Carla' } }), msgs, { siteUrl: SITE })
      .header.closedBy).toBe('agent Carla');
    expect(buildTranscript(room({ closer: 'visitor', closedBy: { username: 'guest-42' } }), msgs, { siteUrl: SITE })
      .header.closedBy).toBe('visitor');
    const unmapped = room({ _unmappedProperties_: { closer: 'user', closedBy: { username: 'dani', name: 'Dani' } } });
    expect(buildTranscript(unmapped, msgs, { siteUrl: SITE }).header.closedBy).toBe('agent Dani');
    // closer 'user' without closedBy: the close message's sender names the agent
    expect(buildTranscript(room({ closer: 'user' }), msgs, { siteUrl: SITE }).header.closedBy).toBe('agent Bruno');
  });

  it('leaves closedBy undefined when nothing says who closed', () => {
    const t = buildTranscript(room(), [visitorMsg('oi', 1)], { siteUrl: SITE });
    expect(t.header.closedBy).toBeUndefined();
    expect(t.header.closedByRole).toBeUndefined();
  });

  it('reads the transfer target and comment from transferData (mapped or unmapped)', () => {
    const t = buildTranscript(room(), [
      agentMsg('', 1, 'ana', 'Ana Lima', {
        type: 'livechat_transfer_history',
        _unmappedProperties_: {
          transferData: { scope: 'agent', transferredTo: { username: 'bruno', name: 'Bruno Reis' }, comment: 'pediu financeiro' },
        },
      }),
      agentMsg('', 2, 'bruno', 'Bruno Reis', {
        type: 'livechat_transfer_history',
        transferData: { scope: 'department', nextDepartment: { _id: 'd2', name: 'Financeiro' } },
      }),
      agentMsg('', 3, 'bruno', 'Bruno Reis', { type: 'livechat_transfer_history' }),
    ], { siteUrl: SITE });
    expect(t.entries[0]).toMatchObject({ systemType: 'livechat_transfer_history', transferredTo: 'Bruno Reis', text: 'pediu financeiro' });
    expect(t.entries[1]).toMatchObject({ transferredTo: 'Financeiro', text: '' });
    expect(t.entries[2].transferredTo).toBeUndefined();
    // system entries do not make their sender an agent of the room
    expect(t.header.agents).toEqual(['Ana Lima']);
  });
});

describe('buildTranscript: header', () => {
  it('fills the header from the room', () => {
    const t = buildTranscript(room(), [], { siteUrl: SITE });
    expect(t.header).toEqual({
      roomId: 'room-1',
      visitor: { name: 'Maria Souza', email: 'maria@example.org', phone: '+55 11 99999-0000', token: 'tok-42' },
      department: 'Suporte',
      agents: ['Ana Lima'],
      startedAt: new Date('2026-01-15T13:00:00Z'),
      closedAt: new Date('2026-01-15T13:30:00Z'),
      topic: 'Boleto #123',
      tags: ['financeiro', '#456'],
      customFields: { cpf: '123.456.789-00', plan: '3', vip: 'true', extra: '{"a":1}' },
    });
  });

  it('copes with a bare room', () => {
    const t = buildTranscript({ id: 'r' }, [], { siteUrl: '' });
    expect(t).toEqual({ header: { roomId: 'r', visitor: { name: '' }, agents: [], tags: [], customFields: {} }, entries: [] });
  });

  it('takes topic and tags mapped on the room when present, the channel phone when the visitor has none', () => {
    const t = buildTranscript(
      room({ topic: 'Direto', tags: ['a'], visitor: { name: 'X', username: 'guest-1' }, visitorChannelInfo: { phone: '+1 555' } }),
      [],
      { siteUrl: SITE },
    );
    expect(t.header.topic).toBe('Direto');
    expect(t.header.tags).toEqual(['a']);
    expect(t.header.visitor.phone).toBe('+1 555');
    expect(t.header.visitor.email).toBeUndefined();
  });

  it('starts at the first message when the room has no createdAt', () => {
    const t = buildTranscript({ id: 'r' }, [visitorMsg('a', 7)], { siteUrl: SITE });
    expect(t.header.startedAt?.toISOString()).toBe('2026-01-15T13:07:00.000Z');
  });

  it('lists servedBy and every agent who wrote, deduplicated, in order of first appearance', () => {
    const t = buildTranscript(room({ servedBy: { username: 'carla', name: 'Carla Dias' } }), [
      visitorMsg('oi', 1),
      agentMsg('a', 2, 'bruno', 'Bruno Reis'),
      { createdAt: at(3), text: 'bot', sender: { username: 'rocket.cat', name: 'Rocket Cat', type: 'bot' } },
      agentMsg('b', 4, 'ana', 'Ana Lima'),
      agentMsg('c', 5, 'bruno', 'Bruno Reis'),
      agentMsg('d', 6, 'carla', 'Carla Dias'),
      agentMsg('e', 7, 'ana', 'Ana Lima'),
    ], { siteUrl: SITE });
    expect(t.header.agents).toEqual(['Bruno Reis', 'Ana Lima', 'Carla Dias']);

    const t2 = buildTranscript(room({ servedBy: { username: 'carla', name: 'Carla Dias' } }), [agentMsg('a', 1, 'ana', 'Ana Lima')], { siteUrl: SITE });
    expect(t2.header.agents).toEqual(['Ana Lima', 'Carla Dias']);
    // an agent without a name is listed by username
    const t3 = buildTranscript({ id: 'r' }, [{ createdAt: at(1), text: 'x', sender: { username: 'zé' } }], { siteUrl: SITE });
    expect(t3.header.agents).toEqual(['zé']);
  });
});

describe('buildTranscript: attachments', () => {
  it('makes upload links absolute with exactly one slash', () => {
    const upload = (link: string): MessageLike =>
      visitorMsg('', 1, {
        file: { _id: 'f1', name: 'contrato.pdf', type: 'application/pdf' },
        attachments: [{ title: { value: 'contrato.pdf', link }, type: 'file', description: 'segue o contrato' }],
      });
    for (const [site, link] of [
      ['https://chat.example.com', '/file-upload/f1/contrato.pdf'],
      ['https://chat.example.com/', '/file-upload/f1/contrato.pdf'],
      ['https://chat.example.com//', 'file-upload/f1/contrato.pdf'],
      ['https://chat.example.com', 'file-upload/f1/contrato.pdf'],
    ]) {
      const t = buildTranscript(room(), [upload(link)], { siteUrl: site });
      expect(t.entries[0].attachments).toEqual([
        { title: 'contrato.pdf', url: 'https://chat.example.com/file-upload/f1/contrato.pdf', type: 'application/pdf' },
      ]);
      // the upload's caption becomes the text
      expect(t.entries[0].text).toBe('segue o contrato');
    }
    const sub = buildTranscript(room(), [upload('/file-upload/f1/contrato.pdf')], { siteUrl: 'https://example.com/chat/' });
    expect(sub.entries[0].attachments[0].url).toBe('https://example.com/chat/file-upload/f1/contrato.pdf');
  });

  it('keeps absolute http(s) links, drops other schemes to title only', () => {
    const t = buildTranscript(room(), [
      agentMsg('', 1, 'ana', 'Ana', {
        attachments: [
          { title: { value: 'foto', link: 'https://cdn.example.net/a.png' }, imageUrl: '/ignored.png', imageType: 'image/png' },
          { title: { value: 'xss', link: 'javascript:alert(1)' } },
          { title: { value: 'xss2', link: '  JaVaScRiPt:alert(1)' } },
          { title: { value: 'xss3', link: 'java\nscript:alert(1)' } },
          { title: { value: 'dados', link: 'data:text/html;base64,PHNjcmlwdD4=' } },
          { title: { value: 'arquivo', link: 'file:///etc/passwd' } },
          { title: { value: 'relativo-protocolo', link: '//cdn.example.net/b.png' } },
          { imageUrl: '/file-upload/i1/img.jpg', imageType: 'image/jpeg' },
          { text: 'a quoted message, no file' },
        ],
      }),
    ], { siteUrl: SITE });
    expect(t.entries[0].attachments).toEqual([
      { title: 'foto', url: 'https://cdn.example.net/a.png', type: 'image/png' },
      { title: 'xss' },
      { title: 'xss2' },
      { title: 'xss3' },
      { title: 'dados' },
      { title: 'arquivo' },
      { title: 'relativo-protocolo', url: 'https://cdn.example.net/b.png' },
      { title: '', url: 'https://chat.example.com/file-upload/i1/img.jpg', type: 'image/jpeg' },
    ]);
  });

  it('lists a file without attachments, and relative links without a Site_Url by title only', () => {
    const msg = visitorMsg('', 1, { file: { _id: 'f9', name: 'nota fiscal.pdf', type: 'application/pdf' } });
    expect(buildTranscript(room(), [msg], { siteUrl: SITE }).entries[0].attachments).toEqual([
      { title: 'nota fiscal.pdf', url: 'https://chat.example.com/file-upload/f9/nota%20fiscal.pdf', type: 'application/pdf' },
    ]);
    expect(buildTranscript(room(), [msg], { siteUrl: '' }).entries[0].attachments).toEqual([
      { title: 'nota fiscal.pdf', type: 'application/pdf' },
    ]);
    expect(buildTranscript(room(), [msg], { siteUrl: 'ftp://x' }).entries[0].attachments[0].url).toBeUndefined();
  });

  it('percent-encodes characters that could break out of a URL', () => {
    expect(absoluteUrl('/file-upload/x/a b"<c>\'.png', SITE)).toBe('https://chat.example.com/file-upload/x/a%20b%22%3Cc%3E%27.png');
    expect(absoluteUrl('/f/\u{1F600}.png', SITE)).toBe('https://chat.example.com/f/%F0%9F%98%80.png');
    expect(absoluteUrl('/f/\uD800.png', SITE)).toBe('https://chat.example.com/f/%EF%BF%BD.png');
    expect(absoluteUrl('https:/no-host', SITE)).toBeUndefined();
    expect(absoluteUrl('   ', SITE)).toBeUndefined();
    expect(absoluteUrl('\u0001javascript:alert(1)', SITE)).toBeUndefined();
  });
});

describe('buildTranscript: dates and order', () => {
  it('accepts Dates, ISO strings, epoch numbers and Dates of another realm', () => {
    const foreignDate = { getTime: () => Date.UTC(2026, 0, 15, 13, 4), toISOString: () => 'ignored' };
    const t = buildTranscript(room(), [
      visitorMsg('a', 0, { createdAt: new Date(Date.UTC(2026, 0, 15, 13, 1)) }),
      visitorMsg('b', 0, { createdAt: '2026-01-15T13:02:00.000Z' }),
      visitorMsg('c', 0, { createdAt: Date.UTC(2026, 0, 15, 13, 3) }),
      visitorMsg('d', 0, { createdAt: foreignDate as unknown as Date }),
    ], { siteUrl: SITE });
    expect(t.entries.map((e) => e.at.toISOString())).toEqual([
      '2026-01-15T13:01:00.000Z', '2026-01-15T13:02:00.000Z', '2026-01-15T13:03:00.000Z', '2026-01-15T13:04:00.000Z',
    ]);
    for (const e of t.entries) expect(e.at).toBeInstanceOf(Date);
    expect(toDate('not a date')).toBeUndefined();
    expect(toDate({ $date: '2026-01-15T13:00:00Z' })?.toISOString()).toBe('2026-01-15T13:00:00.000Z');
  });

  it('gives a message without a valid date the time of the one before it', () => {
    const t = buildTranscript(room(), [
      visitorMsg('a', 5),
      visitorMsg('b', 0, { createdAt: 'garbage' }),
      visitorMsg('c', 0, { createdAt: undefined }),
    ], { siteUrl: SITE });
    expect(t.entries.map((e) => e.at.toISOString())).toEqual(Array(3).fill('2026-01-15T13:05:00.000Z'));
  });

  it('sorts oldest first when the input is not, keeping the order of equal times', () => {
    const t = buildTranscript(room(), [visitorMsg('c', 3), visitorMsg('a', 1), visitorMsg('b1', 2), visitorMsg('b2', 2)], { siteUrl: SITE });
    expect(t.entries.map((e) => e.text)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('does not modify its inputs (deep-frozen, like engine payloads)', () => {
    const r = deepFreeze(room());
    const msgs = deepFreeze([visitorMsg('b', 2), visitorMsg('a', 1, { attachments: [{ title: { value: 'x', link: '/y' } }] })]);
    expect(() => buildTranscript(r, msgs, { siteUrl: SITE })).not.toThrow();
    expect(buildTranscript(r, msgs, { siteUrl: SITE }).entries.map((e) => e.text)).toEqual(['a', 'b']);
  });

  it('keeps very long texts whole and skips holes in the message list', () => {
    const long = 'x'.repeat(1_000_000);
    const msgs = [visitorMsg(long, 1), null as unknown as MessageLike, agentMsg('ok', 2)];
    const t = buildTranscript(room(), msgs, { siteUrl: SITE });
    expect(t.entries).toHaveLength(2);
    expect(t.entries[0].text).toHaveLength(1_000_000);
  });
});
