import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
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
