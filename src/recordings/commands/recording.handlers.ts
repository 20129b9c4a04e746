import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { recordingStream } from '../recording.stream-type';
import { type RecordingOutcome, RecordingProcess } from '../recording-process';
import {
  ReportRecordingSignalCommand,
  StartRecordingCommand,
  StopRecordingCommand,
} from './recording.commands';

@CommandHandler(StartRecordingCommand)
export class StartRecordingHandler implements ICommandHandler<StartRecordingCommand, RecordingOutcome> {
  constructor(private readonly process: RecordingProcess) {}

  execute({ input, metadata }: StartRecordingCommand): Promise<RecordingOutcome> {
    return this.process.start(input, metadata);
  }
}

@CommandHandler(StopRecordingCommand)
export class StopRecordingHandler implements ICommandHandler<StopRecordingCommand, RecordingOutcome> {
  constructor(private readonly process: RecordingProcess) {}

  execute({ input, metadata }: StopRecordingCommand): Promise<RecordingOutcome> {
    return this.process.stop(input, metadata);
  }
}

/** A media report: `finished` with the file's end, duration and (external media layer) URL. */
@CommandHandler(ReportRecordingSignalCommand)
export class ReportRecordingSignalHandler
  implements ICommandHandler<ReportRecordingSignalCommand, RecordingOutcome>
{
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ recordingId, report, metadata }: ReportRecordingSignalCommand): Promise<RecordingOutcome> {
    const at = report.at ?? this.clock.now().toISOString();
    return this.commands.run(
      recordingStream,
      recordingId,
      {
        type: 'FinishRecording',
        data: {
          recordingId,
          customerId: metadata.customerId,
          signalId: report.signalId,
          tmEnd: report.tmEnd,
          durationSec: report.durationSec,
          mediaUrl: report.mediaUrl,
          at,
        },
      },
      metadata,
    );
  }
}

export const RECORDING_COMMAND_HANDLERS = [
  StartRecordingHandler,
  StopRecordingHandler,
  ReportRecordingSignalHandler,
];
