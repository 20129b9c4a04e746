import {
  type CallEvent,
  type CallState,
  evolve as evolveCall,
  initialState as initialCallState,
  isCall,
} from '../calls/call';
import { callIdFromStream } from '../calls/call-stream';
import { callView } from '../calls/call-view';
import {
  type ConferenceEvent,
  type ConferenceState,
  evolveConference,
  initialConferenceState,
} from '../conferences/conference';
import { conferenceIdFromStream } from '../conferences/conference-stream';
import { conferencecallViewOf, conferenceViewOf } from '../conferences/conference-view';
import {
  type ConferencecallEvent,
  type ConferencecallState,
  conferencecallIdFromStream,
  evolveConferencecall,
  initialConferencecallState,
} from '../conferences/conferencecall';
import type { DomainEvent } from '../domain/decider';
import type { JsonObject } from '../event-store/event-store';
import {
  evolveNumber,
  initialNumberState,
  isRegistered,
  type NumberEvent,
  type NumberState,
  type PhoneNumber,
} from '../numbers/number';
import { phoneNumberFromStream } from '../numbers/number-stream';
import { numberView } from '../numbers/number-view';
import {
  evolveRecording,
  initialRecordingState,
  type RecordingEvent,
  type RecordingState,
} from '../recordings/recording';
import { recordingIdFromStream } from '../recordings/recording-stream';
import { recordingViewOf } from '../recordings/recording-view';
import type { PublicResource } from './public-event-types';

/**
 * How to fold one public resource's stream and render it exactly as the REST API does (the same view
 * functions), so an event's `data` equals a GET of the resource right after that event.
 */
export interface ResourceStream<State = unknown> {
  resource: PublicResource;
  /** The REST collection, used as the CloudEvents `source`. */
  source: string;
  idOf(streamId: string): string | null;
  initialState: State;
  evolve(state: State, event: DomainEvent): State;
  /** null while the stream holds no resource yet (cannot happen after its first event). */
  view(state: State, revision: bigint): JsonObject | null;
  /** The CloudEvents `subject` when it is not the stream's id (numbers: the registration id). */
  subjectOf?(view: JsonObject): string;
}

const callStream: ResourceStream<CallState> = {
  resource: 'call',
  source: '/v1/calls',
  idOf: callIdFromStream,
  initialState: initialCallState,
  evolve: (state, event) => evolveCall(state, event as CallEvent),
  view: (state, revision) => (isCall(state) ? toJson(callView(state, revision)) : null),
};

const conferenceStream: ResourceStream<ConferenceState> = {
  resource: 'conference',
  source: '/v1/conferences',
  idOf: conferenceIdFromStream,
  initialState: initialConferenceState,
  evolve: (state, event) => evolveConference(state, event as ConferenceEvent),
  view: (state, revision) => (state ? toJson(conferenceViewOf(state, revision)) : null),
};

const conferencecallStream: ResourceStream<ConferencecallState> = {
  resource: 'conferencecall',
  source: '/v1/conferencecalls',
  idOf: conferencecallIdFromStream,
  initialState: initialConferencecallState,
  evolve: (state, event) => evolveConferencecall(state, event as ConferencecallEvent),
  view: (state, revision) => (state ? toJson(conferencecallViewOf(state, revision)) : null),
};

/** A number stream, remembering its last registration so that `number.deleted` can still show it. */
type NumberFold = { current: NumberState; last: PhoneNumber | null };

const numberStream: ResourceStream<NumberFold> = {
  resource: 'number',
  source: '/v1/numbers',
  idOf: phoneNumberFromStream,
  initialState: { current: initialNumberState, last: null },
  evolve: (state, event) => {
    const current = evolveNumber(state.current, event as NumberEvent);
    return { current, last: isRegistered(current) ? current : state.last };
  },
  view: (state, revision) => (state.last ? toJson(numberView(state.last, revision)) : null),
  subjectOf: (view) => view.id as string,
};

const recordingStream: ResourceStream<RecordingState> = {
  resource: 'recording',
  source: '/v1/recordings',
  idOf: recordingIdFromStream,
  initialState: initialRecordingState,
  evolve: (state, event) => evolveRecording(state, event as RecordingEvent),
  view: (state, revision) => (state ? toJson(recordingViewOf(state, revision)) : null),
};

const STREAMS: readonly ResourceStream[] = [
  callStream,
  conferenceStream,
  conferencecallStream,
  numberStream,
  recordingStream,
] as ResourceStream[];

/** The resource a stream holds and its id, or null for streams that are not public resources. */
export function resourceStreamOf(streamId: string): { stream: ResourceStream; id: string } | null {
  for (const stream of STREAMS) {
    const id = stream.idOf(streamId);
    if (id !== null) return { stream, id };
  }
  return null;
}

function toJson(view: object): JsonObject {
  return view as unknown as JsonObject;
}
