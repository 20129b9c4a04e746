import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';

const metadata = { correlation_id: 'c', causation_id: 'c', customer_id: 't', actor: 'test' };

describe('SQLite store written by another connection (the CLI while the server runs)', () => {
  it('wakes a live subscription without polling', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-xproc-')), 'events.db');
    const server = new SqliteEventStore({ filename: file });
    const cli = new SqliteEventStore({ filename: file });
    try {
      const subscription = server.subscribeToAll({ fromPosition: 'end' });
      const iterator = subscription[Symbol.asyncIterator]();
      const next = iterator.next();
      // Give the subscription time to find nothing and wait for a commit.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await cli.appendToStream(`cli-${uuidv7()}`, [{ id: uuidv7(), type: 'Written', data: {}, metadata }], {
        expectedRevision: 'no_stream',
      });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000));
      const result = await Promise.race([next, timeout]);
      expect(result).not.toBe('timeout');
      expect((result as IteratorResult<RecordedEvent>).value.type).toBe('Written');
      await subscription.unsubscribe();
    } finally {
      await cli.close();
      await server.close();
    }
  });
});
