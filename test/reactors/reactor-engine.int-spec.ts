import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ruleViolated } from '../../src/domain/domain-error';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { DuplicateReactor, ReactorEngine } from '../../src/reactors/reactor-engine';
import { ReactorsDatabase } from '../../src/reactors/reactors-database';
import { SqliteCheckpointStore } from '../../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { appendEvents, eventually, RecordingLogger, RecordingReactor } from './reactor-fixtures';

/** A reactor with `reactBatch`: records each batch; `failBatch` may throw for a batch. */
class BatchingReactor extends RecordingReactor {
  readonly batches: string[][] = [];
  readonly maxBatch = 3;
  failBatch: (events: readonly RecordedEvent[], attempt: number) => void = () => undefined;
  private batchAttempts = 0;

  async reactBatch(events: readonly RecordedEvent[]): Promise<void> {
    this.batches.push(events.map((event) => event.type));
    this.failBatch(events, ++this.batchAttempts);
  }
}

describe('ReactorEngine', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = new FixedClock();
  let ids: SequentialIds;
  const open: Array<{ engine: ReactorEngine; database: ReactorsDatabase }> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reactors-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.db'), clock });
    ids = new SequentialIds();
  });

  afterEach(async () => {
    for (const { engine, database } of open.splice(0)) {
      await engine.stop();
      database.close();
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startEngine = (reactors: RecordingReactor[], logger = new RecordingLogger()) => {
    const database = new ReactorsDatabase(join(dir, 'reactors.db'));
    // Tiny backoff: the retry tests wait for real timers.
    const engine = new ReactorEngine(store, new SqliteCheckpointStore(database.connection), {
      clock,
      logger,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    for (const reactor of reactors) engine.register(reactor);
    engine.start();
    open.push({ engine, database });
    return { engine, database, logger };
  };

  const stopEngine = async (engine: ReactorEngine) => {
    const index = open.findIndex((entry) => entry.engine === engine);
    const [{ database }] = open.splice(index, 1);
    await engine.stop();
    database.close();
  };

  it('starts a new reactor from the start of $all and delivers its events in order, filtered', async () => {
    // History written before the reactor ever ran: a new reactor must see it (correctness over history).
    await appendEvents(store, 'call-a', ['CallCreated', 'CallRinging'], ids);
    await appendEvents(store, 'conference-x', ['ConferenceCreated'], ids);
    const reactor = new RecordingReactor('calls-only', {
      streamPrefixes: ['call-'],
      eventTypes: ['CallCreated'],
    });
    const all = new RecordingReactor('everything');
    const { engine } = startEngine([reactor, all]);
    await appendEvents(store, 'call-b', ['CallCreated', 'CallAnswered'], ids);

    await all.waitForCalls(5);
    await reactor.waitForCalls(2);
    expect(reactor.types()).toEqual(['call-a:CallCreated', 'call-b:CallCreated']);
    expect(all.seen.map((event) => event.position)).toEqual([1n, 2n, 3n, 4n, 5n]);
    await eventually(() => engine.status().every((status) => status.checkpoint !== null));
    expect(engine.status()).toEqual([
      { name: 'calls-only', checkpoint: 4n, state: 'running', lastError: null },
      { name: 'everything', checkpoint: 5n, state: 'running', lastError: null },
    ]);
  });

  it('resumes from its checkpoint after a restart: events reacted to are not delivered again', async () => {
    const first = new RecordingReactor('r');
    const { engine } = startEngine([first]);
    await appendEvents(store, 'call-a', ['CallCreated', 'CallRinging'], ids);
    await first.waitForCalls(2);
    await eventually(() => engine.status()[0].checkpoint === 2n);
    await stopEngine(engine);

    await appendEvents(store, 'call-a', ['CallAnswered'], ids); // written while no reactor runs

    const second = new RecordingReactor('r');
    startEngine([second]);
    await second.waitForCalls(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(second.types()).toEqual(['call-a:CallAnswered']);
  });

  it('retries a failing reaction with backoff, holding later events back, and reports it as retrying', async () => {
    let failing = true;
    const reactor = new RecordingReactor('flaky', undefined, (event) => {
      if (failing && event.type === 'CallCreated') throw new Error('gateway down');
    });
    const { engine, logger } = startEngine([reactor]);
    await appendEvents(store, 'call-a', ['CallCreated', 'CallRinging'], ids);

    await reactor.waitForCalls(3);
    const [status] = engine.status();
    expect(status).toMatchObject({
      state: 'retrying',
      checkpoint: null,
      lastError: { message: 'gateway down', eventType: 'CallCreated', position: 1n },
    });
    expect(status.lastError!.attempts).toBeGreaterThanOrEqual(2);
    expect(reactor.types().every((type) => type === 'call-a:CallCreated')).toBe(true);
    expect(logger.errors[0]).toContain('gateway down');

    failing = false;
    await eventually(() => engine.status()[0].checkpoint === 2n);
    expect(engine.status()[0].state).toBe('running');
    expect(reactor.types().slice(-2)).toEqual(['call-a:CallCreated', 'call-a:CallRinging']);
  });

  it('gives up on an event whose command is refused (DomainError), logs a warning and moves on', async () => {
    const reactor = new RecordingReactor('strict', undefined, (event) => {
      if (event.type === 'CallCreated') throw ruleViolated('call.invalid_transition', 'already hung up');
    });
    const { engine, logger } = startEngine([reactor]);
    await appendEvents(store, 'call-a', ['CallCreated', 'CallRinging'], ids);

    await eventually(() => engine.status()[0].checkpoint === 2n);
    expect(reactor.types()).toEqual(['call-a:CallCreated', 'call-a:CallRinging']);
    expect(logger.warnings[0]).toContain('already hung up');
    expect(logger.errors).toEqual([]);
  });

  it('hands a reactor with reactBatch what is ready in batches of at most maxBatch, checkpointing after each', async () => {
    await appendEvents(store, 'call-a', ['E1', 'E2', 'E3', 'E4', 'E5'], ids);
    const reactor = new BatchingReactor('batches');
    const { engine } = startEngine([reactor]);

    await eventually(() => engine.status()[0].checkpoint === 5n);
    expect(reactor.batches.flat()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    expect(Math.max(...reactor.batches.map((batch) => batch.length))).toBe(3);
    expect(reactor.seen).toEqual([]);
  });

  it('retries a failed batch whole, and redoes a refused one event by event, skipping only the refused event', async () => {
    await appendEvents(store, 'call-a', ['E1', 'E2', 'Refused'], ids);
    const reactor = new BatchingReactor('batch-failures', undefined, (event) => {
      if (event.type === 'Refused') throw ruleViolated('call.invalid_transition', 'refused');
    });
    reactor.failBatch = (events, attempt) => {
      if (attempt === 1) throw new Error('store unavailable');
      if (events.some((event) => event.type === 'Refused')) throw ruleViolated('x.y', 'refused');
    };
    const { engine, logger } = startEngine([reactor]);

    await eventually(() => engine.status()[0].checkpoint === 3n);
    expect(reactor.batches[0]).toEqual(reactor.batches[1]);
    expect(reactor.types()).toEqual(['call-a:E1', 'call-a:E2', 'call-a:Refused']);
    expect(logger.errors[0]).toContain('store unavailable');
    expect(logger.warnings[0]).toContain('refused');
  });

  it('retries a concurrency conflict: that DomainError is transient', async () => {
    const reactor = new RecordingReactor('contended', undefined, (_event, attempt) => {
      if (attempt < 3) throw new DomainError('conflict', 'concurrency.conflict', 'kept changing');
    });
    const { engine } = startEngine([reactor]);
    await appendEvents(store, 'call-a', ['CallCreated'], ids);

    await eventually(() => engine.status()[0].checkpoint === 1n);
    expect(reactor.types()).toEqual(['call-a:CallCreated', 'call-a:CallCreated', 'call-a:CallCreated']);
  });

  it('stops promptly while backing off, and delivers the unfinished event again after a restart', async () => {
    const database = new ReactorsDatabase(join(dir, 'reactors.db'));
    const reactor = new RecordingReactor('stuck', undefined, () => {
      throw new Error('still down');
    });
    // A long backoff: stop must cut it short rather than wait it out.
    const engine = new ReactorEngine(store, new SqliteCheckpointStore(database.connection), {
      clock,
      logger: new RecordingLogger(),
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    engine.register(reactor);
    engine.start();
    await appendEvents(store, 'call-a', ['CallCreated'], ids);
    await reactor.waitForCalls(1);

    const started = Date.now();
    await engine.stop();
    database.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(engine.status()[0]).toMatchObject({ state: 'stopped', checkpoint: null });

    const again = new RecordingReactor('stuck');
    startEngine([again]);
    await again.waitForCalls(1);
    expect(again.types()).toEqual(['call-a:CallCreated']);
  });

  it('refuses a second reactor under the same name (they would share one checkpoint)', () => {
    const { engine } = startEngine([new RecordingReactor('twice')]);
    expect(() => engine.register(new RecordingReactor('twice'))).toThrow(DuplicateReactor);
  });

  it('starts a reactor registered while running at once', async () => {
    const { engine } = startEngine([]);
    await appendEvents(store, 'call-a', ['CallCreated'], ids);
    const late = new RecordingReactor('late');
    engine.register(late);
    await late.waitForCalls(1);
    expect(late.types()).toEqual(['call-a:CallCreated']);
  });
});
