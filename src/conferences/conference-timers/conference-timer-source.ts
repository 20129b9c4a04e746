import { timerSourceOf } from '../../command-handling/stream-type';
import { conferenceStream } from '../conference.stream-type';

/** The conference's durable timeout, as the conference stream type declares it (`dueConferenceTimers`). */
export const conferenceTimerSource = timerSourceOf(conferenceStream);
