export { emojiToShortcodes, shortcodesToUnicode } from './emoji';
