import type { EventStore } from '../../src/event-store/event-store';

/**
 * Events stored in older shapes (fixtures written straight into the store, as an earlier release did)
 * come out of every consumer in the current public shape.
 */
export const OLD_CALL_ID = '0190a5e2-7c1a-7000-8000-00000000c0de';
export const OLD_CONFERENCE_ID = '0190a5e2-7c1a-7000-8000-00000000c0nf'.replace('nf', '0f');

export async function storeOldShapeFixtures(store: EventStore, customerId: string): Promise<void> {
  const metadata = { correlation_id: 'old', causation_id: 'old', customer_id: customerId, actor: 'key:old' };
  const at = '2020-01-01T00:00:00.000Z';
  await store.appendToStream(
    `call-${OLD_CALL_ID}`,
    [
      {
        // No `metadata`: calls had none before client metadata existed.
        id: '0190a5e2-7c1a-7000-8000-0000000e0001',
        type: 'CallCreated',
        data: {
          callId: OLD_CALL_ID,
          customerId,
          type: 'voice',
          direction: 'outgoing',
          source: null,
          destination: { type: 'agent', target: 'jj084', targetName: '', name: '', detail: '' },
          contactId: 'jj084',
          userId: null,
          masterCallId: null,
          dialTimeoutSec: 60,
          maxDurationSec: 3600,
          at,
        },
        metadata,
      },
      {
        // No `endTime`: clients could not give one yet.
        id: '0190a5e2-7c1a-7000-8000-0000000e0002',
        type: 'CallHangupRequested',
        data: { callId: OLD_CALL_ID, status: 'canceling', hangupReason: 'cancel', at },
        metadata,
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  await store.appendToStream(
    `conference-${OLD_CONFERENCE_ID}`,
    [
      {
        // `type` instead of `conferenceType`.
        id: '0190a5e2-7c1a-7000-8000-0000000e0003',
        type: 'ConferenceCreated',
        data: {
          conferenceId: OLD_CONFERENCE_ID,
          customerId,
          type: 'connect',
          name: 'old',
          detail: '',
          data: {},
          timeout: 0,
          timeoutAt: null,
          maxParticipants: null,
          preActions: [],
          postActions: [],
          at,
        },
        metadata,
      },
    ],
    { expectedRevision: 'no_stream' },
  );
}

export function expectCurrentShape(events: { type: string; data: any }[]): void {
  expect(events.map((event) => event.type)).toEqual(['call.created', 'call.canceling', 'conference.created']);
  expect(events[0].data).toMatchObject({ metadata: {}, status: 'dialing' });
  expect(events[1].data).toMatchObject({ status: 'canceling', end_time: null, hangup_reason: 'cancel' });
  expect(events[2].data).toMatchObject({ type: 'connect', name: 'old' });
}
