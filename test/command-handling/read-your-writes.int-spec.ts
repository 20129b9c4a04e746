import { ReadYourWrites } from '../../src/command-handling/read-your-writes';
import type { AppConfig } from '../../src/config/app-config';
import { DomainError } from '../../src/domain/domain-error';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { InputValidationError } from '../../src/http/validation';
import type { Projection } from '../../src/projections/projection';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { HeldProjection } from '../ops/held-projection';
import { FixedClock, SequentialIds } from '../support/fixed-clock';

const passing = (name: string): Projection<'x'> => ({
  name,
  version: 1,
  tables: ['x'],
  setup: () => ({ handle: () => undefined }),
});

describe('ReadYourWrites: a read never answers from a read model behind an acknowledged write', () => {
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let engine: ProjectionEngine;
  let ryw: ReadYourWrites;
  let held: HeldProjection;
  const ids = new SequentialIds();
  const append = async () =>
    (
      await store.appendToStream(
        `thing-${ids.newId()}`,
        [
          {
            id: ids.newId(),
            type: 'ThingHappened',
            data: {},
            metadata: { correlation_id: 'c', causation_id: 'c', customer_id: 't', actor: 'test' },
          },
        ],
        { expectedRevision: 'no_stream' },
      )
    ).position;

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    readModels = new ReadModelDatabase(':memory:');
    engine = new ProjectionEngine(store, readModels, { clock: new FixedClock() });
    held = new HeldProjection();
    engine.register(held.projection());
    engine.register(passing('up-to-date'));
    engine.start();
    ryw = new ReadYourWrites(engine, { readYourWritesTimeoutMs: 100 } as AppConfig);
  });
  afterEach(async () => {
    await engine.stop();
    await readModels.close();
    await store.close();
  });

  it('given a write whose wait ran out, reads of that read model answer read_model.behind until it catches up', async () => {
    const position = await append();
    await ryw.waitFor(position, ['held-back']);

    const refusal = await ryw.ensureFresh(['held-back']).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'unavailable', code: 'read_model.behind' });
    // Other read models owe nothing: their reads go on.
    await expect(ryw.ensureFresh(['up-to-date'])).resolves.toBeUndefined();

    held.held = false;
    await engine.restart('held-back');
    await expect(ryw.ensureFresh(['held-back'])).resolves.toBeUndefined();
  });

  it('a position from another instance is waited for, and refused while it is not reached', async () => {
    const position = await append();
    await expect(ryw.ensureFresh(['up-to-date'], position)).resolves.toBeUndefined();
    await expect(ryw.ensureFresh(['held-back'], position)).rejects.toMatchObject({
      code: 'read_model.behind',
    });
  });

  it('a position past the store head was never written: 400 naming the header, not read_model.behind after the bound', async () => {
    const position = await append();
    const refusal = await ryw.ensureFresh(['up-to-date'], position + 1_000n).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InputValidationError);
    expect((refusal as InputValidationError).fieldErrors).toEqual([
      {
        field: 'Switchboard-Min-Position',
        message: `position ${position + 1_000n} is beyond the last event (${position})`,
      },
    ]);
  });

  it('a wait that succeeds owes nothing', async () => {
    const position = await append();
    await ryw.waitFor(position, ['up-to-date']);
    await expect(ryw.ensureFresh(['up-to-date'])).resolves.toBeUndefined();
  });
});
