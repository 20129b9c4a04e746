import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { ruleViolated } from '../../src/domain/domain-error';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { withLogContext } from '../../src/observability/log-context';
import { createRootLogger } from '../../src/observability/log-options';
import { ReactorEngine } from '../../src/reactors/reactor-engine';
import { ReactorsDatabase } from '../../src/reactors/reactors-database';
import { SqliteCheckpointStore } from '../../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { appendEvents, eventually, RecordingReactor } from '../reactors/reactor-fixtures';
import { FixedClock, SequentialIds } from '../support/fixed-clock';

type Line = Record<string, unknown>;

/** The process' root logger writing JSON lines into an array; Nest-style `logger.warn(message)` on top. */
function capturedLogs() {
  const lines: Line[] = [];
  const root = createRootLogger(
    { logLevel: 'log' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  );
  const nest: LoggerService = {
    log: (message: string) => root.info(message),
    warn: (message: string) => root.warn(message),
    error: (message: string) => root.error(message),
  };
  return { lines, root, nest };
}

describe('log context of reactions', () => {
  it('adds the fields of the unit of work to every line written inside it, inner fields winning', () => {
    const { lines, root } = capturedLogs();
    withLogContext({ call_id: 'c1', correlation_id: 'outer' }, () => {
      root.info('outer');
      withLogContext({ correlation_id: 'inner' }, () => root.info({ call_id: 'explicit' }, 'inner'));
    });
    root.info('outside');
    expect(lines.map(({ msg, call_id, correlation_id }) => ({ msg, call_id, correlation_id }))).toEqual([
      { msg: 'outer', call_id: 'c1', correlation_id: 'outer' },
      { msg: 'inner', call_id: 'explicit', correlation_id: 'inner' },
      { msg: 'outside', call_id: undefined, correlation_id: undefined },
    ]);
  });

  it("a reactor's warning names the reaction, the event, the call and the correlation", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reaction-logs-'));
    const clock = new FixedClock();
    const store = new SqliteEventStore({ filename: join(dir, 'events.db'), clock });
    const database = new ReactorsDatabase(join(dir, 'reactors.db'));
    const { lines, nest } = capturedLogs();
    const engine = new ReactorEngine(store, new SqliteCheckpointStore(database.connection), {
      clock,
      logger: nest,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    const reactor = new RecordingReactor('strict', undefined, (event) => {
      if (event.type === 'CallCreated') throw ruleViolated('call.invalid_transition', 'already hung up');
    });
    engine.register(reactor);
    engine.start();
    try {
      await appendEvents(store, 'call-a', ['CallCreated', 'CallRinging'], new SequentialIds());
      await eventually(() => engine.status()[0].checkpoint === 2n);
      const warning = lines.find((line) => String(line.msg).includes('already hung up'));
      expect(warning).toMatchObject({
        level: 40,
        reactor: 'strict',
        event_type: 'CallCreated',
        event_id: '00000000-0000-7000-8000-000000000001',
        stream: 'call-a',
        call_id: 'a',
        tenant: 'customer-1',
        correlation_id: 'c',
      });
    } finally {
      await engine.stop();
      database.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
