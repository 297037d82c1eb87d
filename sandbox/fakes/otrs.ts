/**
 * The sandbox's fake OTRS/Znuny GenericTicketConnectorREST (shared/contracts/otrs.md).
 * The implementation lives in ./otrs/: transport (HTTP side), validate (TicketCreate/Update checks),
 * write (Session*, TicketCreate, TicketUpdate), read (TicketSearch, TicketGet), store, config, text.
 */
export { createOtrsFake, DEFAULT_MAX_LENGTH } from './otrs/fake';
export type { OtrsFake, OtrsFakeOptions } from './otrs/fake';
export { OtrsConfigError } from './otrs/config';
export type {
    OtrsCall,
    OtrsCustomerUserConfig,
    OtrsDatabase,
    OtrsFakeConfig,
    OtrsInspectedArticle,
    OtrsInspectedTicket,
    OtrsInspection,
    OtrsUserConfig,
    OtrsVersion,
} from './otrs/types';
