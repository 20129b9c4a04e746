import { MAGIC_DESTINATIONS } from '../../../src/calls/media-gateway/simulated-script';
import { TestApp } from '../../support/test-app';
import { CallsClient, tel } from '../call-process/call-process-helpers';

type View = Record<string, any>;

/**
 * Call control through the whole app with the built-in simulated gateway (zero ring and answer delays):
 * the action runner hands talks to the gateway, transfers become chained legs whose outcome (magic
 * destinations) comes back to the call, and AMD answers from the gateway's verdict.
 */
describe('call control with the simulated media gateway', () => {
  let api: TestApp;
  let calls: CallsClient;
  let key: string;

  beforeAll(async () => {
    api = await TestApp.start({ config: { simRingDelayMs: 0, simAnswerDelayMs: 0 } });
    key = (await api.createCustomer()).key;
    calls = new CallsClient(api, key);
  });
  afterAll(() => api.close());

  const view = async (id: string): Promise<View> =>
    (await api.request('GET', `/v1/calls/${id}`, { key })).body;
  const waitFor = async (id: string, ok: (call: View) => boolean, what: string): Promise<View> => {
    const deadline = Date.now() + 4_000;
    for (;;) {
      const call = await view(id);
      if (ok(call)) return call;
      if (Date.now() > deadline) throw new Error(`call ${id}: no ${what}: ${JSON.stringify(call)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const act = (id: string, body: object) => api.request('POST', `/v1/calls/${id}/actions`, { key, body });

  it('a talk made with the call is played by the gateway once answered, and finishes on its own', async () => {
    const { id } = await calls.make({
      destination: tel('+4930123456'),
      actions: [{ type: 'talk', option: { text: 'Hi' } }],
    });
    const done = await waitFor(id, (c) => c.action?.status === 'done', 'finished talk');
    expect(done.action).toMatchObject({ type: 'talk', status: 'done' });
    expect(done.action.tm_media_start).not.toBeNull();
    const finished = (await calls.events(id)).find((e) => e.type === 'CallActionFinished')!;
    expect(finished).toMatchObject({ actor: 'media:simulated', data: { outcome: 'done' } });
  });

  it('record_start and record_stop run the recording feature with the action id as the recording id', async () => {
    const { id } = await calls.make({
      destination: tel('+4930123456'),
      actions: [
        { type: 'record_start' },
        { type: 'talk', option: { text: 'Hi' } },
        { type: 'record_stop' },
        { type: 'record_stop' },
      ],
    });
    const call = await waitFor(
      id,
      (c) => c.queued_actions.length === 0 && c.action?.status !== 'running',
      'end',
    );
    const started = (await calls.events(id)).filter((e) => e.type === 'CallActionStarted');
    const recordingId = (started[0].data.action as { id: string }).id;
    expect(call.recording_ids).toEqual([recordingId]);
    expect(call.recording_id).toBeNull();
    // The second stop has nothing to stop: that action failed, with the recording feature's refusal.
    expect(call.action).toMatchObject({ type: 'record_stop', status: 'failed' });
    const outcomes = (await calls.events(id))
      .filter((e) => e.type === 'CallActionFinished')
      .map((e) => [e.data.type, e.data.outcome]);
    expect(outcomes).toEqual([
      ['record_start', 'done'],
      ['talk', 'done'],
      ['record_stop', 'done'],
      ['record_stop', 'failed'],
    ]);
  });

  it('transfer: the leg answers, the call shows it was transferred; the leg is chained to it', async () => {
    const { id } = await calls.make({ destination: tel('+4930123456') });
    await calls.waitForStatus(id, 'progressing');
    const started = await act(id, {
      type: 'transfer',
      option: { destination: { type: 'tel', target: '+4930777' } },
    });
    expect(started.body.transfer).toMatchObject({ status: 'dialing' });
    const legId = started.body.action.id;
    const call = await waitFor(id, (c) => c.transferred, 'transfer');
    expect(call).toMatchObject({
      status: 'progressing',
      transferred: true,
      transfer: { call_id: legId, status: 'transferred', failure_reason: null },
      chained_call_ids: [legId],
      action: { type: 'transfer', status: 'done' },
    });
    const leg = await view(legId);
    expect(leg).toMatchObject({
      master_call_id: id,
      destination: { target: '+4930777' },
      status: 'progressing',
    });
    expect((await calls.types(id)).filter((t) => t.startsWith('CallTransfer'))).toEqual(['CallTransferred']);
    // Seed 001's document says so in its status enum.
    expect((await api.request('GET', `/v1/call/${id}`, { key })).body.status).toBe('transferred');
    // Hanging up the call hangs up the leg too (chained calls).
    await calls.hangup(id);
    await calls.waitForStatus(legId, 'hangup');
  });

  it('transfer to a busy number fails as an event; the call goes on with the next action', async () => {
    const { id } = await calls.make({ destination: tel('+4930123456') });
    await calls.waitForStatus(id, 'progressing');
    await act(id, {
      type: 'transfer',
      option: { destination: { type: 'tel', target: MAGIC_DESTINATIONS.busy } },
    });
    await act(id, { type: 'talk', option: { text: 'Sorry, nobody is free.' } });
    const call = await waitFor(
      id,
      (c) => c.transfer?.status === 'failed' && c.action?.type === 'talk',
      'failure',
    );
    expect(call).toMatchObject({
      status: 'progressing',
      transferred: false,
      transfer: { status: 'failed', failure_reason: 'busy' },
    });
    const failed = (await calls.events(id)).find((e) => e.type === 'CallTransferFailed')!;
    expect(failed).toMatchObject({ actor: 'system:transfer-legs', data: { reason: 'busy' } });
    expect((await api.request('GET', `/v1/call/${id}`, { key })).body.status).toBe('in_progress');
  });

  it('AMD: the machine number with on_machine hangup ends with hangup_reason amd, before any action', async () => {
    const { id } = await calls.make({
      destination: tel(MAGIC_DESTINATIONS.machine),
      amd: { on_machine: 'hangup' },
      actions: [{ type: 'talk', option: { text: 'Hi' } }],
    });
    const call = await calls.waitForStatus(id, 'hangup', 4_000);
    expect(call).toMatchObject({ hangup_reason: 'amd', hangup_by: 'local' });
    expect((await view(id)).action).toBeNull();
  });

  it('AMD: a human (any other number) starts the actions', async () => {
    const { id } = await calls.make({
      destination: tel('+4930123456'),
      amd: { on_machine: 'hangup' },
      actions: [{ type: 'talk', option: { text: 'Hi' } }],
    });
    const call = await waitFor(id, (c) => c.action !== null, 'action');
    expect(call).toMatchObject({ status: 'progressing', amd: { on_machine: 'hangup', result: 'human' } });
  });
});
