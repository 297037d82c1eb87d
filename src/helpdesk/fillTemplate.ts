/**
 * Fills `{placeholders}` of a title template. Placeholders with no value vanish together with the
 * separator they leave dangling, so "Livechat: {visitor} - {topic}" without a topic reads
 * "Livechat: Maria", not "Livechat: Maria - ". Unknown placeholders are kept as typed.
 */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
    const filled = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
        if (!(name in values)) return whole;
        return (values[name] ?? '').replace(/\s+/g, ' ').trim();
    });
    return filled
        .replace(/(\s*[-–—:|,]\s*)+$/u, '')
        .replace(/^(\s*[-–—:|,]\s*)+/u, '')
        .replace(/\s*([-–—|,])\s*(?:[-–—|,]\s*)+/gu, ' $1 ')
        .replace(/\s{2,}/g, ' ')
        .trim();
}
