import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { REACTORS_FILE, ReactorsDatabase } from '../../../src/reactors/reactors-database';
import { FencedOut } from '../../../src/subscriptions/checkpoint-store';
import { LeaseLost } from '../../../src/subscriptions/lease';
import { SqliteCheckpointStore } from '../../../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { SqliteLeaseStore } from '../../../src/subscriptions/sqlite/sqlite-lease-store';

const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'lease-contender-child.ts');
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => ({ now: new Date(T0 + ms), ttlMs: 10_000 });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-lease-xproc-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SQLite leases and checkpoints shared by two servers on one data folder', () => {
  it('two connections to one file: one holder, takeover with a greater token, the old holder fenced', async () => {
    const file = path.join(dir, REACTORS_FILE);
    const [first, second] = [new ReactorsDatabase(file), new ReactorsDatabase(file)];
    try {
      const [leasesA, leasesB] = [
        new SqliteLeaseStore(first.connection),
        new SqliteLeaseStore(second.connection),
      ];
      const [checkpointsA, checkpointsB] = [
        new SqliteCheckpointStore(first.connection),
        new SqliteCheckpointStore(second.connection),
      ];

      const leaseA = (await leasesA.acquire('reactors', 'server-a', at(0)))!;
      expect(await leasesB.acquire('reactors', 'server-b', at(5_000))).toBeNull();
      await checkpointsA.save('reactors', 100n, { fence: leaseA.token });

      // Server A stops renewing (paused, killed); B takes over once the lease expired.
      const leaseB = (await leasesB.acquire('reactors', 'server-b', at(10_000)))!;
      expect(leaseB.token).toBeGreaterThan(leaseA.token);
      expect(await checkpointsB.load('reactors')).toBe(100n);
      await checkpointsB.save('reactors', 150n, { fence: leaseB.token });

      // A wakes up: its renewal and its late checkpoint are both refused.
      await expect(leasesA.renew(leaseA, at(10_001))).rejects.toBeInstanceOf(LeaseLost);
      await expect(checkpointsA.save('reactors', 120n, { fence: leaseA.token })).rejects.toBeInstanceOf(
        FencedOut,
      );
      expect(await checkpointsA.load('reactors')).toBe(150n);
    } finally {
      first.close();
      second.close();
    }
  });

  it('contenders in separate processes racing for the same leases: exactly one wins each', async () => {
    const file = path.join(dir, REACTORS_FILE);
    new ReactorsDatabase(file).close(); // create the file and WAL mode before the race
    const rounds = 200;
    const children = Array.from({ length: 4 }, (_, i) => startContender(file, `process-${i}`, rounds));
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.process.stdin.write('go\n');
    const wins = (await Promise.all(children.map((child) => child.done))).flat();

    const winnersPerLease = new Map<string, number>();
    for (const name of wins) winnersPerLease.set(name, (winnersPerLease.get(name) ?? 0) + 1);
    expect(winnersPerLease.size).toBe(rounds);
    expect([...winnersPerLease.values()].every((count) => count === 1)).toBe(true);
  }, 60_000);
});

interface Contender {
  process: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  /** The names of the leases this contender won. */
  done: Promise<string[]>;
}

function startContender(file: string, holder: string, rounds: number): Contender {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD, file, holder, String(rounds)], {
    cwd: ROOT,
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const wins: string[] = [];
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const [kind, name] = line.split(' ');
    if (kind === 'ready') onReady();
    if (kind === 'won') wins.push(name);
  });
  const done = new Promise<string[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(wins) : reject(new Error(`${holder} exited with ${code}: ${stderr}`)),
    );
  });
  return { process: child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}
