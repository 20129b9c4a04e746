import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/** POST /v1/calls, through real HTTP. Media signals are driven by hand with a `media` key where needed. */
describe('POST /v1/calls', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let customerId: string;
  let mediaKey: string;

  beforeAll(async () => {
    clock = new FixedClock('2023-08-21T08:00:00.000Z');
    // Signals are driven by hand with a media key: no simulated gateway racing the assertions.
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    ({ key, customerId } = await api.createCustomer());
    const media = await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } });
    mediaKey = media.body.key;
  });
  afterAll(() => api.close());

  const make = (body: unknown, headers: Record<string, string> = {}, as = key) =>
    api.request('POST', '/v1/calls', { key: as, body, headers });
  const signal = (callId: string, signalId: string, kind: string) =>
    api.request('POST', `/v1/calls/${callId}/signals`, {
      key: mediaKey,
      body: { signal_id: signalId, signal: kind },
    });

  it("accepts seed 000's body verbatim and answers with its fields, Location and ETag", async () => {
    const response = await make({ contact_id: 'jj084', type: 'voice' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      call_id: response.body.id,
      contact_id: 'jj084',
      type: 'voice',
      start_time: '2023-08-21T08:00:00.000Z',
      end_time: null,
      metadata: {},
      // The same state in VoIPBIN's and seed 001's words.
      status: 'dialing',
      direction: 'outgoing',
      destination: { type: 'agent', target: 'jj084', target_name: '', name: '', detail: '' },
      customer_id: customerId,
      duration: null,
      end_reason: null,
      created_date: '2023-08-21T08:00:00.000Z',
      tm_create: '2023-08-21T08:00:00.000Z',
      revision: '0',
    });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('location')).toBe(`/v1/calls/${response.body.id}`);
    expect(response.headers.get('etag')).toBe('"0"');
  });

  it('shows the new call to a GET right after (read-your-writes), in the list too', async () => {
    const created = await make({ contact_id: 'ryw-1', type: 'video' });
    const fetched = await api.request('GET', `/v1/calls/${created.body.id}`, { key });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    const listed = await api.request('GET', '/v1/calls?contact_id=ryw-1', { key });
    expect(listed.body.result.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });

  it('accepts VoIPBIN addresses, direction, user, metadata, timeouts and a client id', async () => {
    const id = '0190a5e2-7c1a-7000-8000-00000000abcd';
    const body = {
      id: id.toUpperCase(),
      source: { type: 'tel', target: '+821028286521' },
      destination: { type: 'sip', target: 'sip:bob@example.com', target_name: 'Bob', detail: 'desk' },
      direction: 'incoming',
      user_id: 'siap3943',
      metadata: { campaign: 'spring', tags: ['a', 'b'], nested: { n: 1 } },
      dial_timeout: 30,
      max_duration: 600,
    };
    const response = await make({ ...body, contact_id: null });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id,
      type: 'voice',
      direction: 'incoming',
      user_id: 'siap3943',
      contact_id: null,
      source: { type: 'tel', target: '+821028286521', target_name: '', name: '', detail: '' },
      destination: {
        type: 'sip',
        target: 'sip:bob@example.com',
        target_name: 'Bob',
        name: '',
        detail: 'desk',
      },
      metadata: body.metadata,
      dial_timeout: 30,
      max_duration: 600,
    });

    // The same request again with the same id is the same call; another request with it is refused.
    const again = await make(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(response.body);
    const other = await make({ ...body, user_id: 'someone-else' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('call.already_exists');
  });

  describe('master_call_id', () => {
    it('chains the new call to its master', async () => {
      const master = await make({ contact_id: 'master-1' });
      const child = await make({ contact_id: 'child-1', master_call_id: master.body.id });
      expect(child.status).toBe(201);
      expect(child.body.master_call_id).toBe(master.body.id);
      const fetched = await api.request('GET', `/v1/calls/${master.body.id}`, { key });
      expect(fetched.body.chained_call_ids).toEqual([child.body.id]);
      expect(fetched.body.revision).toBe('1');
    });

    it('refuses a master that is ending with 409, and creates nothing', async () => {
      const master = await make({ contact_id: 'master-2' });
      await api.request('POST', `/v1/calls/${master.body.id}/hangup`, { key });
      const childId = '0190a5e2-7c1a-7000-8000-00000000c001';
      const child = await make({ id: childId, contact_id: 'child-2', master_call_id: master.body.id });
      expect(child.status).toBe(409);
      expect(child.body).toMatchObject({ code: 'call.master_ending', current_status: 'canceling' });
      expect((await api.request('GET', `/v1/calls/${childId}`, { key })).status).toBe(404);
    });

    it('answers an unknown or foreign master with 404', async () => {
      const other = await api.createCustomer('Other');
      const foreignMaster = await make({ contact_id: 'x' }, {}, other.key);
      for (const masterId of [foreignMaster.body.id, '0190a5e2-7c1a-7000-8000-00000000dead']) {
        const child = await make({ contact_id: 'child-3', master_call_id: masterId });
        expect(child.status).toBe(404);
        expect(child.body.code).toBe('call.not_found');
      }
      const untouched = await api.request('GET', `/v1/calls/${foreignMaster.body.id}`, { key: other.key });
      expect(untouched.body.chained_call_ids).toEqual([]);
    });

    it('checks the new id before chaining, so a refused create leaves no dangling chain', async () => {
      const master = await make({ contact_id: 'master-4' });
      const taken = await make({ contact_id: 'taken' });
      const child = await make({ id: taken.body.id, contact_id: 'child-4', master_call_id: master.body.id });
      expect(child.status).toBe(409);
      expect(child.body.code).toBe('call.already_exists');
      const fetched = await api.request('GET', `/v1/calls/${master.body.id}`, { key });
      expect(fetched.body.chained_call_ids).toEqual([]);
    });

    it('chains to a master that is talking', async () => {
      const master = await make({ contact_id: 'master-5' });
      await signal(master.body.id, 'm5-answer', 'answered');
      const child = await make({ contact_id: 'child-5', master_call_id: master.body.id });
      expect(child.status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response (same call, same headers) and refuses another body with 422', async () => {
      const headers = { 'idempotency-key': 'make-call-1' };
      const first = await make({ contact_id: 'idem-1' }, headers);
      const second = await make({ contact_id: 'idem-1' }, headers);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect(second.headers.get('etag')).toBe('"0"');
      const listed = await api.request('GET', '/v1/calls?contact_id=idem-1', { key });
      expect(listed.body.result).toHaveLength(1);

      const other = await make({ contact_id: 'idem-2' }, headers);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency.key_reused');
    });
  });

  describe('bad input → 400 naming the field', () => {
    it.each([
      [{}, 'contact_id'],
      [{ type: 'voice' }, 'contact_id'],
      [{ contact_id: 42 }, 'contact_id'],
      [{ contact_id: 'has space' }, 'contact_id'],
      [{ contact_id: 'jj084', type: 'suara' }, 'type'],
      [{ contact_id: 'jj084', extra: 1 }, 'extra'],
      [{ contact_id: 'jj084', id: 'not-a-uuid' }, 'id'],
      [{ contact_id: 'jj084', master_call_id: 'oke2738' }, 'master_call_id'],
      [{ contact_id: 'jj084', direction: 'sideways' }, 'direction'],
      [{ contact_id: 'jj084', metadata: 'text' }, 'metadata'],
      [{ contact_id: 'jj084', metadata: [1, 2] }, 'metadata'],
      [{ contact_id: 'jj084', dial_timeout: 0 }, 'dial_timeout'],
      [{ contact_id: 'jj084', dial_timeout: 1.5 }, 'dial_timeout'],
      [{ contact_id: 'jj084', max_duration: 86_401 }, 'max_duration'],
      [{ contact_id: 'jj084', max_duration: '60' }, 'max_duration'],
      [{ destination: { type: 'fax', target: '1' } }, 'destination.type'],
      [{ destination: { type: 'tel' } }, 'destination.target'],
      [{ destination: { type: 'tel', target: '1', color: 'red' } }, 'destination.color'],
      [{ destination: 'tel:+1' }, 'destination'],
      [{ contact_id: 'jj084', source: { type: 'tel', target: '' } }, 'source.target'],
      [{ contact_id: null, destination: null }, 'contact_id'],
    ])('%j → %s', async (body, field) => {
      const response = await make(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('metadata over 4096 bytes of JSON → 400 naming metadata', async () => {
      const response = await make({ contact_id: 'jj084', metadata: { blob: 'x'.repeat(4090) } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'metadata', message: 'metadata must be at most 4096 bytes of JSON' },
      ]);
    });

    it('malformed JSON → 400, oversize body → 413', async () => {
      const malformed = await api.request('POST', '/v1/calls', { key, rawBody: '{"contact_id":' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('malformed_json');
      const huge = await make({ contact_id: 'jj084', metadata: { blob: 'x'.repeat(70_000) } });
      expect(huge.status).toBe(413);
    });
  });

  describe('keys and roles', () => {
    it('401 without a key; 403 for admin and media keys', async () => {
      expect((await make({ contact_id: 'jj084' }, {}, null as unknown as string)).status).toBe(401);
      const admin = await api.request('POST', '/v1/calls', { body: { contact_id: 'jj084' } });
      expect(admin.status).toBe(403);
      expect((await make({ contact_id: 'jj084' }, {}, mediaKey)).status).toBe(403);
    });
  });
});
