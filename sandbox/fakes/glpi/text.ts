/**
 * Text helpers of the fake GLPI legacy API (../glpi.ts): the version-dependent input sanitizing
 * (shared/contracts/glpi.md §1.11, §6) and a bracket-aware query-string parser.
 */

export type GlpiHtmlMode = 'sanitized95' | 'sanitized10' | 'raw';

/**
 * What GLPI stores for an input string (§1.11):
 * - 9.5 (`Toolbox::clean_cross_side_scripting_deep`): `<` → `&lt;`, `>` → `&gt;`;
 * - 10.x (`Sanitizer::encodeHtmlSpecialChars`, §6 "numeric entities"): `&` → `&#38;`, `<` → `&#60;`, `>` → `&#62;`;
 * - 11.x: stored raw.
 */
export function sanitizeForStorage(text: string, mode: GlpiHtmlMode): string {
    switch (mode) {
        case 'raw':
            return text;
        case 'sanitized95':
            return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
        case 'sanitized10':
            return text.replace(/&/g, '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;');
    }
}

/** The reverse of the 10.x sanitizing, for reads sent with `X-GLPI-Sanitized-Content: false`. */
export function unsanitize10(text: string): string {
    return text.replace(/&#60;/g, '<').replace(/&#62;/g, '>').replace(/&#38;/g, '&');
}

export type QueryValue = string | QueryObject;
export interface QueryObject {
    [key: string]: QueryValue;
}

/**
 * Parses `a[0][b]=x&c[]=y&d=z` into nested objects (numeric keys stay object keys; `[]` appends),
 * independently of the host express app's "query parser" setting.
 */
export function parseQuery(search: string): QueryObject {
    const root: QueryObject = {};
    const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
    for (const [rawKey, value] of params) {
        const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
        if (!match) {
            root[rawKey] = value;
            continue;
        }
        const keys = [match[1]];
        const part = /\[([^\]]*)\]/g;
        for (let m = part.exec(match[2]); m !== null; m = part.exec(match[2])) keys.push(m[1]);
        let node: QueryObject = root;
        for (let i = 0; i < keys.length; i += 1) {
            let key = keys[i];
            if (key === '') key = String(Object.keys(node).length);
            if (i === keys.length - 1) {
                node[key] = value;
            } else {
                const next = node[key];
                if (typeof next === 'object') {
                    node = next;
                } else {
                    const created: QueryObject = {};
                    node[key] = created;
                    node = created;
                }
            }
        }
    }
    return root;
}

/** The values of a parsed `x[0]=..&x[1]=..` (or a single `x=..`), in index order. */
export function queryList(value: QueryValue | undefined): QueryValue[] {
    if (value === undefined) return [];
    if (typeof value === 'string') return [value];
    return Object.keys(value)
        .sort((a, b) => Number(a) - Number(b))
        .map((key) => value[key]);
}

export function queryString(value: QueryValue | undefined): string | undefined {
    return typeof value === 'string' ? value : undefined;
}

/** GLPI `contains` (§1.6): a case-insensitive substring match, `^` / `$` anchor it. */
export function containsMatch(haystack: string, needle: string): boolean {
    let value = needle;
    const anchorStart = value.startsWith('^');
    if (anchorStart) value = value.slice(1);
    const anchorEnd = value.endsWith('$');
    if (anchorEnd) value = value.slice(0, -1);
    const h = haystack.toLowerCase();
    const n = value.toLowerCase();
    if (anchorStart && anchorEnd) return h === n;
    if (anchorStart) return h.startsWith(n);
    if (anchorEnd) return h.endsWith(n);
    return h.includes(n);
}
