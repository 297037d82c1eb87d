/**
 * Builds links that point at Rocket.Chat files: every helpdesk transcript and platform callback
 * needs the same rules, so they live here once.
 */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const HTTP_BASE = /^https?:\/\/[^/?#\s]+/i;

/**
 * `link` as an absolute http(s) URL: kept when already absolute http(s), joined to Site_Url with
 * exactly one slash when relative, scheme of Site_Url for `//host/...`. Any other scheme
 * (javascript:, data:, file:, ...) or a relative link without a usable Site_Url gives undefined.
 * Spaces, control and non-ASCII characters and `" ' < > \ `` ` are percent-encoded, so the URL is
 * one inert token wherever it lands.
 */
export function absoluteUrl(link: string, siteUrl: string): string | undefined {
    // Browsers drop leading/trailing whitespace and control characters, and tabs/newlines anywhere,
    // before looking at the scheme ("java\nscript:" is javascript:): do the same before checking it.
    const cleaned = link.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
    if (cleaned === '') return undefined;
    let absolute: string;
    const scheme = SCHEME.exec(cleaned);
    if (scheme) {
        const name = scheme[1].toLowerCase();
        if (name !== 'http' && name !== 'https') return undefined;
        absolute = cleaned;
    } else {
        const base = siteUrl.trim();
        if (!HTTP_BASE.test(base)) return undefined;
        if (cleaned.startsWith('//')) {
            absolute = `${base.slice(0, base.indexOf(':'))}:${cleaned}`;
        } else {
            absolute = `${base.replace(/\/+$/, '')}/${cleaned.replace(/^\/+/, '')}`;
        }
    }
    if (!HTTP_BASE.test(absolute)) return undefined;
    return absolute.replace(/[^\u0021-\u007e]|["'<>\\`]/gu, encodeChar);
}

function encodeChar(ch: string): string {
    if (ch === "'") return '%27'; // encodeURIComponent leaves it
    try {
        return encodeURIComponent(ch);
    } catch {
        return '%EF%BF%BD'; // a lone surrogate: U+FFFD
    }
}

