import { clearArtifacts } from './secretsScan';

/** jest globalSetup: the secrets scan starts from an empty artifact folder. */
export default clearArtifacts;
