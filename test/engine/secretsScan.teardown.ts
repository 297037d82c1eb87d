import { checkArtifacts } from './secretsScan';

/** jest globalTeardown: fails the run when a configured secret shows up in a log line, a stored record or a reply. */
export default checkArtifacts;
