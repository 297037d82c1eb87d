#!/usr/bin/env node
/*
 * Generates src/lib/emoji/table.generated.ts from the npm package emojibase-data:
 *   - en/shortcodes/joypixels.json gives the shortcodes (JoyPixels names are what Rocket.Chat uses),
 *     keyed by hexcode, one name or an array of aliases (the first one is the preferred name);
 *   - en/compact.json gives the emoji itself (`unicode`, fully qualified, skin tones under `skins`).
 * The table is shipped inside the app, so it must stay small and need no npm module at runtime.
 *
 * Format (decoded by src/lib/emoji/emoji.ts): one emoji per line, "<emoji> <name> <name>...".
 * Names are front-coded, because most of them repeat the name above them (skin tone variants):
 * each name is one character giving how many leading characters it shares with the name in the
 * same column on the previous line (or, for a column the previous line lacks, with the name just
 * before it on the same line), followed by the rest of the name. That character is an index into
 * PREFIX_DIGITS. This keeps the file at about 105 KB instead of 180 KB.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const PREFIX_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NAME_RE = /^[A-Za-z0-9_+-]+$/; // what emoji.ts recognises between colons

const dataDir = path.dirname(require.resolve('emojibase-data/package.json'));
const { version } = JSON.parse(fs.readFileSync(path.join(dataDir, 'package.json'), 'utf8'));
const compact = JSON.parse(fs.readFileSync(path.join(dataDir, 'en', 'compact.json'), 'utf8'));
const joypixels = JSON.parse(fs.readFileSync(path.join(dataDir, 'en', 'shortcodes', 'joypixels.json'), 'utf8'));
const outFile = path.resolve(__dirname, '..', 'src', 'lib', 'emoji', 'table.generated.ts');

function fail(message) {
  process.stderr.write(`generate-emoji: ${message}\n`);
  process.exit(1);
}

const unicodeByHex = new Map();
for (const emoji of compact) {
  unicodeByHex.set(emoji.hexcode, emoji.unicode);
  for (const skin of emoji.skins || []) unicodeByHex.set(skin.hexcode, skin.unicode);
}

function sharedPrefix(a, b) {
  const max = Math.min(a.length, b.length, PREFIX_DIGITS.length - 1);
  let k = 0;
  while (k < max && a[k] === b[k]) k++;
  return k;
}

const seenNames = new Set();
const seenKeys = new Set(); // emoji without FE0F: emoji.ts matches text regardless of FE0F
const lines = [];
let previous = [];
let nameCount = 0;
for (const [hexcode, value] of Object.entries(joypixels)) {
  const emoji = unicodeByHex.get(hexcode);
  if (emoji === undefined) fail(`joypixels hexcode ${hexcode} is not in compact.json`);
  if (/[\s`\\$]/.test(emoji)) fail(`emoji ${hexcode} contains a character the table format cannot hold`);
  const key = emoji.replace(/\uFE0F/g, '');
  if (seenKeys.has(key)) fail(`two entries for emoji ${hexcode} once FE0F is ignored`);
  seenKeys.add(key);

  const names = Array.isArray(value) ? value : [value];
  const encoded = names.map((name, i) => {
    if (!NAME_RE.test(name) || /^U\+/.test(name)) fail(`unsupported shortcode "${name}" (${hexcode})`);
    if (seenNames.has(name)) fail(`duplicate shortcode "${name}" (${hexcode})`);
    seenNames.add(name);
    const ref = i < previous.length ? previous[i] : i > 0 ? names[i - 1] : '';
    const k = sharedPrefix(name, ref);
    return PREFIX_DIGITS[k] + name.slice(k);
  });
  nameCount += names.length;
  previous = names;
  lines.push(`${emoji} ${encoded.join(' ')}`);
}

const source = `// GENERATED FILE, do not edit: run \`npm run generate\` (scripts/generate-emoji.js).
// Source: emojibase-data ${version} (MIT), en/shortcodes/joypixels.json + en/compact.json.
// ${lines.length} emoji, ${nameCount} JoyPixels shortcodes. Format: see scripts/generate-emoji.js.

export const EMOJIBASE_VERSION = '${version}';

export const EMOJI_TABLE = \`${lines.join('\n')}\`;
`;

fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, source, 'utf8');
process.stdout.write(`generate-emoji: wrote ${path.relative(process.cwd(), outFile)} ` +
  `(${lines.length} emoji, ${nameCount} shortcodes, ${(Buffer.byteLength(source) / 1024).toFixed(1)} KB)\n`);
