import type { CallEvent } from '../calls/call';
import { callIdFromStream } from '../calls/call-stream';
import { type ConferencecallEvent, conferencecallIdFromStream } from '../conferences/conferencecall';
import { assertNever } from '../domain/decider';
import type { RecordedEvent } from '../event-store/event-store';
import type { RecordingEvent } from '../recordings/recording';
import { recordingIdFromStream } from '../recordings/recording-stream';
import type { UsageLedger } from './usage-ledger';

/**
 * One source per metered aggregate: which stream it reads, and how each of its events moves the ledger.
 * Adding a metered thing is adding a source here; nothing else in the projection changes.
 */
export interface UsageSource {
  /** The subject id of a stream of this source, or null when the stream is another's. */
  subjectOf(streamId: string): string | null;
  apply(event: RecordedEvent, subjectId: string, ledger: UsageLedger): void;
}

/** A call is open from its creation (which knows its tenant and direction) and metered at its hangup. */
const calls: UsageSource = {
  subjectOf: callIdFromStream,
  apply(recorded, callId, ledger) {
    const event = { type: recorded.type, data: recorded.data } as CallEvent;
    switch (event.type) {
      case 'CallCreated':
        ledger.open(callId, {
          customerId: event.data.customerId,
          kind: 'call',
          direction: event.data.direction,
        });
        return;
      case 'CallHungUp':
        ledger.close(callId, {
          endedAt: event.data.endTime,
          outcome: event.data.hangupReason,
          seconds: event.data.durationSec,
        });
        return;
      default:
        // Ringing, answer, hangup requests, conference membership, chaining: nothing to meter.
        return;
    }
  },
};

/** A participant is metered from the confirmed join to the leave; an aborted join is metered as 0. */
const conferenceParticipants: UsageSource = {
  subjectOf: conferencecallIdFromStream,
  apply(recorded, conferencecallId, ledger) {
    const event = { type: recorded.type, data: recorded.data } as ConferencecallEvent;
    switch (event.type) {
      case 'ConferencecallJoinStarted':
        ledger.open(conferencecallId, { customerId: event.data.customerId, kind: 'conference_participant' });
        return;
      case 'ConferencecallJoined':
        ledger.start(conferencecallId, event.data.at);
        return;
      case 'ConferencecallLeft':
        ledger.close(conferencecallId, { endedAt: event.data.at, outcome: 'left' });
        return;
      case 'ConferencecallJoinAborted':
        ledger.close(conferencecallId, { endedAt: event.data.at, outcome: 'aborted', seconds: 0 });
        return;
      case 'ConferencecallKicked':
        // Still in the bridge until the media layer confirms the leave: metering goes on.
        return;
      default:
        return;
    }
  },
};

/**
 * A recording is metered from its start to the end the media layer reports (`durationSec`, the length of
 * the file), on the day it finished; one still running is not metered yet.
 */
const recordings: UsageSource = {
  subjectOf: recordingIdFromStream,
  apply(recorded, recordingId, ledger) {
    const event = { type: recorded.type, data: recorded.data } as RecordingEvent;
    switch (event.type) {
      case 'RecordingStarted':
        ledger.open(recordingId, {
          customerId: event.data.customerId,
          kind: 'recording',
          startedAt: event.data.at,
        });
        return;
      case 'RecordingFinished':
        ledger.close(recordingId, {
          endedAt: event.data.tmEnd,
          outcome: 'finished',
          seconds: event.data.durationSec,
        });
        return;
      case 'RecordingStopRequested':
        // The file (and its length) is known only when the media layer reports it finished.
        return;
      default:
        assertNever(event);
    }
  },
};

export const USAGE_SOURCES: readonly UsageSource[] = [calls, conferenceParticipants, recordings];
