import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadinessService } from '../../src/health/readiness.service';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { TestApp } from '../support/test-app';
import { HeldProjection } from './held-projection';

const eventually = async (probe: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('readiness: /health/live, /health/ready and the API gate', () => {
  it('a fresh instance is live and ready, and health needs no key', async () => {
    const api = await TestApp.start();
    try {
      const live = await api.request('GET', '/health/live', { key: null });
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
      const ready = await api.request('GET', '/health/ready', { key: null });
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.details).sort()).toEqual(['projections', 'reactors', 'runtime', 'store']);
      // One instance on its own store holds the exclusive-work lease, and one shared feed serves every consumer.
      expect(ready.body.details.runtime.lease).toMatchObject({ name: 'exclusive-work', state: 'holding' });
      expect(ready.body.details.runtime.feed.live_consumers).toBeGreaterThan(0);
      expect(ready.body.details.store.status).toBe('up');
      expect(ready.body.details.projections.read_models['call-history'].state).toMatch(/live|catching_up/);
      expect(ready.body.details.reactors.reactors['call-media']).toBeDefined();
    } finally {
      await api.close();
    }
  });

  describe('an instance whose read model is held back on a store with events', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-ready-'));
    const held = new HeldProjection();
    let api: TestApp;
    let key: string;

    beforeAll(async () => {
      const first = await TestApp.start({ config: { dataDir } });
      ({ key } = await first.createCustomer('Held'));
      await first.close();
      api = await TestApp.start({ config: { dataDir }, imports: [held.module()], waitUntilReady: false });
    }, 30_000);
    afterAll(() => api.close());

    it('answers 503 problem+json with Retry-After to a valid key (never 401), and to no key', async () => {
      for (const as of [key, null]) {
        const response = await api.request('GET', '/v1/calls', { key: as });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(response.body).toMatchObject({ status: 503, code: 'not_ready' });
      }
    });

    it('shows in /health/ready which part holds it back', async () => {
      const ready = await api.request('GET', '/health/ready', { key: null });
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('1');
      expect(ready.body.status).toBe('error');
      expect(ready.body.error.projections).toMatchObject({
        status: 'down',
        caught_up: false,
        failed: ['held-back'],
      });
      expect(ready.body.error.projections.read_models['held-back'].state).toBe('failed');
      expect(BigInt(ready.body.error.projections.start_head)).toBeGreaterThan(0n);
      expect(ready.body.info.store.status).toBe('up');
    });

    it('serves once the read model has caught up: 200 from the API and from /health/ready', async () => {
      held.held = false;
      await api.app.get(ProjectionEngine).restart(held.name);
      await eventually(async () => (await api.request('GET', '/v1/calls', { key })).status === 200);
      const ready = await api.request('GET', '/health/ready', { key: null });
      expect(ready.status).toBe(200);
      expect(ready.body.details.projections.read_models['held-back'].lag_events).toBe(0);
    });

    it('from shutdown on: not ready, and the API answers 503 shutting_down with Connection: close', async () => {
      api.app.get(ReadinessService).beginShutdown();
      const response = await api.request('GET', '/v1/calls', { key });
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('shutting_down');
      expect(response.headers.get('connection')).toBe('close');
      const ready = await api.request('GET', '/health/ready', { key: null });
      expect(ready.status).toBe(503);
      expect(ready.body.error.shutdown).toMatchObject({ status: 'down', shutting_down: true });
      expect((await api.request('GET', '/health/live', { key: null })).status).toBe(200);
    });
  });
});
