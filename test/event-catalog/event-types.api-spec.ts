import { PUBLIC_EVENT_TYPES } from '../../src/event-catalog/public-event-types';
import { TestApp } from '../support/test-app';

describe('GET /v1/event-types and the AsyncAPI document', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await TestApp.start({ config: { simRingDelayMs: 0, simAnswerDelayMs: 0 } });
    key = (await api.createCustomer('Catalogue')).key;
  });
  afterAll(() => api.close());

  it('lists every public type with its version, description and the JSON Schema of data', async () => {
    const response = await api.request('GET', '/v1/event-types', { key });
    expect(response.status).toBe(200);
    const types = response.body.result.map((entry: any) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['call.created', 'call.hangup', 'conference.terminated']));
    expect(types).toEqual(expect.arrayContaining(['conferencecall.joining', 'conferencecall.leaved']));
    for (const entry of response.body.result) {
      expect(entry.version).toBeGreaterThanOrEqual(1);
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.schema.type).toBe('object');
      expect(entry.type).toMatch(/^[a-z]+\.[a-z_]+$/);
    }
    const hangup = response.body.result.find((entry: any) => entry.type === 'call.hangup');
    expect(hangup.schema.required).toEqual(
      expect.arrayContaining(['hangup_by', 'hangup_reason', 'duration']),
    );
  });

  it('schemas match the views the API really renders: same fields, no more, no fewer', async () => {
    const catalogue = (await api.request('GET', '/v1/event-types', { key })).body.result;
    const schemaOf = (type: string) => catalogue.find((entry: any) => entry.type === type).schema;
    const call = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'jj084' } });
    const conference = await api.request('POST', '/v1/conferences', {
      key,
      body: { type: 'conference', name: 'c', detail: 'd' },
    });
    expect(conference.status).toBe(201);
    for (const [type, view] of [
      ['call.created', call.body],
      ['conference.created', conference.body],
    ] as const) {
      const schema = schemaOf(type);
      expect(Object.keys(view).sort()).toEqual([...schema.required].sort());
      expect(Object.keys(schema.properties).sort()).toEqual([...schema.required].sort());
    }
  });

  it('serves an AsyncAPI 3 document generated from the same catalogue and schemas', async () => {
    const catalogue = (await api.request('GET', '/v1/event-types', { key })).body.result;
    const response = await api.request('GET', '/v1/event-types/asyncapi.json', { key });
    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.channels)).toEqual(['events', 'webhooks', 'statusCallbacks']);
    const messages = Object.values(document.components.messages) as any[];
    expect(messages.map((m) => m.name).sort()).toEqual(PUBLIC_EVENT_TYPES.map((t) => t.type).sort());
    for (const entry of catalogue) {
      const message = messages.find((m) => m.name === entry.type);
      expect(message.payload.properties.type).toEqual({ const: entry.type });
      expect(message.payload.properties.data).toEqual(entry.schema);
    }
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    const target = (ref: string) =>
      ref
        .replace('#/', '')
        .split('/')
        .reduce((node: any, part) => node?.[part], document);
    for (const ref of refs) expect(target(ref.slice(8, -1))).toBeDefined();
    expect(document.operations.receiveFeed.channel).toEqual({ $ref: '#/channels/events' });
    // A call's status callback carries the call's own types, and only those.
    const callTypes = PUBLIC_EVENT_TYPES.filter((t) => t.resource === 'call').map((t) => t.type);
    const callbackMessages = Object.values(document.channels.statusCallbacks.messages).map(
      (m: any) => target(m.$ref).name,
    );
    expect(callbackMessages.sort()).toEqual([...callTypes].sort());
    expect(document.operations.receiveStatusCallback.channel).toEqual({ $ref: '#/channels/statusCallbacks' });
  });

  it('needs a key (401) and refuses unknown sub-routes (404 problem)', async () => {
    expect((await api.request('GET', '/v1/event-types', { key: null })).status).toBe(401);
    const missing = await api.request('GET', '/v1/event-types/nope', { key });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
