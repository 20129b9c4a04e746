import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { EventData, RecordedEvent } from '../../src/event-store/event-store';
import {
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../../src/event-store/event-store.errors';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { WalCheckpointer } from '../../src/sqlite/wal-checkpointer';
import { FixedClock } from '../support/fixed-clock';
import { collect, take } from './contract/contract-helpers';
import { describeEventStoreContract } from './event-store.contract';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-sqlite-'));
  tmpDirs.push(dir);
  return dir;
}

describeEventStoreContract('SQLite on disk', {
  create: async () => new SqliteEventStore({ filename: path.join(tmpDir(), 'events.db') }),
  dispose: (store) => store.close(),
});

describeEventStoreContract('SQLite in memory', {
  create: async () => new SqliteEventStore({ filename: ':memory:' }),
  dispose: (store) => store.close(),
});

describe('SqliteEventStore specifics', () => {
  const open = (filename = ':memory:') => new SqliteEventStore({ filename });
  const event = (id = uuidv7()): EventData => ({
    id,
    type: 'ThingHappened',
    data: { n: 1 },
    metadata: { correlation_id: id, causation_id: id, customer_id: 'c', actor: 'system:test' },
  });
  const ids = async (store: SqliteEventStore, stream: string) =>
    (await collect(store.readStream(stream))).map((e) => e.id);

  describe('durability settings', () => {
    /** An fsync the test releases by hand, so the store can be looked at while it runs. */
    const heldSyncs = () => {
      const pending: ((error: NodeJS.ErrnoException | null) => void)[] = [];
      return {
        pending,
        syncFile: (_fd: number, done: (error: NodeJS.ErrnoException | null) => void) =>
          void pending.push(done),
      };
    };
    const settled = async (promise: Promise<unknown>) => {
      let state = 'pending';
      promise.then(
        () => (state = 'resolved'),
        () => (state = 'rejected'),
      );
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      return state;
    };

    it('commits without fsync in COMMIT and fsyncs the WAL itself: an append resolves, and is readable, only after it', async () => {
      const file = path.join(tmpDir(), 'events.db');
      const syncs = heldSyncs();
      const store = new SqliteEventStore({ filename: file, syncFile: syncs.syncFile });
      expect(store.synchronousLevel()).toBe(1);
      const appended = store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' });
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll();
      void (async () => {
        for await (const e of subscription) seen.push(e);
      })();
      expect(await settled(appended)).toBe('pending');
      expect(syncs.pending).toHaveLength(1);
      // Committed to the file, not yet durable: no reader sees it.
      expect(await collect(store.readAll())).toEqual([]);
      await expect(collect(store.readStream('s-1'))).rejects.toBeInstanceOf(StreamNotFound);
      expect(await store.headPosition()).toBeNull();
      expect(seen).toEqual([]);
      // A second append while the fsync runs waits for the next one, which covers both.
      const second = store.appendToStream('s-2', [event()], { expectedRevision: 'no_stream' });
      syncs.pending.shift()?.(null);
      expect(await settled(appended)).toBe('resolved');
      expect(await settled(second)).toBe('pending');
      expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['s-1']);
      expect(syncs.pending).toHaveLength(1);
      syncs.pending.shift()?.(null);
      expect(await settled(second)).toBe('resolved');
      expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['s-1', 's-2']);
      expect(await store.headPosition()).toBe(2n);
      expect(seen.map((e) => e.streamId)).toEqual(['s-1', 's-2']);
      await subscription.unsubscribe();
      await store.close();

      // What any other connection gets by default: WAL, NORMAL (the setting is not stored in the file).
      const raw = new Database(file);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    });

    it('after a failed fsync, the appends waiting for it and every later one fail with StoreUnavailable', async () => {
      const syncs = heldSyncs();
      const store = new SqliteEventStore({
        filename: path.join(tmpDir(), 'events.db'),
        syncFile: syncs.syncFile,
      });
      const appended = store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' });
      expect(await settled(appended)).toBe('pending');
      syncs.pending.shift()?.(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
      await expect(appended).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(appended).rejects.toThrow(/fsync: EIO/);
      await expect(
        store.appendToStream('s-2', [event()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
      expect(syncs.pending).toHaveLength(0);
      expect(await store.headPosition()).toBeNull();
      await store.close();
    });

    it('pays no fsync for a batch that wrote nothing (refusals only)', async () => {
      const syncs = heldSyncs();
      const store = new SqliteEventStore({
        filename: path.join(tmpDir(), 'events.db'),
        syncFile: syncs.syncFile,
      });
      const refused = store.appendToStream('s-1', [event()], { expectedRevision: 3n });
      await expect(refused).rejects.toBeInstanceOf(WrongExpectedVersion);
      expect(syncs.pending).toHaveLength(0);
      await store.close();
    });

    it('honours synchronous=NORMAL when asked for it', async () => {
      const store = new SqliteEventStore({
        filename: path.join(tmpDir(), 'events.db'),
        synchronous: 'NORMAL',
      });
      expect(store.synchronousLevel()).toBe(1);
      await store.close();
    });
  });

  describe('WAL checkpoints off the event loop', () => {
    const appendOneByOne = async (store: SqliteEventStore, commits: number) => {
      for (let i = 0; i < commits; i++)
        await store.appendToStream('s-1', [event()], { expectedRevision: 'any' });
    };
    const eventually = async (check: () => boolean, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('a worker thread copies the WAL back into the file, after 500 commits or a quiet second', async () => {
      const file = path.join(tmpDir(), 'events.db');
      const store = new SqliteEventStore({ filename: file, synchronous: 'NORMAL' });
      const fileSize = () => fs.statSync(file).size;
      const before = fileSize();
      await appendOneByOne(store, 520);
      // The one at 500 commits may run beside the last 20 (a passive checkpoint skips frames still being
      // written); the quiet second after them copies everything.
      await eventually(() => {
        const status = store.walCheckpointStatus();
        return (status?.checkpoints ?? 0) >= 1 && status!.last!.checkpointed === status!.last!.log;
      });
      const { last } = store.walCheckpointStatus()!;
      expect(last!.log).toBeGreaterThan(0);
      expect(last!.checkpointed).toBe(last!.log);
      expect(fileSize()).toBeGreaterThan(before);

      // A few commits and then nothing: still checkpointed, within the interval.
      const checkpoints = store.walCheckpointStatus()!.checkpoints;
      await appendOneByOne(store, 3);
      await eventually(() => store.walCheckpointStatus()!.checkpoints > checkpoints, 3_000);
      expect(await ids(store, 's-1')).toHaveLength(523);
      await store.close();
      expect(store.walCheckpointStatus()!.running).toBe(false);
    });

    it("with walCheckpoints: 'connection' nothing runs beside it: SQLite's auto-checkpoint does the copying", async () => {
      const file = path.join(tmpDir(), 'events.db');
      const store = new SqliteEventStore({
        filename: file,
        synchronous: 'NORMAL',
        walCheckpoints: 'connection',
      });
      const before = fs.statSync(file).size;
      await appendOneByOne(store, 520);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(store.walCheckpointStatus()).toBeNull();
      // 520 small commits stay below its 4,000-page threshold: the file has not grown yet.
      expect(fs.statSync(file).size).toBe(before);
      await store.close();
    });

    it('a worker that cannot open the file hands checkpointing back to the connection, with one warning', async () => {
      const warnings: string[] = [];
      const reasons: string[] = [];
      const checkpointer = new WalCheckpointer(path.join(tmpDir(), 'missing', 'events.db'), {
        everyCommits: 1,
        intervalMs: 10,
        onFailure: (reason) => reasons.push(reason),
        logger: { log() {}, error() {}, warn: (message: string) => warnings.push(message) },
      });
      checkpointer.committed();
      await eventually(() => reasons.length > 0);
      expect(reasons[0]).toMatch(/directory does not exist|unable to open/i);
      expect(warnings).toEqual([expect.stringMatching(/^WAL checkpoints are back on the event loop: /)]);
      expect(checkpointer.status().running).toBe(false);
      await checkpointer.close();
    });
  });

  describe('group commit', () => {
    let store: SqliteEventStore;
    beforeEach(() => {
      store = open();
    });
    afterEach(() => store.close());

    it('commits appends arriving in the same tick in one transaction', async () => {
      const before = store.groupCommitStats();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.appendToStream(`s-${i}`, [event()], { expectedRevision: 'no_stream' }),
        ),
      );
      const after = store.groupCommitStats();
      expect(after.transactions - before.transactions).toBe(1);
      expect(after.appends - before.appends).toBe(100);
      expect(new Set(results.map((r) => r.position)).size).toBe(100);
    });

    it('judges each append alone: failures roll back only themselves, later appends see earlier ones', async () => {
      await store.appendToStream('taken', [event('00000000-0000-7000-8000-000000000001')], {
        expectedRevision: 'no_stream',
      });
      const before = store.groupCommitStats();
      const duplicate = event();
      const outcomes = await Promise.allSettled([
        store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' }),
        store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' }), // conflicts with the first
        store.appendToStream('s-1', [event()], { expectedRevision: 0n }), // sees the first
        store.appendToStream('s-2', [event(), duplicate, duplicate], { expectedRevision: 'no_stream' }),
        store.appendToStream('s-2', [event()], { expectedRevision: 'no_stream' }), // s-2 still absent
        store.appendToStream('s-3', [event('00000000-0000-7000-8000-000000000001')], {
          expectedRevision: 'any',
        }),
        store.appendToStream('s-4', [event()], { expectedRevision: 'no_stream' }),
      ]);
      expect(store.groupCommitStats().transactions - before.transactions).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersion);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ actual: 0n });
      expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(/reuses an event id/);
      expect(await ids(store, 's-1')).toHaveLength(2);
      expect(await ids(store, 's-2')).toHaveLength(1);
      await expect(collect(store.readStream('s-3'))).rejects.toBeInstanceOf(StreamNotFound);
    });

    it("treats a retried append with expected 'any' as idempotent", async () => {
      const batch = [event(), event()];
      const first = await store.appendToStream('s-1', batch, { expectedRevision: 'any' });
      await store.appendToStream('s-1', [event()], { expectedRevision: 'any' });
      expect(await store.appendToStream('s-1', batch, { expectedRevision: 'any' })).toEqual(first);
      expect(await ids(store, 's-1')).toHaveLength(3);
    });

    it('close() commits appends already queued, then refuses new ones', async () => {
      const file = path.join(tmpDir(), 'events.db');
      const closing = open(file);
      const pending = closing.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' });
      await closing.close();
      await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(closing.appendToStream('s-1', [event()], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
      const reopened = open(file);
      expect(await ids(reopened, 's-1')).toHaveLength(1);
      await reopened.close();
    });
  });

  describe('reads and subscriptions', () => {
    it('pages through $all forwards and backwards across page boundaries', async () => {
      const store = open();
      const events = Array.from({ length: 2500 }, () => event());
      await store.appendToStream('big', events, { expectedRevision: 'no_stream' });
      const forwards = await collect(store.readAll());
      expect(forwards.map((e) => e.id)).toEqual(events.map((e) => e.id));
      const backwards = await collect(store.readAll({ direction: 'backwards', maxCount: 1500 }));
      expect(backwards.map((e) => e.id)).toEqual(
        events
          .slice(1000)
          .reverse()
          .map((e) => e.id),
      );
      await store.close();
    });

    it('an idle subscription schedules no timers: it is woken by the commit', async () => {
      const store = open();
      const subscription = store.subscribeToAll();
      const first = take(subscription, 2);
      await store.appendToStream('s-1', [event()], { expectedRevision: 'no_stream' });
      const idle = new Promise((resolve) => setTimeout(resolve, 100));
      const immediates = jest.spyOn(global, 'setImmediate');
      const timeouts = jest.spyOn(global, 'setTimeout');
      await idle;
      expect(immediates).not.toHaveBeenCalled();
      expect(timeouts).not.toHaveBeenCalled();
      jest.restoreAllMocks();
      await store.appendToStream('s-1', [event()], { expectedRevision: 0n });
      expect(await first).toHaveLength(2);
      await store.close();
    });

    it('close() ends running subscriptions', async () => {
      const store = open();
      const iterator = store.subscribeToAll()[Symbol.asyncIterator]();
      const pending = iterator.next();
      await store.close();
      expect((await pending).done).toBe(true);
    });
  });

  describe('events decoded on demand', () => {
    const fields = (e: RecordedEvent) => ({
      streamId: e.streamId,
      revision: e.revision,
      position: e.position,
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      created: e.created,
    });

    it('an event read from the table equals the one the store built eagerly when it appended it', async () => {
      const clock = new FixedClock('2026-03-01T10:00:00.123Z');
      const store = new SqliteEventStore({ filename: ':memory:', clock });
      const appended = [
        event(),
        { ...event(), type: 'OtherThing', data: { nested: { list: [1, 'two', null] } } },
      ];
      await store.appendToStream('s-1', appended, { expectedRevision: 'no_stream' });
      // A subscription from the start is served from the store's memory of recent appends (plain objects).
      const fromMemory = await take(store.subscribeToAll(), 2);
      const fromTable = await collect(store.readAll());
      expect(fromTable.map(fields)).toEqual(fromMemory.map(fields));
      expect(fromTable.map((e) => [e.data, e.metadata])).toEqual(appended.map((e) => [e.data, e.metadata]));
      expect(fromTable[0].created.toISOString()).toBe('2026-03-01T10:00:00.123Z');
      // Decoded once: every read of a field gives the same object.
      expect(fromTable[1].data).toBe(fromTable[1].data);
      expect(fromTable[1].metadata).toBe(fromTable[1].metadata);
      expect(fromTable[1].created).toBe(fromTable[1].created);
      await store.close();
    });

    it('a consumer that skips an event by type never parses it: damaged JSON goes unnoticed until read', async () => {
      const file = path.join(tmpDir(), 'events.db');
      const store = open(file);
      const skipped = { ...event(), type: 'Skipped' };
      await store.appendToStream('s-1', [skipped, event()], { expectedRevision: 'no_stream' });
      await store.close();
      const raw = new Database(file);
      raw.prepare("UPDATE events SET data = '{not json', metadata = '' WHERE event_id = ?").run(skipped.id);
      raw.close();

      const reopened = open(file);
      const read = await collect(reopened.readAll());
      const kept = read.filter((e) => e.type !== 'Skipped');
      expect(kept.map((e) => e.data)).toEqual([{ n: 1 }]);
      const damaged = read.find((e) => e.type === 'Skipped')!;
      expect(damaged.id).toBe(skipped.id);
      expect(() => damaged.data).toThrow(SyntaxError);
      expect(() => damaged.metadata).toThrow(SyntaxError);
      await reopened.close();
    });
  });

  describe('unusable files', () => {
    const expectUnavailable = (filename: string, reason: RegExp) => {
      let error: unknown;
      try {
        open(filename);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreUnavailable);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(filename);
      expect(message).toMatch(reason);
    };

    it('a folder that cannot hold files', () => {
      const notAFolder = path.join(tmpDir(), 'plain-file');
      fs.writeFileSync(notAFolder, 'x');
      expectUnavailable(path.join(notAFolder, 'events.db'), /unable to open database file/);
    });

    it('a missing folder', () => {
      expectUnavailable(path.join(tmpDir(), 'missing', 'events.db'), /directory does not exist/);
    });

    it('a corrupted file', () => {
      const file = path.join(tmpDir(), 'events.db');
      fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
      expectUnavailable(file, /not a database/);
    });

    // root ignores file permissions, so these two can only be checked as an ordinary user.
    const asUser = process.getuid?.() === 0 ? it.skip : it;
    asUser('a folder without write permission (skipped when running as root)', () => {
      const dir = tmpDir();
      fs.chmodSync(dir, 0o500);
      expectUnavailable(path.join(dir, 'events.db'), /unable to open database file/);
      fs.chmodSync(dir, 0o700);
    });

    asUser('a read-only database file (skipped when running as root)', async () => {
      const file = path.join(tmpDir(), 'events.db');
      await open(file).close();
      fs.chmodSync(file, 0o400);
      expectUnavailable(file, /readonly|read-only|unable to open/);
    });
  });
});
