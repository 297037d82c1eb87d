/*
 * Emoji <-> JoyPixels shortcode conversion (the names Rocket.Chat uses, e.g. :smile:, :thumbsup:).
 * The table comes from emojibase-data, generated at build time by scripts/generate-emoji.js; it is
 * decoded once, on first use, into a Map (name -> emoji) and a trie over code points (emoji -> name).
 *
 * Why emojiToShortcodes: helpdesks on MySQL utf8mb3 lose every character outside the BMP (4-byte
 * UTF-8), so those are turned into :shortcode: before text leaves Rocket.Chat. A 4-byte character
 * that is not part of any known emoji becomes `:U+XXXXX:` (its code point in hex): nothing is lost,
 * the token is plain ASCII, and shortcodesToUnicode turns it back into the character.
 */
import { EMOJI_TABLE } from './table.generated';

/** Must match PREFIX_DIGITS in scripts/generate-emoji.js (front-coding of the names). */
const PREFIX_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const VS16 = 0xfe0f; // emoji presentation selector: optional in real text, so ignored in matching

interface TrieNode {
  next?: Map<number, TrieNode>;
  /** Preferred shortcode, set when the path from the root spells a whole emoji. */
  shortcode?: string;
}

let emojiByName: Map<string, string> | undefined;
let trie: TrieNode | undefined;
/** No emoji of the trie starts with a UTF-16 code unit below this: such characters are skipped fast. */
let minStart = 0;

function load(): void {
  emojiByName = new Map();
  trie = {};
  minStart = 0xffff;
  let previous: string[] = [];
  for (const line of EMOJI_TABLE.split('\n')) {
    const [emoji, ...coded] = line.split(' ');
    // Undo the front-coding: first character = length of the prefix shared with the reference name.
    const names: string[] = [];
    for (let i = 0; i < coded.length; i++) {
      const ref = i < previous.length ? previous[i] : i > 0 ? names[i - 1] : '';
      names.push(ref.slice(0, PREFIX_DIGITS.indexOf(coded[i][0])) + coded[i].slice(1));
      emojiByName.set(names[i], emoji);
    }
    previous = names;
    // Only emoji with a 4-byte code point go into the trie: BMP-only ones (U+2764, keycaps) are
    // kept as they are, though they may still be prefixes of longer ones (U+2764 U+200D U+1F525).
    const codePoints: number[] = [];
    for (const ch of emoji) if (ch !== '\uFE0F') codePoints.push(ch.codePointAt(0) as number);
    if (!codePoints.some((cp) => cp > 0xffff)) continue;
    minStart = Math.min(minStart, emoji.charCodeAt(0));
    let node = trie;
    for (const cp of codePoints) {
      if (!node.next) node.next = new Map();
      let child = node.next.get(cp);
      if (!child) node.next.set(cp, (child = {}));
      node = child;
    }
    node.shortcode = names[0];
  }
}

/** Fallback for a 4-byte character without a shortcode, e.g. `:U+1D538:`; shortcodesToUnicode reverses it. */
const codePointToken = (cp: number): string => `:U+${cp.toString(16).toUpperCase()}:`;

/** The character of a `U+XXXXX` token name, only for code points above U+FFFF (what codePointToken makes). */
function fromCodePointName(name: string): string | undefined {
  const hex = /^U\+([0-9A-F]{5,6})$/.exec(name);
  const cp = hex ? parseInt(hex[1], 16) : 0;
  return cp > 0xffff && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

const isAsciiAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * Replaces `:name:` by the emoji when name is a JoyPixels shortcode (case-sensitive) or a
 * `U+XXXXX` token produced by emojiToShortcodes. Unknown tokens are left alone. A token glued to
 * a letter or digit on either side is not converted, so times (10:30:45), IPv6 addresses
 * (2001:db8:a:b::1) and the like stay intact even when a part of them is a shortcode (:a:, :100:).
 */
export function shortcodesToUnicode(text: string): string {
  if (text.indexOf(':') < 0) return text;
  if (!emojiByName) load();
  const names = emojiByName as Map<string, string>;
  const token = /:([A-Za-z0-9_+-]+):/g; // the class excludes ':', so each character is scanned once
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = token.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const glued = isAsciiAlnum(text.charCodeAt(start - 1)) || isAsciiAlnum(text.charCodeAt(end));
    const emoji = glued ? undefined : names.get(m[1]) ?? fromCodePointName(m[1]);
    if (emoji === undefined) {
      token.lastIndex = end - 1; // its closing colon may open the next token
      continue;
    }
    out += text.slice(last, start) + emoji;
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * The longest emoji of the trie starting at text[i], as its end index and shortcode. U+FE0F is
 * skipped between code points and swallowed after the emoji. Bounded by the trie depth.
 */
function longestMatch(text: string, i: number, root: TrieNode): { end: number; shortcode: string } | undefined {
  let found: { end: number; shortcode: string } | undefined;
  let node: TrieNode = root;
  let j = i;
  while (j < text.length) {
    const cp = text.codePointAt(j) as number;
    const child = node.next?.get(cp);
    if (!child) break;
    node = child;
    j += cp > 0xffff ? 2 : 1;
    if (node.shortcode !== undefined) found = { end: j, shortcode: node.shortcode };
    if (text.charCodeAt(j) === VS16) {
      j++;
      if (found && found.end === j - 1) found.end = j;
    }
  }
  return found;
}

/**
 * Replaces every emoji that contains a code point above U+FFFF by `:shortcode:`, matching the
 * longest known sequence first (ZWJ sequences, skin tones, flags, tags), so a family or a flag
 * becomes one shortcode. U+FE0F is optional inside and after a sequence. Emoji made only of BMP
 * characters (U+263A, U+2764, keycaps) are kept. Other 4-byte characters become `:U+XXXXX:`.
 * Linear time: at most one trie walk (bounded depth) per position.
 */
export function emojiToShortcodes(text: string): string {
  if (!/[\uD800-\uDBFF]/.test(text)) return text; // only surrogate pairs need 4 bytes in UTF-8
  if (!trie) load();
  const root = trie as TrieNode;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) < minStart) {
      i++;
      continue;
    }
    const match = longestMatch(text, i, root);
    const cp = text.codePointAt(i) as number;
    if (match) {
      out += text.slice(last, i) + `:${match.shortcode}:`;
      last = i = match.end;
    } else if (cp > 0xffff) {
      out += text.slice(last, i) + codePointToken(cp);
      last = i += 2;
    } else {
      i++; // a BMP character is kept; an emoji may still start right after it
    }
  }
  return out + text.slice(last);
}
