import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { ReportRecordingSignalCommand } from '../../recordings/commands/recording.commands';
import type { MediaRecordingSignal } from '../../recordings/media/recording-media';
import { ReportMediaEventCommand } from '../call-actions/report-media-event.command';
import type {
  MediaCallSignal,
  MediaConferenceSignal,
  MediaControlSignal,
  MediaSignalSink,
} from '../media-gateway/media-gateway.port';
import { ReportSignalCommand } from '../report-signal/report-signal.command';
import { CONFERENCE_SIGNAL_HANDLER, type ConferenceSignalHandler } from './conference-signal-handler';

export const SIMULATED_MEDIA_ACTOR = 'media:simulated';

/**
 * The built-in gateway's way back in: call signals become `ReportSignalCommand`s on the CommandBus (the
 * same handler as `POST /v1/calls/:id/signals`); conference signals go to the conferences feature's
 * `CONFERENCE_SIGNAL_HANDLER`.
 *
 * A signal starts its own correlation, like an external media layer's HTTP report: the gateway port does
 * not carry the dial's correlation, and the signal id (stable per signal) ties redeliveries together.
 */
@Injectable()
export class CommandBusSignalSink implements MediaSignalSink {
  private readonly logger = new Logger(CommandBusSignalSink.name);
  private conferenceHandler: ConferenceSignalHandler | null = null;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly moduleRef: ModuleRef,
  ) {}

  async callSignal(signal: MediaCallSignal): Promise<void> {
    const { callId, signalId, cause, at } = signal;
    await this.commandBus.execute(
      new ReportSignalCommand(callId, { signalId, signal: signal.signal, cause, at }, metadataOf(signal)),
    );
  }

  async controlSignal(signal: MediaControlSignal): Promise<void> {
    const { callId, signalId, kind, actionId, text, result, cause, at } = signal;
    await this.commandBus.execute(
      new ReportMediaEventCommand(
        callId,
        { signalId, kind, actionId, text, result, cause, at },
        metadataOf(signal),
      ),
    );
  }

  async conferenceSignal(signal: MediaConferenceSignal): Promise<void> {
    const handler = this.resolveConferenceHandler();
    if (!handler) {
      this.logger.warn(
        `no ${CONFERENCE_SIGNAL_HANDLER.description} bound: "${signal.signal}" for conferencecall ${signal.conferencecallId} dropped`,
      );
      return;
    }
    await handler.handle(signal);
  }

  // --- recording (issue 12 §2) ---
  async recordingSignal(signal: MediaRecordingSignal): Promise<void> {
    const { recordingId, signalId, tmEnd, durationSec, mediaUrl, at } = signal;
    await this.commandBus.execute(
      new ReportRecordingSignalCommand(
        recordingId,
        { signalId, signal: signal.signal, tmEnd, durationSec, mediaUrl, at },
        metadataOf(signal),
      ),
    );
  }
  // --- end recording ---

  private resolveConferenceHandler(): ConferenceSignalHandler | null {
    if (this.conferenceHandler) return this.conferenceHandler;
    try {
      this.conferenceHandler = this.moduleRef.get<ConferenceSignalHandler>(CONFERENCE_SIGNAL_HANDLER, {
        strict: false,
      });
    } catch {
      // Not bound (yet): the caller logs and drops.
    }
    return this.conferenceHandler;
  }
}

function metadataOf(signal: { signalId: string; customerId: string }): CommandMetadata {
  return {
    correlationId: signal.signalId,
    causationId: signal.signalId,
    customerId: signal.customerId,
    actor: SIMULATED_MEDIA_ACTOR,
  };
}
