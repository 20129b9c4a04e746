import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { CallSignal } from '../call';

/** A media layer's progress report on a call (POST /v1/calls/:id/signals, the simulated gateway). */
export class ReportSignalCommand {
  constructor(
    readonly callId: string,
    readonly report: { signalId: string; signal: CallSignal; cause: string | null; at?: string },
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
