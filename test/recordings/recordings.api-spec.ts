import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callStream } from '../../src/calls/call.stream-type';
import { CommandExecutor } from '../../src/command-handling/command-executor';
import { RECORDING_SCHEMA } from '../../src/event-catalog/resource-schemas';
import { readWavHeader } from '../../src/recordings/wav-file';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { eventually, recordingOf } from './recording-api-helpers';

/** Recording calls and conferences on the simulated media gateway, which writes real WAV files. */
describe('recordings (simulated media gateway)', () => {
  let api: TestApp;
  let clock: FixedClock;
  let dataDir: string;
  let key: string;
  let ownerId: string;
  let other: { customerId: string; key: string };

  beforeAll(async () => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-recordings-'));
    api = await TestApp.start({
      clock,
      ids: new SequentialIds(),
      config: { dataDir, simRingDelayMs: 0, simAnswerDelayMs: 0 },
    });
    ({ key, customerId: ownerId } = await api.createCustomer('Recorder'));
    other = await api.createCustomer('Other');
  });
  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const answeredCall = async (): Promise<string> => {
    const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'jj084' } });
    const id = made.body.id as string;
    await eventually(async () => (await call(id)).body.status === 'progressing');
    return id;
  };
  const call = (id: string, as = key) => api.request('GET', `/v1/calls/${id}`, { key: as });
  const post = (path: string, body?: unknown, as = key) => api.request('POST', path, { key: as, body });

  it('records an answered call: start, stop, then download a WAV as long as the recording', async () => {
    const callId = await answeredCall();
    const started = await post(`/v1/calls/${callId}/recording/start`, { format: 'wav' });
    expect(started.status).toBe(201);
    const recordingId = started.body.id;
    expect(started.headers.get('location')).toBe(`/v1/recordings/${recordingId}`);
    expect(started.body).toMatchObject({
      reference_type: 'call',
      reference_id: callId,
      call_id: callId,
      conference_id: null,
      status: 'recording',
      format: 'wav',
      tm_start: '2026-03-01T10:00:00.000Z',
      tm_end: null,
      duration: null,
      url: `/v1/recordings/${recordingId}/file`,
    });
    expect((await call(callId)).body).toMatchObject({
      recording_id: recordingId,
      recording_ids: [recordingId],
      recording_url: `/v1/recordings/${recordingId}/file`,
    });
    // Not finished yet: no file.
    const early = await api.request('GET', `/v1/recordings/${recordingId}/file`, { key });
    expect(early.status).toBe(404);
    expect(early.body.code).toBe('recording.file_not_ready');

    clock.advance(3_000);
    const stopped = await post(`/v1/calls/${callId}/recording/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ id: recordingId, status: 'stopping', stop_reason: 'requested' });
    const finished = await recordingOf(api, key, recordingId, 'finished');
    expect(finished).toMatchObject({
      tm_start: '2026-03-01T10:00:00.000Z',
      tm_end: '2026-03-01T10:00:03.000Z',
      duration: 3,
      media_url: null,
    });
    expect((await call(callId)).body).toMatchObject({ recording_id: null, recording_ids: [recordingId] });

    const file = await fetch(`${api.baseUrl}/v1/recordings/${recordingId}/file`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/wav');
    const audio = Buffer.from(await file.arrayBuffer());
    expect(audio.toString('ascii', 0, 4)).toBe('RIFF');
    expect(readWavHeader(audio)).toEqual({
      format: 1,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      dataBytes: 48_000,
      durationMs: 3000,
    });
    // The same bytes are a real file under DATA_DIR.
    expect(readFileSync(join(dataDir, 'recordings', `${recordingId}.wav`)).equals(audio)).toBe(true);
  });

  it('refuses what the rules forbid with 409 naming the rule', async () => {
    const ringing = await post('/v1/calls', { destination: { type: 'tel', target: '+15005550005' } });
    const notAnswered = await post(`/v1/calls/${ringing.body.id}/recording/start`);
    expect(notAnswered.status).toBe(409);
    expect(notAnswered.body.code).toBe('call.not_answered');

    const callId = await answeredCall();
    expect((await post(`/v1/calls/${callId}/recording/stop`)).body.code).toBe('call.not_recording');
    expect((await post(`/v1/calls/${callId}/recording/start`)).status).toBe(201);
    const second = await post(`/v1/calls/${callId}/recording/start`);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('call.already_recording');
    expect(second.headers.get('content-type')).toContain('application/problem+json');
  });

  it('stops the recording when the call hangs up', async () => {
    const callId = await answeredCall();
    const started = await post(`/v1/calls/${callId}/recording/start`);
    clock.advance(2_000);
    expect((await post(`/v1/calls/${callId}/hangup`)).status).toBe(200);
    const finished = await recordingOf(api, key, started.body.id, 'finished');
    expect(finished).toMatchObject({ stop_reason: 'call_ended', duration: 2 });
    await eventually(async () => (await call(callId)).body.recording_id === null);
    const ended = await post(`/v1/calls/${callId}/recording/start`);
    expect(ended.status).toBe(409);
    expect(ended.body.code).toBe('call.ending');
  });

  it('records a conference, and stopping the conference stops its recording', async () => {
    const conference = await post('/v1/conferences', { type: 'conference', name: 'rec' });
    const conferenceId = conference.body.id;
    const started = await post(`/v1/conferences/${conferenceId}/recording/start`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      reference_type: 'conference',
      conference_id: conferenceId,
      call_id: null,
    });
    const shown = await api.request('GET', `/v1/conferences/${conferenceId}`, { key });
    expect(shown.body).toMatchObject({ recording_id: started.body.id, recording_ids: [started.body.id] });
    const again = await post(`/v1/conferences/${conferenceId}/recording/start`);
    expect(again.body.code).toBe('conference.already_recording');

    clock.advance(1_000);
    expect((await post(`/v1/conferences/${conferenceId}/stop`)).status).toBe(200);
    const finished = await recordingOf(api, key, started.body.id, 'finished');
    expect(finished).toMatchObject({ stop_reason: 'conference_ended', duration: 1 });
    await eventually(
      async () =>
        (await api.request('GET', `/v1/conferences/${conferenceId}`, { key })).body.recording_id === null,
    );
    const stopped = await post(`/v1/conferences/${conferenceId}/recording/start`);
    expect(stopped.status).toBe(409);
    expect(stopped.body.code).toBe('conference.not_active');
  });

  it('lists recordings newest first, by call or conference, page by page', async () => {
    const callId = await answeredCall();
    const first = (await post(`/v1/calls/${callId}/recording/start`)).body.id;
    clock.advance(1_000);
    await post(`/v1/calls/${callId}/recording/stop`);
    clock.advance(1_000);
    const second = (await post(`/v1/calls/${callId}/recording/start`)).body.id;
    const page1 = await api.request('GET', `/v1/recordings?call_id=${callId}&page_size=1`, { key });
    expect(page1.status).toBe(200);
    expect(page1.body.result.map((r: { id: string }) => r.id)).toEqual([second]);
    const page2 = await api.request(
      'GET',
      `/v1/recordings?call_id=${callId}&page_size=1&page_token=${page1.body.next_page_token}`,
      { key },
    );
    expect(page2.body.result.map((r: { id: string }) => r.id)).toEqual([first]);
    expect(page2.body.next_page_token).toBeNull();
    const all = await api.request('GET', '/v1/recordings?page_size=100', { key });
    expect(all.body.result.length).toBeGreaterThanOrEqual(2);
    expect((await call(callId)).body.recording_ids).toEqual([first, second]);
  });

  it('shows recording events in the audit trails', async () => {
    const callId = await answeredCall();
    const recordingId = (await post(`/v1/calls/${callId}/recording/start`)).body.id;
    await post(`/v1/calls/${callId}/recording/stop`);
    await recordingOf(api, key, recordingId, 'finished');
    const callEvents = await api.request('GET', `/v1/calls/${callId}/events`, { key });
    const callTypes = callEvents.body.result.map((e: { type: string }) => e.type);
    expect(callTypes).toEqual(expect.arrayContaining(['CallRecordingStarted', 'CallRecordingStopped']));
    const trail = await api.request('GET', `/v1/recordings/${recordingId}/events`, { key });
    expect(trail.body.result.map((e: { type: string }) => e.type)).toEqual([
      'RecordingStarted',
      'RecordingStopRequested',
      'RecordingFinished',
    ]);
  });

  it('completes a start that crashed after taking the call’s slot (the lifecycle saga creates the recording)', async () => {
    const callId = await answeredCall();
    const recordingId = '00000000-0000-7000-8000-00000000abcd';
    // Step 1 of the start only, as if the process died before step 2.
    const customerId = ownerId;
    const metadata = { correlationId: 'crash', causationId: 'crash', customerId, actor: 'test' };
    await api.app.get(CommandExecutor).run(
      callStream,
      callId,
      {
        type: 'StartCallRecording',
        data: { callId, customerId, recordingId, format: 'wav', at: clock.now().toISOString() },
      },
      metadata,
    );
    const recovered = await recordingOf(api, key, recordingId, 'recording');
    expect(recovered).toMatchObject({ call_id: callId, tm_start: clock.now().toISOString() });
    clock.advance(1_000);
    await post(`/v1/calls/${callId}/recording/stop`);
    expect(await recordingOf(api, key, recordingId, 'finished')).toMatchObject({ duration: 1 });
  });

  it('publishes recording.* events whose data is the recording as GET shows it', async () => {
    const callId = await answeredCall();
    const recordingId = (await post(`/v1/calls/${callId}/recording/start`)).body.id;
    await post(`/v1/calls/${callId}/recording/stop`);
    const finished = await recordingOf(api, key, recordingId, 'finished');
    const feed = await eventually(async () => {
      const page = await api.request('GET', `/v1/events?call_id=${callId}&types=recording.*`, { key });
      return page.body.result?.length === 3 ? page.body.result : null;
    });
    expect(feed.map((e: { type: string }) => e.type)).toEqual([
      'recording.started',
      'recording.stopping',
      'recording.finished',
    ]);
    expect(feed[2]).toMatchObject({ source: '/v1/recordings', subject: recordingId, data: finished });
    expect(Object.keys(finished).sort()).toEqual([...(RECORDING_SCHEMA.required as string[])].sort());
    const catalogue = await api.request('GET', '/v1/event-types', { key });
    const types = catalogue.body.result.map((entry: { type: string }) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['recording.started', 'recording.finished']));
  });

  it('answers 404 to another tenant on every route, and nothing leaks', async () => {
    const callId = await answeredCall();
    const recordingId = (await post(`/v1/calls/${callId}/recording/start`)).body.id;
    const conference = (await post('/v1/conferences', { type: 'conference' })).body.id;
    for (const response of [
      await post(`/v1/calls/${callId}/recording/start`, undefined, other.key),
      await post(`/v1/calls/${callId}/recording/stop`, undefined, other.key),
      await post(`/v1/conferences/${conference}/recording/start`, undefined, other.key),
      await post(`/v1/conferences/${conference}/recording/stop`, undefined, other.key),
      await api.request('GET', `/v1/recordings/${recordingId}`, { key: other.key }),
      await api.request('GET', `/v1/recordings/${recordingId}/file`, { key: other.key }),
      await api.request('GET', `/v1/recordings/${recordingId}/events`, { key: other.key }),
    ]) {
      expect(response.status).toBe(404);
      // The answer an unknown id gets: nothing about the owner or the recording.
      expect(JSON.stringify(response.body)).not.toContain(ownerId);
      expect(response.body.reference_type).toBeUndefined();
    }
    const list = await api.request('GET', `/v1/recordings?call_id=${callId}`, { key: other.key });
    expect(list.body).toEqual({ result: [], next_page_token: null });
    expect((await call(callId)).body.recording_id).toBe(recordingId);
  });

  it('refuses bad input with 400 problems, never a 5xx', async () => {
    const callId = await answeredCall();
    const cases = [
      await post('/v1/calls/not-a-uuid/recording/start'),
      await post(`/v1/calls/${callId}/recording/start`, { format: 'mp3' }),
      await post(`/v1/calls/${callId}/recording/start`, { colour: 'blue' }),
      await post('/v1/conferences/nope/recording/stop'),
      await api.request('GET', '/v1/recordings/nope', { key }),
      await api.request('GET', '/v1/recordings?call_id=nope', { key }),
      await api.request('GET', `/v1/recordings?call_id=${callId}&conference_id=${callId}`, { key }),
      await api.request('GET', '/v1/recordings?page_token=garbage', { key }),
      await api.request('GET', '/v1/recordings?page_size=0', { key }),
    ];
    for (const response of cases) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const unknown = await api.request('GET', `/v1/recordings/${callId}`, { key });
    expect(unknown.status).toBe(404);
    expect((await call(callId)).body.recording_ids).toEqual([]);
  });
});
