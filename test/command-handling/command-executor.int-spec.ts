import { CommandExecutor } from '../../src/command-handling/command-executor';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import type { Decider, DomainEvent } from '../../src/domain/decider';
import { DomainError, ruleViolated } from '../../src/domain/domain-error';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { SequentialIds } from '../support/fixed-clock';

// A counter that refuses to pass a limit: small enough to read, rich enough to conflict.
type Added = DomainEvent<'Added', { amount: number }>;
type Add = { amount: number; limit: number };
const counter: Decider<Add, Added, number> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.amount,
  decide: (command, total) => {
    if (command.amount === 0) return [];
    if (total + command.amount > command.limit)
      throw ruleViolated('counter.limit', 'over the limit', { total });
    return [{ type: 'Added', data: { amount: command.amount } }];
  },
};

const metadata: CommandMetadata = {
  correlationId: 'corr-1',
  causationId: 'cause-1',
  customerId: 'c-1',
  actor: 'key:k-1',
};

describe('CommandExecutor', () => {
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    executor = new CommandExecutor(store, new SequentialIds());
  });
  afterEach(() => store.close());

  /** The `fromRevision` of every stream read from now on (undefined: from the start). */
  const recordReads = () => {
    const reads: (bigint | 'start' | 'end' | undefined)[] = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((streamId, options) => {
      reads.push(options?.fromRevision);
      return readStream(streamId, options);
    });
    return reads;
  };

  const add = (amount: number, limit = 100, ifMatch?: bigint) =>
    executor.execute({
      decider: counter,
      streamId: 'counter-1',
      command: { amount, limit },
      metadata,
      ifMatch,
    });

  it('appends decided events with metadata and returns the new state, revision and position', async () => {
    const first = await add(5);
    const second = await add(7);
    expect(first).toMatchObject({ state: 5, revision: 0n });
    expect(second).toMatchObject({ state: 12, revision: 1n });
    expect(second.position! > first.position!).toBe(true);
    const stored = [];
    for await (const event of store.readStream('counter-1')) stored.push(event);
    expect(stored.map((e) => [e.type, e.data, e.id])).toEqual([
      ['Added', { amount: 5 }, '00000000-0000-7000-8000-000000000001'],
      ['Added', { amount: 7 }, '00000000-0000-7000-8000-000000000002'],
    ]);
    expect(stored[0].metadata).toEqual({
      correlation_id: 'corr-1',
      causation_id: 'cause-1',
      customer_id: 'c-1',
      actor: 'key:k-1',
    });
  });

  it('a no-op returns the current revision and position without appending', async () => {
    const written = await add(5);
    const noop = await add(0);
    expect(noop).toEqual({ state: 5, events: [], revision: 0n, position: written.position });
    const missing = await executor.execute({
      decider: counter,
      streamId: 'counter-2',
      command: { amount: 0, limit: 1 },
      metadata,
    });
    expect(missing).toEqual({ state: 0, events: [], revision: null, position: null });
  });

  it('re-decides on fresh state when a concurrent writer wins, so the rule holds', async () => {
    // Both read an empty stream; the loser must re-check the limit against 60, not 0.
    const results = await Promise.allSettled([add(60, 100), add(60, 100)]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(fulfilled).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(DomainError);
    expect(rejected[0].reason.code).toBe('counter.limit');
    expect(rejected[0].reason.details).toEqual({ total: 60 });
  });

  it('lets many concurrent writers of one stream all succeed, each on fresh state', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => add(1, 1000)));
    expect(results.map((r) => r.revision).sort((a, b) => Number(a! - b!))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    );
    expect(Math.max(...results.map((r) => r.state))).toBe(20);
  });

  it('gives up with a conflict after a bounded number of attempts', async () => {
    // A store where someone else always writes between the read and the append.
    let rivals = 0;
    const racingStore = Object.create(store) as SqliteEventStore;
    racingStore.appendToStream = async (streamId, events, options) => {
      await store.appendToStream(
        streamId,
        [
          {
            id: `99999999-0000-7000-8000-${String(++rivals).padStart(12, '0')}`,
            type: 'Added',
            data: { amount: 1 },
            metadata: events[0].metadata,
          },
        ],
        { expectedRevision: 'any' },
      );
      return store.appendToStream(streamId, events, options);
    };
    const racing = new CommandExecutor(racingStore, new SequentialIds(), { maxAttempts: 3 });
    await expect(
      racing.execute({
        decider: counter,
        streamId: 'counter-1',
        command: { amount: 1, limit: 1000 },
        metadata,
      }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'concurrency.conflict', details: { attempts: 3 } });
    expect(rivals).toBe(3);
  });

  it('If-Match: a stale revision fails with precondition_failed and is not retried', async () => {
    await add(1);
    await add(1);
    await expect(add(1, 100, 0n)).rejects.toMatchObject({
      kind: 'precondition_failed',
      code: 'revision.stale',
      details: { expected_revision: '0', current_revision: '1' },
    });
    await expect(add(1, 100, 1n)).resolves.toMatchObject({ state: 3, revision: 2n });
  });

  it('a load after a write or a load reads only the events after the revision it folded', async () => {
    const reads = recordReads();
    await add(1);
    await add(2);
    // Another instance (its own cache) appends twice: this one's next load must see both.
    const other = new CommandExecutor(store, new SequentialIds('11111111'));
    for (const amount of [4, 8])
      await other.execute({
        decider: counter,
        streamId: 'counter-1',
        command: { amount, limit: 100 },
        metadata,
      });
    reads.length = 0;
    await expect(executor.load(counter, 'counter-1')).resolves.toMatchObject({ state: 15, revision: 3n });
    await expect(executor.load(counter, 'counter-1')).resolves.toMatchObject({ state: 15, revision: 3n });
    expect(reads).toEqual([2n, 4n]);
    // As of a revision behind what it folded: read from the start, as before.
    await expect(executor.load(counter, 'counter-1', 1n)).resolves.toMatchObject({ state: 3, revision: 1n });
    expect(reads).toEqual([2n, 4n, undefined]);
  });

  it('after a lost race on a cached state, decides again on the events read after that state', async () => {
    const reads = recordReads();
    await add(60);
    const other = new CommandExecutor(store, new SequentialIds('11111111'));
    await other.execute({
      decider: counter,
      streamId: 'counter-1',
      command: { amount: 30, limit: 100 },
      metadata,
    });
    reads.length = 0;
    // Decided on the cached 60 (allowed), the append loses; on 90 it is refused.
    await expect(add(20)).rejects.toMatchObject({ code: 'counter.limit', details: { total: 90 } });
    // One read, of the one event after the cached state; the next command decides on what that read cached.
    await expect(add(10)).resolves.toMatchObject({ state: 100, revision: 2n });
    expect(reads).toEqual([1n]);
  });

  it('a load folds from the start when nothing was folded, and a missing stream is the initial state', async () => {
    await add(3);
    const fresh = new CommandExecutor(store, new SequentialIds('11111111'));
    await expect(fresh.load(counter, 'counter-1')).resolves.toMatchObject({ state: 3, revision: 0n });
    await expect(fresh.load(counter, 'counter-9')).resolves.toEqual({
      state: 0,
      revision: null,
      position: null,
    });
  });

  it('loads the state as of a revision (audit)', async () => {
    await add(1);
    await add(2);
    await add(4);
    await expect(executor.load(counter, 'counter-1', 1n)).resolves.toMatchObject({ state: 3, revision: 1n });
  });
});
