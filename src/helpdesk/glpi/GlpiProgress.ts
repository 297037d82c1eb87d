/** What one GLPI delivery has written so far (saved on the delivery record after each write). */
export interface GlpiWritten {
    ticketId: string;
    followupId?: string;
    action: 'created' | 'followup';
}

export interface GlpiProgress {
    followups: Record<string, GlpiWritten>;
    /** References GLPI does not know or does not let this user see. */
    refused: Record<string, string>;
    /** Solved or closed references that got a new ticket instead of a follow-up (glpi_closed_ticket). */
    closed: Record<string, string>;
    followupInFlight?: string;
    createSentAt?: string;
    created?: GlpiWritten;
    requester?: { userId: string; how: string };
}
