/** What one OTRS delivery has written so far (saved on the delivery record after each write). */
export interface OtrsTicketWritten {
    ticketNumber: string;
    ticketId: string;
    articleId?: string;
    action: 'created' | 'noted';
}

export interface OtrsProgress {
    /** Notes written, by referenced ticket number. */
    notes: Record<string, OtrsTicketWritten>;
    /** References OTRS refused, with its message. */
    refused: Record<string, string>;
    /** A note whose PATCH was sent but whose answer never came: check before writing again. */
    noteInFlight?: string;
    /** When a TicketCreate was first sent without a known outcome: search before creating again. */
    createSentAt?: string;
    /** HTTP 500 answers to TicketCreate so far (a wrong-case queue name gives 500 forever). */
    create500s?: number;
    created?: OtrsTicketWritten;
}
