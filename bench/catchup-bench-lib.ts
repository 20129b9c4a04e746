import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { EventData, EventStore } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { runBench } from './run-bench';

const CUSTOMERS = Number(process.env.BENCH_CATCHUP_CUSTOMERS ?? 50);

/**
 * The typical five events of call number `n`: created, ringing, answered (progressing), hangup requested
 * (terminating), hung up; 50 tenants (BENCH_CATCHUP_CUSTOMERS), 1,000 contacts, 200 users.
 */
export function callEvents(callId: string, n: number): EventData[] {
  const customerId = `customer-${n % CUSTOMERS}`;
  const at = new Date(Date.UTC(2026, 0, 1) + n * 37).toISOString();
  const metadata = { correlation_id: callId, causation_id: callId, customer_id: customerId, actor: 'key:k1' };
  const event = (type: string, data: EventData['data']): EventData => ({
    id: uuidv7(),
    type,
    data: { callId, at, ...data },
    metadata,
  });
  const address = (target: string) => ({ type: 'tel', target, targetName: '', name: '', detail: '' });
  return [
    event('CallCreated', {
      customerId,
      type: 'voice',
      direction: 'outgoing',
      source: address('+15550100'),
      destination: address(`+1555${String(n % 10_000).padStart(4, '0')}`),
      contactId: `contact-${n % 1_000}`,
      userId: `user-${n % 200}`,
      masterCallId: null,
      metadata: {},
      dialTimeoutSec: 60,
      maxDurationSec: 3600,
    }),
    event('CallRinging', { signalId: uuidv7() }),
    event('CallAnswered', { signalId: uuidv7() }),
    event('CallHangupRequested', {
      status: 'terminating',
      hangupReason: 'normal',
      endTime: null,
    }),
    event('CallHungUp', {
      hangupBy: 'local',
      hangupReason: 'normal',
      rawCause: null,
      signal: 'hangup',
      signalId: uuidv7(),
      endTime: at,
      durationSec: 42,
      conference: null,
      chainedCallIds: [],
    }),
  ];
}

const CONCURRENT_CALLS = 500;

/**
 * Calls overlap as in a live system: CONCURRENT_CALLS calls are in progress at once, and each append is
 * one event of one of them, so a call's five events are spread over `$all` (and over batches) instead of
 * sitting side by side.
 */
export async function seedCalls(store: EventStore, calls: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      const n = started++;
      const callId = uuidv7();
      const stream = `call-${callId}`;
      const events = callEvents(callId, n);
      for (let revision = 0; revision < events.length; revision++) {
        const expectedRevision = revision === 0 ? 'no_stream' : BigInt(revision - 1);
        await store.appendToStream(stream, [events[revision]!], { expectedRevision });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_CALLS }, worker));
}

/** Logs errors only: a bench's output is its figures. */
export const quietLogger = { log() {}, warn() {}, error: (message: unknown) => console.error(message) };

/** Pins this process and its threads to `cpus` (taskset's list, e.g. `0` or `0,1`); false without taskset. */
export function pinToCores(cpus: string): boolean {
  try {
    require('node:child_process').execFileSync('taskset', ['-a', '-pc', cpus, String(process.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    console.error('taskset unavailable: not pinned');
    return false;
  }
}

/**
 * Runs `bench` on an embedded store in a new temporary folder (`prefix` + random), closed and removed
 * afterwards; a failure is printed and exits 1.
 */
export function runOnScratchStore(
  prefix: string,
  bench: (store: SqliteEventStore, dir: string) => Promise<void>,
): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = new SqliteEventStore({ filename: path.join(dir, 'events.db'), synchronous: 'NORMAL' });
  runBench(() =>
    bench(store, dir).finally(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }),
  );
}
