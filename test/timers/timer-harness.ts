import { join } from 'node:path';
import { callTimerSource } from '../../src/calls/call-process/call-timer-source';
import { CommandExecutor } from '../../src/command-handling/command-executor';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import { type Conference, type ConferenceState, dueConferenceTimers } from '../../src/conferences/conference';
import { conferenceDecider, conferenceTimerCommand } from '../../src/conferences/conference.decider';
import { CONFERENCE_STREAM_PREFIX } from '../../src/conferences/conference-stream';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { ReactorsDatabase } from '../../src/reactors/reactors-database';
import { DueTimers } from '../../src/timers/due-timers';
import { TimerFirings } from '../../src/timers/timer-firings';
import { TimerRegistry, type TimerSource } from '../../src/timers/timer-source';
import { TimerWorker } from '../../src/timers/timer-worker';
import { timersProjection } from '../../src/timers/timers.projection';
import { RecordingLogger } from '../reactors/reactor-fixtures';
import type { FixedClock, SequentialIds } from '../support/fixed-clock';
import { ManualScheduler } from './manual-scheduler';

/**
 * The conference's timer source as the conferences feature registers it; defined here so the timer
 * mechanism is tested against the real conference decider (timeout replaced on update, cancelled on stop).
 */
export const conferenceTimerSource: TimerSource = {
  name: 'conference',
  streamPrefix: CONFERENCE_STREAM_PREFIX,
  decider: conferenceDecider,
  dueTimers: dueConferenceTimers,
  command: (timer, state: Conference, at) => conferenceTimerCommand(timer as never, state, at),
  finished: (state: ConferenceState) => state !== null && state.status === 'terminated',
};

export const USER: CommandMetadata = {
  correlationId: 'request-1',
  causationId: 'request-1',
  customerId: 'customer-a',
  actor: 'key:k1',
};

/** Store, read models, reactors file, timers projection and worker over files in `dir`: one "process". */
export class TimerHarness {
  readonly store: SqliteEventStore;
  readonly readModels: ReadModelDatabase;
  readonly reactors: ReactorsDatabase;
  readonly engine: ProjectionEngine;
  readonly executor: CommandExecutor;
  readonly scheduler = new ManualScheduler();
  readonly worker: TimerWorker;
  readonly timers: DueTimers;
  readonly logger = new RecordingLogger();

  constructor(
    dir: string,
    clock: FixedClock,
    ids: SequentialIds,
    sources: TimerSource[] = [callTimerSource],
  ) {
    this.store = new SqliteEventStore({ filename: join(dir, 'events.db'), clock });
    this.readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
    this.reactors = new ReactorsDatabase(join(dir, 'reactors.db'));
    this.engine = new ProjectionEngine(this.store, this.readModels, { clock });
    this.executor = new CommandExecutor(this.store, ids);
    const registry = new TimerRegistry();
    for (const source of sources) registry.register(source);
    this.timers = new DueTimers(this.engine, this.readModels);
    this.worker = new TimerWorker(
      {
        executor: this.executor,
        registry,
        timers: this.timers,
        firings: new TimerFirings(this.reactors),
        clock,
        scheduler: this.scheduler,
      },
      { logger: this.logger, backoff: { initialMs: 1_000, maxMs: 1_000 } },
    );
    this.engine.register(timersProjection(registry, () => this.worker.notify()));
  }

  start(): void {
    this.engine.start();
    this.worker.start();
  }

  /** Waits until the timers projection has applied everything in the store. */
  async settle(): Promise<void> {
    const head = await this.store.headPosition();
    if (head !== null) await this.engine.waitForPosition(head, { timeoutMs: 2_000 });
  }

  async events(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(streamId)) events.push(event);
    return events;
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.engine.stop();
    await this.store.close();
    await this.readModels.close();
    this.reactors.close();
  }
}
