import type { Written } from '../command-handling/command-runner';
import type { ConferenceEvent, ConferenceState } from './conference';
import type { ConferencecallEvent, ConferencecallState } from './conferencecall';

/** What conference commands answer, in the one shape every command handler uses. */
export type ConferenceOutcome = Written<ConferenceEvent, ConferenceState>;
export type ConferencecallOutcome = Written<ConferencecallEvent, ConferencecallState>;
