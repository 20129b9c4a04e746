import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { collect } from './contract/contract-helpers';

interface Ack {
  stream: string;
  lastRevision: bigint;
  ids: string[];
}

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(ROOT, 'test/support/sqlite-crash-child.ts');

/** Runs the appending child until it acknowledged `wanted` appends, then kills it with SIGKILL. */
function runAndKill(dbFile: string, wanted: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD, dbFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, stream, revision, ids] = line.split(' ');
      if (kind !== 'ack' || killed) return;
      acks.push({ stream, lastRevision: BigInt(revision), ids: ids.split(',') });
      if (acks.length >= wanted) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(acks);
      else reject(new Error(`child exited early (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe('SQLite event store: crash with SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-crash-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged append, with no revision gaps and no torn batches', async () => {
    const dbFile = path.join(dir, 'events.db');
    const acks = await runAndKill(dbFile, 600);

    const store = new SqliteEventStore({ filename: dbFile });
    try {
      const streams = new Map<string, RecordedEvent[]>();
      for (const stream of new Set(acks.map((ack) => ack.stream))) {
        streams.set(stream, await collect(store.readStream(stream)));
      }
      for (const ack of acks) {
        const events = streams.get(ack.stream)!;
        const first = Number(ack.lastRevision) - ack.ids.length + 1;
        expect(events.slice(first, first + ack.ids.length).map((e) => e.id)).toEqual(ack.ids);
      }
      for (const events of streams.values()) {
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
        // Unacknowledged appends may or may not have landed, but never in part.
        const sizes = new Map<string, number>();
        for (const event of events)
          sizes.set(String(event.data.batchId), (sizes.get(String(event.data.batchId)) ?? 0) + 1);
        for (const event of events) expect(sizes.get(String(event.data.batchId))).toBe(event.data.size);
      }
      expect(acks.length).toBeGreaterThanOrEqual(600);
    } finally {
      await store.close();
    }
  }, 30_000);
});
