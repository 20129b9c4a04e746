import type { JsonObject } from '../../event-store/event-store';
import type {
  MediaRecordingSignal,
  RecordingMediaRequest,
  RecordingStopMediaRequest,
} from '../../recordings/media/recording-media';
import type { Call, CallAddress, CallDirection, CallSignal, CallType, HangupReason } from '../call';
import type { ControlSignalKind } from '../call-actions';
import { controlOf } from '../call-control';

/**
 * The media layer (SIP/RTP engine) as the orchestrator sees it. Switchboard decides; the gateway carries
 * audio and reports what happened. Plain TypeScript: adapters (the built-in simulated gateway, an external
 * one) are bound to `MEDIA_GATEWAY` by the app.
 *
 * Guarantees an adapter must give, because the orchestrator is at-least-once (it may repeat a request
 * after a crash or a retry):
 * - Every method is idempotent per call (and per conferencecall for conference methods).
 * - A resolved promise means "accepted", never "done": outcomes arrive later as signals on the
 *   `MediaSignalSink`. A rejected promise means the request was not accepted and may be retried.
 * - `hangup` is always confirmed by a `hangup` signal, even for a leg that already ended or never
 *   existed, so a call waiting in `terminating`/`canceling` is completed. (If the confirmation is lost,
 *   the call's hangup-confirmation timer completes it anyway.)
 */
export interface MediaGateway {
  /** Start the leg; expect `ringing`, then `answered` or one of `busy`/`no_answer`/`rejected`/`failed`. */
  dial(call: DialRequest): Promise<void>;
  /** Cancel (before answer) or end (after) the leg; `reason` is informational for the media layer. */
  hangup(call: CallLeg, reason: HangupReason): Promise<void>;
  /** Bridge an answered leg into a conference, playing `preActions` first; confirmed by `joined`. */
  joinConference(request: ConferenceJoinRequest): Promise<void>;
  /** Take the leg out of the conference, playing `postActions`; confirmed by `left`. */
  leaveConference(request: ConferenceLeaveRequest): Promise<void>;
  /**
   * Call control: play a `talk` (text to speech) or a `play` (audio URL) on an answered leg, then report
   * `action_started` and `action_finished` control signals with the action id. Idempotent per action id.
   * (Transfers are new legs, dialled like any call; hangup and context actions need no media.)
   */
  executeAction(request: CallActionRequest): Promise<void>;
  // --- recording (issue 12 §2) ---
  /** Start capturing the call's (or the conference bridge's) audio. No signal confirms it. */
  startRecording(request: RecordingMediaRequest): Promise<void>;
  /** Stop capturing; confirmed by the recording's `finished` signal (with its file). */
  stopRecording(request: RecordingStopMediaRequest): Promise<void>;
  // --- end recording ---
}

export const MEDIA_GATEWAY = Symbol('MEDIA_GATEWAY');

export type CallLeg = { callId: string; customerId: string };

export type DialRequest = CallLeg & {
  type: CallType;
  direction: CallDirection;
  source: CallAddress | null;
  destination: CallAddress;
  metadata: JsonObject;
  /** AMD was asked for: after the answer, report an `amd` control signal with `human` or `machine`. */
  detectMachine: boolean;
};

/** A media action of call control (`call-control.events.ts`); `option` is the action's, as queued. */
export type CallActionRequest = CallLeg & { actionId: string; type: 'talk' | 'play'; option: JsonObject };

/**
 * Conference actions (seed 004 `pre_actions` / `post_actions`) are opaque here: the orchestrator stores and
 * forwards them, the media layer interprets them.
 */
export type ConferenceJoinRequest = CallLeg & {
  conferenceId: string;
  conferencecallId: string;
  preActions: readonly JsonObject[];
};
export type ConferenceLeaveRequest = CallLeg & {
  conferenceId: string;
  conferencecallId: string;
  postActions: readonly JsonObject[];
};

/** A call leg's progress, as the gateway observed it. The app turns it into a ReportSignal command. */
export type MediaCallSignal = CallLeg & {
  /** Stable per signal: redelivering the same signal must reuse its id (that is what makes it idempotent). */
  signalId: string;
  signal: CallSignal;
  /** The media layer's own cause (Q.850 name or number, SIP code, free text), kept as the call's raw cause. */
  cause: string | null;
  /** When the gateway observed it (ISO-8601). */
  at: string;
};

/** A call-control report: an action's start or end, the user's speech, the AMD verdict. */
export type MediaControlSignal = CallLeg & {
  signalId: string;
  kind: ControlSignalKind;
  actionId: string | null;
  /** What the user said (`speech`). */
  text: string | null;
  /** `human`/`machine` for `amd`, `done`/`failed` for `action_finished`. */
  result: string | null;
  cause: string | null;
  at: string;
};

export type MediaConferenceSignal = CallLeg & {
  signalId: string;
  conferenceId: string;
  conferencecallId: string;
  signal: 'joined' | 'left';
  cause: string | null;
  at: string;
};

/**
 * Where a gateway reports signals. Delivery is at-least-once and may reorder; the call and conference
 * deciders absorb duplicates and stale signals. A rejection carrying a `DomainError` is final (the signal
 * contradicts the record, e.g. `answered` after hangup): retrying it cannot succeed.
 */
export interface MediaSignalSink {
  callSignal(signal: MediaCallSignal): Promise<void>;
  conferenceSignal(signal: MediaConferenceSignal): Promise<void>;
  controlSignal(signal: MediaControlSignal): Promise<void>;
  // --- recording (issue 12 §2) ---
  recordingSignal(signal: MediaRecordingSignal): Promise<void>;
  // --- end recording ---
}

export const MEDIA_SIGNAL_SINK = Symbol('MEDIA_SIGNAL_SINK');

/** What the gateway needs to dial a call, taken from the call's state. */
export function dialRequestOf(call: Call): DialRequest {
  return {
    callId: call.id,
    customerId: call.customerId,
    type: call.type,
    direction: call.direction,
    source: call.source,
    destination: call.destination,
    metadata: call.metadata,
    detectMachine: controlOf(call).amd !== null,
  };
}
