import { RefsSource } from '../../settings/HelpdeskSettings';

/**
 * Ticket numbers an agent named as `#<number>` in the room topic or tags, deduplicated, in the
 * order they appear. A number must stand alone (`&#123;` in pasted HTML is not a reference).
 */
export function ticketReferences(topic: string | undefined, tags: ReadonlyArray<string> | undefined, source: RefsSource): string[] {
    const texts: string[] = [];
    if (source !== 'tags' && topic) texts.push(topic);
    if (source !== 'topic' && tags) {
        for (let i = 0; i < tags.length; i++) texts.push(String(tags[i]));
    }
    const seen = new Set<string>();
    const pattern = /(^|[^\w&#])#(\d{1,20})(?!\w)/g;
    for (const text of texts) {
        let match: RegExpExecArray | null;
        while ((match = pattern.exec(text)) !== null) {
            seen.add(match[2]);
        }
    }
    return [...seen];
}
