import type { CommandMetadata } from '../../command-handling/command-metadata';

/**
 * The media layer says a participant's call is in the conference's bridge (`joined`) or out of it (`left`);
 * also sent by the call-hangup saga (`left`). Late and repeated reports decide nothing.
 */
export class ReportConferenceSignalCommand {
  constructor(
    readonly conferencecallId: string,
    readonly signal: 'joined' | 'left',
    readonly metadata: CommandMetadata,
    /** When the media layer observed it; default now. */
    readonly at?: string,
  ) {}
}
