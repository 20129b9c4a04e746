import { validTraceparent } from '../../src/observability/trace-context';
import { TestApp } from '../support/test-app';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent (W3C Trace Context)', () => {
  it.each([
    [TRACEPARENT, TRACEPARENT],
    [
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future',
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future',
    ],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', undefined],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', undefined],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', undefined],
    ['garbage', undefined],
  ])('%p is taken as %p', (header, expected) => {
    expect(validTraceparent(header)).toBe(expected);
  });

  describe('over HTTP', () => {
    let api: TestApp;
    let key: string;
    beforeAll(async () => {
      api = await TestApp.start();
      ({ key } = await api.createCustomer('Traced'));
    });
    afterAll(() => api.close());

    const eventsOf = async (headers: Record<string, string>) => {
      const call = await api.request('POST', '/v1/calls', {
        key,
        headers,
        body: { contact_id: 't', type: 'voice' },
      });
      expect(call.status).toBe(201);
      const events = await api.request('GET', `/v1/calls/${call.body.id}/events`, { key });
      expect(events.status).toBe(200);
      return events.body.result as Record<string, unknown>[];
    };

    it('a valid traceparent is carried into the metadata of the events the request caused', async () => {
      const [created] = await eventsOf({ traceparent: TRACEPARENT, 'x-correlation-id': 'client-corr-1' });
      expect(created).toMatchObject({ traceparent: TRACEPARENT, correlation_id: 'client-corr-1' });
    });

    it('an invalid one is ignored, and the request still succeeds', async () => {
      const [created] = await eventsOf({ traceparent: '00-not-a-trace-01' });
      expect(created.traceparent).toBeNull();
    });
  });
});
