import type { EventStore } from '../../src/event-store/event-store';
import { ProjectionsReadiness } from '../../src/health/projections-readiness';
import type { ProjectionStatus } from '../../src/projections/projection-engine';

const status = (checkpoint: bigint | null, lag: bigint, state: ProjectionStatus['state'] = 'catching_up') =>
  ({
    name: 'call-history',
    activeVersion: 1,
    checkpoint,
    state,
    error: null,
    rebuild: null,
    lag: { positions: lag, ms: 0 },
  }) as ProjectionStatus;

describe('ProjectionsReadiness', () => {
  const storeAt = (head: bigint | null) => ({ headPosition: async () => head }) as unknown as EventStore;

  it('is not ready while a read model is behind the head seen at start, then ready for good', async () => {
    let statuses = [status(40n, 60n)];
    const readiness = new ProjectionsReadiness(storeAt(100n), { status: async () => statuses });
    expect(await readiness.check()).toMatchObject({ ready: false, details: { start_head: '100' } });

    statuses = [status(100n, 30n)]; // caught up with the start head while new events arrive
    expect((await readiness.check()).ready).toBe(true);

    statuses = [status(110n, 500n)]; // later lag under load does not make it unready
    expect((await readiness.check()).ready).toBe(true);
  });

  it('is ready at once on an empty store', async () => {
    const readiness = new ProjectionsReadiness(storeAt(null), { status: async () => [status(null, 0n)] });
    expect((await readiness.check()).ready).toBe(true);
  });

  it('is not ready while a read model has failed, even after catching up', async () => {
    let statuses = [status(100n, 0n, 'live')];
    const readiness = new ProjectionsReadiness(storeAt(100n), { status: async () => statuses });
    expect((await readiness.check()).ready).toBe(true);
    statuses = [status(100n, 5n, 'failed')];
    expect(await readiness.check()).toMatchObject({ ready: false, details: { failed: ['call-history'] } });
  });
});
