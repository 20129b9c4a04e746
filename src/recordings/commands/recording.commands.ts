import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { StartRecordingInput, StopRecordingInput } from '../recording-process';

/**
 * The recording use cases on the CommandBus, for every transport: the HTTP routes, and call actions
 * (`record_start` / `record_stop`) dispatching `new StartRecordingCommand({ target: { kind: 'call', id } },
 * metadata)`. Both answer a `RecordingOutcome` (the recording as the command left it).
 */
export class StartRecordingCommand {
  constructor(
    readonly input: StartRecordingInput,
    readonly metadata: CommandMetadata,
  ) {}
}

export class StopRecordingCommand {
  constructor(
    readonly input: StopRecordingInput,
    readonly metadata: CommandMetadata,
  ) {}
}

/** What a media layer reports about a recording (the built-in gateway, or `POST /v1/recordings/:id/signals`). */
export type RecordingReport = {
  signalId: string;
  signal: 'finished';
  tmEnd: string | null;
  durationSec: number | null;
  mediaUrl: string | null;
  /** When the media layer observed it; the handler's clock when absent. */
  at?: string;
};

export class ReportRecordingSignalCommand {
  constructor(
    readonly recordingId: string,
    readonly report: RecordingReport,
    readonly metadata: CommandMetadata,
  ) {}
}
