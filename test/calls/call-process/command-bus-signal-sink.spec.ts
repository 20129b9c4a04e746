import type { ModuleRef } from '@nestjs/core';
import type { CommandBus } from '@nestjs/cqrs';
import { CommandBusSignalSink } from '../../../src/calls/call-process/command-bus-signal-sink';
import {
  CONFERENCE_SIGNAL_HANDLER,
  type ConferenceSignalHandler,
} from '../../../src/calls/call-process/conference-signal-handler';
import type { MediaConferenceSignal } from '../../../src/calls/media-gateway/media-gateway.port';
import { ReportSignalCommand } from '../../../src/calls/report-signal/report-signal.command';

const conferenceSignal: MediaConferenceSignal = {
  callId: 'c1',
  customerId: 'customer-a',
  conferenceId: 'conf-1',
  conferencecallId: 'cc-1',
  signalId: 'sim-cc-1-joined',
  signal: 'joined',
  cause: null,
  at: '2026-01-01T00:00:00.000Z',
};

describe('CommandBusSignalSink', () => {
  const executed: unknown[] = [];
  const commandBus = {
    execute: async (command: unknown) => void executed.push(command),
  } as unknown as CommandBus;
  const handled: MediaConferenceSignal[] = [];
  const handler: ConferenceSignalHandler = { handle: async (signal) => void handled.push(signal) };

  beforeEach(() => {
    executed.length = 0;
    handled.length = 0;
  });

  it('turns a call signal into a ReportSignalCommand from media:simulated, correlated by its signal id', async () => {
    const sink = new CommandBusSignalSink(commandBus, {} as ModuleRef);
    await sink.callSignal({
      callId: 'c1',
      customerId: 'customer-a',
      signalId: 'sim-c1-1',
      signal: 'ringing',
      cause: null,
      at: '2026-01-01T00:00:01.000Z',
    });
    expect(executed).toEqual([
      new ReportSignalCommand(
        'c1',
        { signalId: 'sim-c1-1', signal: 'ringing', cause: null, at: '2026-01-01T00:00:01.000Z' },
        {
          correlationId: 'sim-c1-1',
          causationId: 'sim-c1-1',
          customerId: 'customer-a',
          actor: 'media:simulated',
        },
      ),
    ]);
  });

  it('hands conference signals to the bound CONFERENCE_SIGNAL_HANDLER, looked up once it exists', async () => {
    let bound: ConferenceSignalHandler | null = null;
    const moduleRef = {
      get: (token: unknown) => {
        if (token !== CONFERENCE_SIGNAL_HANDLER || !bound) throw new Error('not found');
        return bound;
      },
    } as unknown as ModuleRef;
    const sink = new CommandBusSignalSink(commandBus, moduleRef);

    await sink.conferenceSignal(conferenceSignal); // none bound yet: logged and dropped
    expect(handled).toEqual([]);
    bound = handler;
    await sink.conferenceSignal(conferenceSignal);
    expect(handled).toEqual([conferenceSignal]);
  });
});
