import { callDecider } from '../../src/calls/call.decider';
import { callStreamId } from '../../src/calls/call-stream';
import { CommandExecutor } from '../../src/command-handling/command-executor';
import type { CommandMetadata } from '../../src/command-handling/command-metadata';
import { CLOCK, type Clock } from '../../src/domain/clock';
import type { TestApp } from '../support/test-app';

/** Seed 004's create body, verbatim. */
export const SEED_CREATE_BODY = {
  type: 'conference',
  name: 'test conference',
  detail: 'test conference for example',
};

const metadataFor = (customerId: string): CommandMetadata => ({
  correlationId: 'test',
  causationId: 'test',
  customerId,
  actor: 'system:test',
});

let callCounter = 0;
const nextCallId = () => `00000000-0000-7000-8000-ca11${(++callCounter).toString(16).padStart(8, '0')}`;

/**
 * A call of this tenant driven straight through the call decider: created, and answered unless told
 * otherwise. The call REST API belongs to another slice; going through the executor keeps these tests about
 * conferences (the join rules read the call stream, never a call read model).
 */
export async function callIn(
  api: TestApp,
  customerId: string,
  state: 'dialing' | 'progressing' = 'progressing',
): Promise<string> {
  const callId = nextCallId();
  const executor = api.app.get(CommandExecutor);
  const at = api.app.get<Clock>(CLOCK).now().toISOString();
  const run = (command: Parameters<typeof callDecider.decide>[0]) =>
    executor.execute({
      decider: callDecider,
      streamId: callStreamId(callId),
      command,
      metadata: metadataFor(customerId),
    });
  await run({
    type: 'MakeCall',
    data: { callId, customerId, at, destination: { type: 'tel', target: '+15551234567' } },
  });
  if (state === 'progressing') {
    for (const signal of ['ringing', 'answered'] as const)
      await run({
        type: 'ReportSignal',
        data: { callId, customerId, signalId: `${callId}-${signal}`, signal, cause: null, at },
      });
  }
  return callId;
}

/** The call's current state, from its stream. */
export async function callState(api: TestApp, callId: string) {
  return (await api.app.get(CommandExecutor).load(callDecider, callStreamId(callId))).state;
}

export async function createConference(
  api: TestApp,
  key: string,
  body: Record<string, unknown> = SEED_CREATE_BODY,
): Promise<string> {
  const response = await api.request('POST', '/v1/conferences', { key, body });
  if (response.status !== 201) throw new Error(`create conference failed: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

export async function join(api: TestApp, key: string, conferenceId: string, callId: string) {
  return api.request('POST', '/v1/conferencecalls', {
    key,
    body: { conference_id: conferenceId, reference_type: 'call', reference_id: callId },
  });
}

/** Polls until the assertion passes: sagas run on their own subscriptions, after the HTTP answer. */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
