import { emojiToShortcodes, shortcodesToUnicode } from '../../src/lib/emoji/emoji';

// The raw data the table is generated from, to check the generated table against it.
// (require: the package's .d.ts files import types from `emojibase`, which is not installed.)
const joypixels: Record<string, string | string[]> = require('emojibase-data/en/shortcodes/joypixels.json');
const compact: Array<{ hexcode: string; unicode: string; skins?: Array<{ hexcode: string; unicode: string }> }> =
  require('emojibase-data/en/compact.json');

const hasSurrogate = (s: string): boolean => /[\uD800-\uDFFF]/.test(s);

const FAMILY_MWGB = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const FLAG_FR = '\u{1F1EB}\u{1F1F7}';
const FLAG_DE = '\u{1F1E9}\u{1F1EA}';
const RAINBOW_FLAG = '\u{1F3F3}\uFE0F\u200D\u{1F308}';
const ENGLAND = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
const THUMBS_UP_MEDIUM = '\u{1F44D}\u{1F3FD}';

describe('shortcodesToUnicode', () => {
  it('converts known JoyPixels shortcodes', () => {
    expect(shortcodesToUnicode(':smile:')).toBe('\u{1F604}');
    expect(shortcodesToUnicode('Hi :grinning: there')).toBe('Hi \u{1F600} there');
    // emojibase gives thumbs up with U+FE0F (it has a text-style variant too)
    expect(shortcodesToUnicode(':thumbsup:')).toBe('\u{1F44D}\uFE0F');
    expect(shortcodesToUnicode(':flag_fr:')).toBe(FLAG_FR);
    expect(shortcodesToUnicode(':heart:')).toBe('\u2764\uFE0F');
  });

  it('converts aliases to the same emoji', () => {
    const thumbsUp = shortcodesToUnicode(':thumbsup:');
    expect(shortcodesToUnicode(':+1:')).toBe(thumbsUp);
    expect(shortcodesToUnicode(':thumbs_up:')).toBe(thumbsUp);
    expect(shortcodesToUnicode(':fr:')).toBe(FLAG_FR);
    expect(shortcodesToUnicode(':grinning_face:')).toBe('\u{1F600}');
  });

  it('converts skin tone shortcodes and their long aliases', () => {
    expect(shortcodesToUnicode(':thumbsup_tone3:')).toBe(THUMBS_UP_MEDIUM);
    expect(shortcodesToUnicode(':+1_tone3:')).toBe(THUMBS_UP_MEDIUM);
    expect(shortcodesToUnicode(':heart_hands_medium_skin_tone:')).toBe('\u{1FAF6}\u{1F3FD}');
  });

  it('converts adjacent tokens and tokens between punctuation', () => {
    expect(shortcodesToUnicode(':smile::smile:')).toBe('\u{1F604}\u{1F604}');
    expect(shortcodesToUnicode('(:smile:)!')).toBe('(\u{1F604})!');
    expect(shortcodesToUnicode(':nope::smile:')).toBe(':nope:\u{1F604}');
  });

  it('leaves unknown tokens alone', () => {
    expect(shortcodesToUnicode(':not_an_emoji_xyz:')).toBe(':not_an_emoji_xyz:');
    expect(shortcodesToUnicode(':Smile:')).toBe(':Smile:'); // shortcodes are case-sensitive
    expect(shortcodesToUnicode('a :: b ::: c :smile')).toBe('a :: b ::: c :smile');
    expect(shortcodesToUnicode(':U+41:')).toBe(':U+41:'); // only 4-byte code points are decoded
  });

  it('leaves times, IPv6 addresses and words glued to colons alone', () => {
    expect(shortcodesToUnicode('at 10:30:45')).toBe('at 10:30:45');
    expect(shortcodesToUnicode('took 10:100:20')).toBe('took 10:100:20'); // :100: is a shortcode
    expect(shortcodesToUnicode('2001:db8:a:b::1')).toBe('2001:db8:a:b::1'); // :a: and :b: are too
    expect(shortcodesToUnicode(':100:')).toBe('\u{1F4AF}');
  });

  it('returns text without tokens unchanged', () => {
    const text = 'Ticket #42: printer on floor 3 is broken; see https://example.org/a:b';
    expect(shortcodesToUnicode(text)).toBe(text);
    expect(shortcodesToUnicode('')).toBe('');
  });

  it('decodes the :U+XXXXX: fallback tokens', () => {
    expect(shortcodesToUnicode('x :U+1D538: y')).toBe('x \u{1D538} y');
  });
});

describe('emojiToShortcodes', () => {
  it('converts 4-byte emoji to their first JoyPixels shortcode', () => {
    expect(emojiToShortcodes('Hi \u{1F600}!')).toBe('Hi :grinning:!');
    expect(emojiToShortcodes('\u{1F604}\u{1F44D}')).toBe(':smile::thumbsup:');
    expect(emojiToShortcodes('\u{1F44D}\uFE0F')).toBe(':thumbsup:'); // the selector goes with it
  });

  it('turns a ZWJ family into one shortcode', () => {
    expect(emojiToShortcodes(`a ${FAMILY_MWGB} b`)).toBe('a :family_mwgb: b');
  });

  it('turns flags into one shortcode each, also when adjacent', () => {
    expect(emojiToShortcodes(FLAG_FR)).toBe(':flag_fr:');
    expect(emojiToShortcodes(FLAG_FR + FLAG_DE)).toBe(':flag_fr::flag_de:');
    expect(emojiToShortcodes(ENGLAND)).toBe(':england:');
    expect(emojiToShortcodes(RAINBOW_FLAG)).toBe(':rainbow_flag:');
    expect(emojiToShortcodes(RAINBOW_FLAG.replace('\uFE0F', ''))).toBe(':rainbow_flag:');
  });

  it('keeps the skin tone', () => {
    expect(emojiToShortcodes(THUMBS_UP_MEDIUM)).toBe(':thumbsup_tone3:');
    expect(emojiToShortcodes('\u261D\u{1F3FB}')).toBe(':point_up_tone1:'); // BMP base + 4-byte tone
    expect(emojiToShortcodes('\u{1FAF1}\u{1F3FB}\u200D\u{1FAF2}\u{1F3FF}')).toBe(':handshake_tone1_tone5:');
  });

  it('keeps BMP emoji (3 bytes in UTF-8) as they are', () => {
    const text = 'I \u2764 this \u2764\uFE0F \u263A \u263A\uFE0F 1\uFE0F\u20E3 \u00A9';
    expect(emojiToShortcodes(text)).toBe(text);
    expect(emojiToShortcodes(`\u2764\u{1F525}`)).toBe('\u2764:fire:');
  });

  it('converts a BMP emoji that is part of a longer sequence with a 4-byte character', () => {
    expect(emojiToShortcodes('\u2764\uFE0F\u200D\u{1F525}')).toBe(':heart_on_fire:');
  });

  it('replaces 4-byte characters without a shortcode by :U+XXXXX:', () => {
    const out = emojiToShortcodes('math \u{1D538}, CJK \u{20000}');
    expect(out).toBe('math :U+1D538:, CJK :U+20000:');
    expect(hasSurrogate(out)).toBe(false);
  });

  it('splits an unknown ZWJ combination into its parts, keeping the joiner', () => {
    expect(emojiToShortcodes('\u{1F468}\u200D\u{1F469}')).toBe(':man:\u200D:woman:');
  });

  it('returns text without 4-byte characters unchanged', () => {
    const text = 'Grüße aus Köln — «ça va?» 10:30:45 :smile:';
    expect(emojiToShortcodes(text)).toBe(text);
    expect(emojiToShortcodes('')).toBe('');
  });
});

describe('round trip', () => {
  it.each([
    ['\u{1F604} smile'],
    [FAMILY_MWGB],
    [FLAG_FR + FLAG_DE],
    [THUMBS_UP_MEDIUM],
    [RAINBOW_FLAG],
    [ENGLAND],
    ['\u2764\uFE0F\u200D\u{1F525} and \u2764'],
    ['\u{1D538} and \u{20000}'],
    ['\u{1F468}\u200D\u{1F469}'],
  ])('%s', (text) => {
    const ascii = emojiToShortcodes(text);
    expect(hasSurrogate(ascii)).toBe(false);
    expect(shortcodesToUnicode(ascii)).toBe(text);
  });
});

describe('the generated table', () => {
  const unicodeByHex = new Map<string, string>();
  for (const e of compact) {
    unicodeByHex.set(e.hexcode, e.unicode);
    for (const s of e.skins ?? []) unicodeByHex.set(s.hexcode, s.unicode);
  }
  const entries = Object.entries(joypixels).map(([hex, names]) => ({
    unicode: unicodeByHex.get(hex) as string,
    names: Array.isArray(names) ? names : [names],
  }));

  it('holds every JoyPixels shortcode and alias', () => {
    expect(entries.length).toBeGreaterThan(3000);
    const wrong = entries.flatMap(({ unicode, names }) =>
      names.filter((name) => shortcodesToUnicode(`:${name}:`) !== unicode));
    expect(wrong).toEqual([]);
  });

  it('maps every emoji with a 4-byte character to its first shortcode, with or without U+FE0F', () => {
    const wrong = entries
      .filter(({ unicode }) => hasSurrogate(unicode))
      .filter(({ unicode, names }) =>
        emojiToShortcodes(unicode) !== `:${names[0]}:` ||
        emojiToShortcodes(unicode.replace(/\uFE0F/g, '')) !== `:${names[0]}:`);
    expect(wrong).toEqual([]);
  });
});

describe('large input', () => {
  it('converts 1 MB both ways', () => {
    const sample = `Ticket 10:30 \u{1F600} ok ${FAMILY_MWGB} ${FLAG_FR}\u2764 \u{1D538} :smile: `;
    const converted = 'Ticket 10:30 :grinning: ok :family_mwgb: :flag_fr:\u2764 :U+1D538: :smile: ';
    const copies = Math.ceil((1024 * 1024) / sample.length);
    const big = sample.repeat(copies);
    expect(big.length).toBeGreaterThanOrEqual(1024 * 1024);

    const ascii = emojiToShortcodes(big);
    expect(ascii).toBe(converted.repeat(copies));
    expect(hasSurrogate(ascii)).toBe(false);

    const back = shortcodesToUnicode(ascii);
    expect(back).toBe(big.split(':smile:').join('\u{1F604}'));
  });
});
