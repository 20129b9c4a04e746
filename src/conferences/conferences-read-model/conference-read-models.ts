import { CONFERENCECALLS_PROJECTION } from './conferencecalls.projection';
import { CONFERENCES_PROJECTION } from './conferences.projection';

/** The read models a conference command waits for (read-your-writes), and only those: not every projection. */
export const CONFERENCE_READ_MODELS = [CONFERENCES_PROJECTION, CONFERENCECALLS_PROJECTION];
