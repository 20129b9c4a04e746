import { FixedClock, SequentialIds } from '../../support/fixed-clock';
import { TestApp } from '../../support/test-app';

/**
 * POST /v1/calls/:id/actions and the call-control signals, driven by hand: an external media layer
 * (`media` key) answers and reports, so nothing races the assertions.
 */
describe('POST /v1/calls/:id/actions', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let otherKey: string;
  let mediaKey: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-04-01T12:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const customer = await api.createCustomer();
    key = customer.key;
    mediaKey = (
      await api.request('POST', `/v1/customers/${customer.customerId}/keys`, { body: { role: 'media' } })
    ).body.key;
    otherKey = (await api.createCustomer('Other')).key;
  });
  afterAll(() => api.close());

  const make = async (body: object = { contact_id: 'jj084' }): Promise<string> => {
    const response = await api.request('POST', '/v1/calls', { key, body });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const signal = (id: string, body: object) =>
    api.request('POST', `/v1/calls/${id}/signals`, { key: mediaKey, body });
  const answer = (id: string) => signal(id, { signal_id: `${id}/answered`, signal: 'answered' });
  const act = (id: string, body: unknown, as = key) =>
    api.request('POST', `/v1/calls/${id}/actions`, { key: as, body });
  const answeredCall = async (body?: object) => {
    const id = await make(body);
    expect((await answer(id)).status).toBe(200);
    return id;
  };

  it('runs a talk at once: the call shows it as its action and the conversation has the assistant turn', async () => {
    const id = await answeredCall();
    clock.set('2026-04-01T12:00:10.000Z');
    const response = await act(id, { type: 'talk', option: { text: 'Hello, how can I help you?' } });
    expect(response.status).toBe(200);
    expect(response.body.action).toMatchObject({
      type: 'talk',
      option: { text: 'Hello, how can I help you?', gender: 'female', language: 'en-US' },
      status: 'running',
      tm_execute: '2026-04-01T12:00:10.000Z',
      next_id: null,
    });
    expect(response.body.messages).toEqual([
      { role: 'assistant', content: 'Hello, how can I help you?', tm_create: '2026-04-01T12:00:10.000Z' },
    ]);
  });

  it('queues behind the running action; the media layer finishing it starts the next; speech adds user turns', async () => {
    const id = await answeredCall();
    const talk = (await act(id, { type: 'say', option: { text: 'Hi' } })).body.action;
    const queued = await act(id, { type: 'play', option: { url: 'https://example.com/hold.wav' } });
    expect(queued.body.action.id).toBe(talk.id);
    expect(queued.body.action.next_id).toBe(queued.body.queued_actions[0].id);
    const playId = queued.body.queued_actions[0].id;

    const started = await signal(id, { signal_id: 'm-1', signal: 'action_started', action_id: talk.id });
    expect(started.body.action.tm_media_start).not.toBeNull();
    const next = await signal(id, { signal_id: 'm-2', signal: 'action_finished', action_id: talk.id });
    expect(next.body.action).toMatchObject({ id: playId, type: 'play', status: 'running' });
    expect(next.body.queued_actions).toEqual([]);

    const heard = await signal(id, { signal_id: 'm-3', signal: 'speech', text: 'Hi, can you hear me?' });
    expect(heard.body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['assistant', 'Hi'],
      ['user', 'Hi, can you hear me?'],
    ]);
    const types = (await api.request('GET', `/v1/calls/${id}/events`, { key })).body.result.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(
      expect.arrayContaining(['CallActionsQueued', 'CallActionStarted', 'CallActionMediaStarted']),
    );
    expect(types).toEqual(expect.arrayContaining(['CallActionFinished', 'CallMessageAdded']));
  });

  it('a context note is a system turn; a hangup action ends the call (terminating, normal)', async () => {
    const id = await answeredCall();
    const noted = await act(id, { type: 'inject_context', option: { text: 'Customer is a VIP' } });
    expect(noted.body.messages).toEqual([
      expect.objectContaining({ role: 'system', content: 'Customer is a VIP' }),
    ]);
    expect(noted.body.action).toMatchObject({ type: 'inject_context', status: 'done' });
    const ended = await act(id, { type: 'hangup' });
    expect(ended.body).toMatchObject({ status: 'terminating', hangup_reason: 'normal' });
    expect(ended.body.action).toMatchObject({ type: 'hangup', status: 'done' });
  });

  it('actions given to POST /v1/calls wait for the answer and run in order', async () => {
    const id = await make({
      contact_id: 'jj084',
      actions: [
        { type: 'inject_context', option: { text: 'Outbound survey' } },
        { type: 'talk', option: { text: 'Hello. This is Sungtae.', language: 'en-GB', gender: 'male' } },
      ],
    });
    const before = (await api.request('GET', `/v1/calls/${id}`, { key })).body;
    expect(before.action).toBeNull();
    expect(before.queued_actions.map((a: { type: string }) => a.type)).toEqual(['inject_context', 'talk']);
    const answered = (await answer(id)).body;
    expect(answered.action).toMatchObject({
      type: 'talk',
      option: { text: 'Hello. This is Sungtae.', gender: 'male', language: 'en-GB' },
    });
    expect(answered.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'assistant']);
  });

  it('AMD: a machine with on_machine hangup ends the call with hangup_reason amd', async () => {
    const id = await make({
      contact_id: 'jj084',
      amd: { on_machine: 'hangup' },
      actions: [{ type: 'talk', option: { text: 'Hi' } }],
    });
    const answered = (await answer(id)).body;
    expect(answered.amd).toEqual({ on_machine: 'hangup', result: null });
    expect(answered.action).toBeNull(); // waiting for the verdict
    const verdict = await signal(id, { signal_id: 'amd-1', signal: 'amd', result: 'machine' });
    expect(verdict.body).toMatchObject({
      status: 'terminating',
      hangup_reason: 'amd',
      amd: { result: 'machine' },
    });
    const over = await signal(id, { signal_id: 'hup', signal: 'hangup' });
    expect(over.body).toMatchObject({ status: 'hangup', hangup_by: 'local', end_reason: 'amd' });
  });

  it('AMD: continue, or a human, starts the actions', async () => {
    const id = await make({
      contact_id: 'jj084',
      amd: { on_machine: 'continue' },
      actions: [{ type: 'talk', option: { text: 'Hi' } }],
    });
    await answer(id);
    const verdict = await signal(id, { signal_id: 'amd-2', signal: 'amd', result: 'machine' });
    expect(verdict.body).toMatchObject({
      status: 'progressing',
      action: { type: 'talk', status: 'running' },
    });
  });

  it.each([
    ['not answered yet', 'dialing', 'call.not_answered'],
    ['ending', 'terminating', 'call.ending'],
  ])('409 on a call %s, naming the rule', async (_what, status, code) => {
    const id = await make();
    if (status === 'terminating') {
      await answer(id);
      await api.request('POST', `/v1/calls/${id}/hangup`, { key });
    }
    const response = await act(id, { type: 'talk', option: { text: 'Hi' } });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code, current_status: status });
  });

  it('404 for another tenant’s call and for an unknown one; nothing is queued', async () => {
    const id = await answeredCall();
    for (const response of [
      await act(id, { type: 'talk', option: { text: 'Hi' } }, otherKey),
      await act('0190a5e2-7c1a-7000-8000-00000000beef', { type: 'talk', option: { text: 'Hi' } }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('call.not_found');
    }
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body.action).toBeNull();
  });

  it.each([
    [{}, 'type'],
    [{ type: 'dance' }, 'type'],
    [{ type: 'talk' }, 'option'],
    [{ type: 'talk', option: { text: '' } }, 'option'],
    [{ type: 'talk', option: { text: 'Hi', gender: 'robot' } }, 'option'],
    [{ type: 'talk', option: { text: 'Hi', voice: 'x' } }, 'option'],
    [{ type: 'play', option: { url: 'file:///etc/passwd' } }, 'option'],
    [{ type: 'transfer', option: { destination: { type: 'fax', target: '1' } } }, 'option'],
    [{ type: 'transfer', option: {} }, 'option'],
    [{ type: 'hangup', option: { now: true } }, 'option'],
    [{ type: 'inject_context', option: 'text' }, 'option'],
    [{ type: 'talk', option: { text: 'Hi' }, extra: 1 }, 'extra'],
  ])('%j → 400 naming %s', async (body, field) => {
    const id = await answeredCall();
    const response = await act(id, body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('bad actions or amd on POST /v1/calls → 400 naming the field; nothing is created', async () => {
    for (const [body, field] of [
      [{ contact_id: 'jj084', actions: [{ type: 'talk' }] }, 'actions.0.option'],
      [{ contact_id: 'jj084', actions: 'talk' }, 'actions'],
      [{ contact_id: 'jj084', amd: { on_machine: 'maybe' } }, 'amd.on_machine'],
    ] as const) {
      const response = await api.request('POST', '/v1/calls', { key, body });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('bad control signals → 400 or 422; before the answer → 409', async () => {
    const id = await make();
    const early = await signal(id, { signal_id: 's-1', signal: 'speech', text: 'hello?' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('call.not_answered');
    await answer(id);
    expect((await signal(id, { signal_id: 's-2', signal: 'amd', result: 'cat' })).status).toBe(400);
    const noText = await signal(id, { signal_id: 's-3', signal: 'speech' });
    expect(noText.status).toBe(422);
    expect(noText.body.code).toBe('call.invalid_signal');
  });
});
