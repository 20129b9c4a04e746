import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { ControlSignalKind } from '../call-actions';

/**
 * A media layer's call-control report (POST /v1/calls/:id/signals with `action_started`,
 * `action_finished`, `speech` or `amd`; the simulated gateway). Idempotent per signal id.
 */
export class ReportMediaEventCommand {
  constructor(
    readonly callId: string,
    readonly report: {
      signalId: string;
      kind: ControlSignalKind;
      actionId: string | null;
      text: string | null;
      result: string | null;
      cause: string | null;
      at?: string;
    },
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
