const HELPDESK_NAMES: Record<string, string> = { otrs: 'OTRS', glpi: 'GLPI' };

/**
 * The tickets a helpdesk delivery wrote, as people name them: "OTRS #2026112210000011" (the ticket
 * number agents search for, not the internal id), "GLPI #42". Empty for a webhook or a result
 * without tickets.
 */
export function ticketLabels(result: Record<string, unknown> | undefined): string[] {
    const name = typeof result?.helpdesk === 'string' ? HELPDESK_NAMES[result.helpdesk] : undefined;
    const tickets = Array.isArray(result?.tickets) ? (result?.tickets as Array<Record<string, unknown>>) : [];
    if (!name) {
        return [];
    }
    const labels = tickets
        .map((ticket) => ticket?.ticketNumber ?? ticket?.ticketId)
        .filter((n): n is string | number => typeof n === 'string' || typeof n === 'number')
        .map((n) => `${name} #${n}`);
    return [...new Set(labels)];
}
