import Database from 'better-sqlite3';
import { systemClock } from '../src/domain/clock';
import type { RecordedEvent } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { ReactorRunner } from '../src/reactors/reactor-runner';
import { SharedAllFeed, type SubscriptionSource } from '../src/subscriptions/shared-feed';
import { SqliteCheckpointStore } from '../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { pinToCores, quietLogger, runOnScratchStore, seedCalls } from './catchup-bench-lib';

/**
 * `npm run bench:reactor-catchup`: how fast a batching reactor (`reactBatch`) works through a backlog, as
 * after a takeover or a restart behind the head: BENCH_REACTOR_CALLS calls (default 20,000; five events
 * each) through the process's `SharedAllFeed`, the reaction itself free, so what is measured is delivery,
 * batching and checkpoints. Pairs alternate the runner taking what the feed has ready (`takeAvailable`)
 * with the same subscription hidden behind its iterator only (one promise race per event). Pinned to
 * BENCH_REACTOR_CPUS (default `0`).
 */
/** The subscription without `takeAvailable`: what the runner did before it used it. */
function iteratorOnly(source: SubscriptionSource): SubscriptionSource {
  return {
    subscribeToAll(options) {
      const subscription = source.subscribeToAll(options);
      return {
        unsubscribe: () => subscription.unsubscribe(),
        [Symbol.asyncIterator]: () => subscription[Symbol.asyncIterator](),
      };
    },
  };
}

async function catchUp(store: SqliteEventStore, head: bigint, withTake: boolean) {
  const feed = new SharedAllFeed(store);
  const reactions = { events: 0, batches: 0 };
  let reachedHead: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    reachedHead = resolve;
  });
  const runner = new ReactorRunner({
    reactor: {
      name: 'bench',
      async react() {
        reactions.events++;
      },
      async reactBatch(events: readonly RecordedEvent[]) {
        reactions.events += events.length;
        reactions.batches++;
        if (events[events.length - 1].position >= head) reachedHead();
      },
      maxBatch: 500,
    },
    source: withTake ? feed : iteratorOnly(feed),
    checkpoints: new SqliteCheckpointStore(new Database(':memory:')),
    saveEveryMs: 1_000,
    onFenced: () => {},
    clock: systemClock,
    logger: quietLogger,
    backoff: { initialMs: 10, maxMs: 100 },
  });
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  runner.start();
  await done;
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const used = process.cpuUsage(cpu);
  await runner.stop();
  await feed.stop();
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, ...reactions };
}

async function main(store: SqliteEventStore): Promise<void> {
  const calls = Number(process.env.BENCH_REACTOR_CALLS ?? 20_000);
  await seedCalls(store, calls);
  const head = await store.headPosition();
  if (head === null) throw new Error('nothing seeded');
  for (let pair = 1; pair <= 2; pair++)
    for (const withTake of pair === 1 ? [true, false] : [false, true]) {
      const r = await catchUp(store, head, withTake);
      console.log(
        `pair ${pair}, ${withTake ? 'takeAvailable' : 'iterator only'}: ${r.events.toLocaleString('en-US')} events ` +
          `in ${r.seconds.toFixed(2)} s = ${Math.round(r.events / r.seconds).toLocaleString('en-US')} events/s wall, ` +
          `${Math.round(r.events / r.cpuSeconds).toLocaleString('en-US')} per CPU-second; ` +
          `${r.batches.toLocaleString('en-US')} batches`,
      );
    }
}

const cpus = process.env.BENCH_REACTOR_CPUS ?? '0';
if (pinToCores(cpus)) console.log(`pinned to cores ${cpus}`);
runOnScratchStore('bench-reactor-', main);
