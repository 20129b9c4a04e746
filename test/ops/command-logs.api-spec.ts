import { eventually } from '../conferences/conference-api-helpers';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

type Line = Record<string, unknown>;

/**
 * Issue 11: command and reaction logs carry the correlation and the call/conference ids. The app writes
 * its JSON lines into a pino destination here, exactly as `src/main.ts` wires them to stdout.
 */
describe('command and reaction logs', () => {
  const lines: Line[] = [];
  let api: TestApp;
  let key: string;
  let customerId: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-03-04T05:00:00.000Z'),
      config: { logLevel: 'log', mediaGatewayMode: 'simulated', simRingDelayMs: 0, simAnswerDelayMs: 0 },
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
    });
    ({ key, customerId } = await api.createCustomer('Logs'));
  });
  afterAll(() => api.close());

  const send = (method: string, path: string, correlationId: string, body?: object) =>
    api.request(method, path, { key, body, headers: { 'x-correlation-id': correlationId } });
  const commandLines = (correlationId: string) =>
    lines.filter((line) => line.context === 'Command' && line.correlation_id === correlationId);

  it('names the call and the correlation on the command line and on every command its reactions send', async () => {
    const made = await send('POST', '/v1/calls', 'corr-call-1', { contact_id: 'bob', type: 'voice' });
    expect(made.status).toBe(201);
    const callId = made.body.id as string;
    await eventually(async () =>
      expect((await send('GET', `/v1/calls/${callId}`, 'read')).body.status).toBe('progressing'),
    );

    const [makeCall, ...caused] = commandLines('corr-call-1');
    expect(makeCall).toMatchObject({
      msg: 'command appended',
      level: 30,
      command: 'MakeCall',
      result: 'appended',
      stream: `call-${callId}`,
      call_id: callId,
      tenant: customerId,
      actor: expect.stringMatching(/^key:/),
      causation_id: expect.any(String),
      events: 1,
      attempts: 1,
      duration_ms: expect.any(Number),
    });
    expect(makeCall.reactor).toBeUndefined();
    expect(caused).toEqual([]);
    // The simulated gateway's ringing and answer come back as commands while the call-media reaction to
    // CallCreated runs: each names the call and that reaction; a media signal starts its own correlation
    // (its signal id), as a real gateway's signal request would.
    const signals = lines.filter((line) => line.command === 'ReportSignal' && line.call_id === callId);
    expect(signals.length).toBeGreaterThanOrEqual(2);
    for (const line of signals)
      expect(line).toMatchObject({
        result: 'appended',
        stream: `call-${callId}`,
        tenant: customerId,
        actor: 'media:simulated',
        reactor: 'call-media',
        event_type: 'CallCreated',
        event_id: expect.any(String),
        correlation_id: line.causation_id,
      });
    // The request line shares the correlation id, so one grep finds the request and all it caused.
    expect(
      lines.filter((line) => line.msg === 'request completed' && line.correlation_id === 'corr-call-1'),
    ).toHaveLength(1);
  });

  it('names conference, participant and call on a join and on the kick the participant saga finishes', async () => {
    const made = await send('POST', '/v1/calls', 'corr-call-2', { contact_id: 'ann', type: 'voice' });
    const callId = made.body.id as string;
    await eventually(async () =>
      expect((await send('GET', `/v1/calls/${callId}`, 'read')).body.status).toBe('progressing'),
    );
    const conference = await send('POST', '/v1/conferences', 'corr-conf', { type: 'conference' });
    const conferenceId = conference.body.id as string;
    expect(commandLines('corr-conf')[0]).toMatchObject({
      command: 'CreateConference',
      stream: `conference-${conferenceId}`,
      conference_id: conferenceId,
    });

    const joined = await send('POST', '/v1/conferencecalls', 'corr-join', {
      conference_id: conferenceId,
      reference_type: 'call',
      reference_id: callId,
    });
    expect(joined.status).toBe(201);
    const participantId = joined.body.id as string;
    const join = commandLines('corr-join');
    expect(join.find((line) => line.stream === `conferencecall-${participantId}`)).toMatchObject({
      conferencecall_id: participantId,
      conference_id: conferenceId,
      call_id: callId,
    });
    expect(join.find((line) => line.stream === `conference-${conferenceId}`)).toMatchObject({
      conference_id: conferenceId,
      conferencecall_id: participantId,
      call_id: callId,
    });

    await eventually(async () =>
      expect((await send('GET', `/v1/conferencecalls/${participantId}`, 'read')).body.status).toBe('joined'),
    );
    expect((await send('DELETE', `/v1/conferencecalls/${participantId}`, 'corr-kick')).status).toBe(200);
    await eventually(async () =>
      expect((await send('GET', `/v1/conferencecalls/${participantId}`, 'read')).body.status).toBe('leaved'),
    );
    const kick = commandLines('corr-kick');
    expect(kick).toEqual([
      expect.objectContaining({ command: 'Kick', conferencecall_id: participantId, result: 'appended' }),
    ]);
    // What the sagas did about it: each command names its reaction, the event and every id it is about.
    const saga = lines.filter((line) => line.conferencecall_id === participantId && line.reactor);
    const byCommand = (command: string) => saga.find((line) => line.command === command);
    expect(byCommand('ConfirmLeft')).toMatchObject({
      reactor: 'conferences.kick-leave',
      event_type: 'ConferencecallKicked',
      stream: `conferencecall-${participantId}`,
      conference_id: conferenceId,
    });
    expect(byCommand('RemoveParticipant')).toMatchObject({
      reactor: 'conferences.participant-cleanup',
      event_type: 'ConferencecallLeft',
      stream: `conference-${conferenceId}`,
      conference_id: conferenceId,
    });
    expect(byCommand('ReleaseConference')).toMatchObject({
      stream: `call-${callId}`,
      call_id: callId,
      conference_id: conferenceId,
    });
  });
});
