import { CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { type CallState, evolve as evolveCall, initialState as initialCallState } from '../../src/calls/call';
import { HangupCallCommand } from '../../src/calls/hangup-call/hangup-call.command';
import { MakeCallCommand } from '../../src/calls/make-call/make-call.command';
import { ReportSignalCommand } from '../../src/calls/report-signal/report-signal.command';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import { type ConferenceState, evolveConference } from '../../src/conferences/conference';
import { ReportConferenceSignalCommand } from '../../src/conferences/conference-signals/report-conference-signal.command';
import { type ConferencecallState, evolveConferencecall } from '../../src/conferences/conferencecall';
import { CreateConferenceCommand } from '../../src/conferences/create-conference/create-conference.command';
import { JoinConferenceCommand } from '../../src/conferences/join-conference/join-conference.command';
import { KickConferencecallCommand } from '../../src/conferences/kick-conferencecall/kick-conferencecall.command';
import { StopConferenceCommand } from '../../src/conferences/stop-conference/stop-conference.command';
import type { AppConfig } from '../../src/config/app-config';
import { CLOCK } from '../../src/domain/clock';
import { DomainError } from '../../src/domain/domain-error';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { TimerWorker } from '../../src/timers/timer-worker';
import type { FixedClock } from '../support/fixed-clock';

/** One step of the model: which entity it touches is an index, resolved modulo what exists. */
export type Action =
  | { kind: 'makeCall'; answered: boolean }
  | { kind: 'answer' | 'remoteHangup' | 'localHangup'; call: number }
  | { kind: 'createConference'; type: 'conference' | 'connect'; max: number | null; timeout: number }
  | { kind: 'stop'; conference: number }
  | { kind: 'join'; call: number; conference: number }
  | { kind: 'kick' | 'mediaJoined' | 'mediaLeft'; participant: number }
  | { kind: 'advance'; seconds: number }
  | { kind: 'together'; first: Action; second: Action };

export interface Snapshot {
  calls: Map<string, CallState>;
  conferences: Map<string, ConferenceState>;
  participants: Map<string, ConferencecallState>;
}

/**
 * The whole app without HTTP (real command handlers, sagas, timers, projections, in-memory store) in
 * external media mode: the model plays the media layer, so late and duplicated reports are its choice.
 */
export class ConferenceWorld {
  readonly calls: string[] = [];
  readonly conferences: string[] = [];
  readonly participants: string[] = [];
  private signal = 0;

  private constructor(
    readonly moduleRef: TestingModule,
    private readonly clock: FixedClock,
    private readonly metadata: CommandMetadata,
  ) {}

  static async start(clock: FixedClock): Promise<TestingModule> {
    const config: AppConfig = {
      eventStore: 'sqlite',
      dataDir: ':memory:',
      port: 0,
      host: '127.0.0.1',
      adminApiKey: 'sb_test_admin_key_0123456789abcdef',
      bodyLimitBytes: 65536,
      readYourWritesTimeoutMs: 2000,
      logLevel: 'error',
      mediaGatewayMode: 'external',
    };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
      .overrideProvider(CLOCK)
      .useValue(clock)
      .compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    return moduleRef;
  }

  /** A world for one run: its own tenant, so runs sharing an app never see each other's entities. */
  static for(moduleRef: TestingModule, clock: FixedClock, customerId: string): ConferenceWorld {
    return new ConferenceWorld(moduleRef, clock, {
      correlationId: 'model',
      causationId: 'model',
      customerId,
      actor: 'key:model',
    });
  }

  /** Runs an action; refusals (409/404/422/412) are part of the game, anything else fails the run. */
  async apply(action: Action): Promise<void> {
    try {
      await this.run(action);
    } catch (error) {
      if (error instanceof DomainError && error.kind !== 'unavailable') return;
      throw error;
    }
  }

  private async run(action: Action): Promise<void> {
    const bus = this.moduleRef.get(CommandBus);
    const m = this.metadata;
    // Counted from the newest, so small indices keep acting on the entities the run is busy with.
    const pick = (list: string[], index: number) =>
      list.length === 0 ? null : list[list.length - 1 - (index % list.length)];
    switch (action.kind) {
      case 'makeCall': {
        const outcome = await bus.execute(new MakeCallCommand({ contactId: 'bob' }, m));
        this.calls.push(outcome.state.id);
        if (action.answered) await this.run({ kind: 'answer', call: 0 });
        return;
      }
      case 'answer':
      case 'remoteHangup': {
        const callId = pick(this.calls, action.call);
        if (!callId) return;
        const signals = action.kind === 'answer' ? (['ringing', 'answered'] as const) : (['hangup'] as const);
        for (const signal of signals)
          await bus.execute(
            new ReportSignalCommand(callId, { signalId: `s${++this.signal}`, signal, cause: null }, m),
          );
        return;
      }
      case 'localHangup': {
        const callId = pick(this.calls, action.call);
        if (callId) await bus.execute(new HangupCallCommand(callId, null, m));
        return;
      }
      case 'createConference': {
        const input = {
          conferenceType: action.type,
          maxParticipants: action.max,
          timeout: action.timeout,
        };
        const result = await bus.execute(new CreateConferenceCommand(input, m));
        this.conferences.push(result.state!.id);
        return;
      }
      case 'stop': {
        const id = pick(this.conferences, action.conference);
        if (id) await bus.execute(new StopConferenceCommand(id, m));
        return;
      }
      case 'join': {
        const callId = pick(this.calls, action.call);
        const conferenceId = pick(this.conferences, action.conference);
        if (!callId || !conferenceId) return;
        const input = { conferenceId, referenceType: 'call' as const, referenceId: callId };
        const result = await bus.execute(new JoinConferenceCommand(input, m));
        this.participants.push(result.state!.id);
        return;
      }
      case 'kick':
      case 'mediaJoined':
      case 'mediaLeft': {
        const id = pick(this.participants, action.participant);
        if (!id) return;
        if (action.kind === 'kick') await bus.execute(new KickConferencecallCommand(id, m));
        else
          await bus.execute(
            new ReportConferenceSignalCommand(id, action.kind === 'mediaJoined' ? 'joined' : 'left', m),
          );
        return;
      }
      case 'advance':
        this.clock.advance(action.seconds * 1000);
        await this.moduleRef.get(TimerWorker).fireDue();
        return;
      case 'together':
        // Two requests in flight at once: the interleavings the store's expected revisions must survive.
        await Promise.all([this.apply(action.first), this.apply(action.second)]);
        return;
    }
  }

  /** Every aggregate, folded from the store: the truth the invariants are checked against. */
  static async snapshot(moduleRef: TestingModule): Promise<Snapshot> {
    const snapshot: Snapshot = { calls: new Map(), conferences: new Map(), participants: new Map() };
    for await (const event of moduleRef.get<EventStore>(EVENT_STORE).readAll()) {
      const e = { type: event.type, data: event.data } as never;
      const [category] = event.streamId.split('-', 1);
      const id = event.streamId.slice(category.length + 1);
      if (category === 'call')
        snapshot.calls.set(id, evolveCall(snapshot.calls.get(id) ?? initialCallState, e));
      if (category === 'conference')
        snapshot.conferences.set(id, evolveConference(snapshot.conferences.get(id) ?? null, e));
      if (category === 'conferencecall')
        snapshot.participants.set(id, evolveConferencecall(snapshot.participants.get(id) ?? null, e));
    }
    return snapshot;
  }

  /**
   * Lets the sagas and timers finish: the media layer never answers from here on, so the participants'
   * safety-net timers (join timeout, leave confirmation) are what ends every pending leave. Quiet = the
   * store's head did not move for a few polls and the read models have passed it.
   */
  static async settle(moduleRef: TestingModule, clock: FixedClock): Promise<void> {
    const store = moduleRef.get<EventStore>(EVENT_STORE);
    for (let round = 0; round < 20; round++) {
      const before = await quiet(moduleRef, store);
      clock.advance(61_000);
      await moduleRef.get(TimerWorker).fireDue();
      if ((await quiet(moduleRef, store)) === before) return;
    }
    throw new Error('the world did not settle in 20 rounds of timers');
  }
}

async function quiet(moduleRef: TestingModule, store: EventStore): Promise<bigint | null> {
  let head = await store.headPosition();
  for (let still = 0; still < 4; ) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    const now = await store.headPosition();
    if (now === head) still++;
    else [head, still] = [now, 0];
  }
  if (head !== null) await moduleRef.get(ProjectionEngine).waitForPosition(head, { timeoutMs: 5000 });
  return head;
}
