import type { NumberEvent, NumberRegistered } from '../../src/numbers/number';
import { type NumberCommand, numberDecider } from '../../src/numbers/number.decider';
import { spec } from '../support/decider-spec';

const PHONE = '+31850835037';
const ID_1 = '00000000-0000-7000-8000-000000000001';
const ID_2 = '00000000-0000-7000-8000-000000000002';
const A = 'customer-a';
const B = 'customer-b';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const ref = (numberId = ID_1, customerId = A, at = T0) => ({ numberId, customerId, phoneNumber: PHONE, at });

const register = (
  over: Partial<Extract<NumberCommand, { type: 'RegisterNumber' }>['data']> = {},
): NumberCommand => ({
  type: 'RegisterNumber',
  data: { ...ref(), ...over },
});
const update = (
  over: Partial<Extract<NumberCommand, { type: 'UpdateNumber' }>['data']> = {},
): NumberCommand => ({
  type: 'UpdateNumber',
  data: { ...ref(ID_1, A, T1), ...over },
});
const releaseCommand = (numberId = ID_1, customerId = A): NumberCommand => ({
  type: 'ReleaseNumber',
  data: ref(numberId, customerId, T1),
});

const registered = (over: Partial<NumberRegistered['data']> = {}): NumberRegistered => ({
  type: 'NumberRegistered',
  data: {
    numberId: ID_1,
    customerId: A,
    phoneNumber: PHONE,
    name: '',
    onIncoming: 'ring',
    actions: [],
    conferenceId: null,
    ringTimeoutSec: 30,
    at: T0,
    ...over,
  },
});
const released: NumberEvent = { type: 'NumberReleased', data: { numberId: ID_1, at: T1 } };

describe('number decider', () => {
  const number = spec(numberDecider);

  it('registers a free number with default routing', () => {
    number.given([]).when(register()).then([registered()]);
  });

  it('refuses a taken number with one answer, whoever asks, and absorbs the same registration again', () => {
    number
      .given([registered()])
      .when(register({ numberId: ID_2, customerId: B }))
      .thenRejects('number.taken');
    number
      .given([registered()])
      .when(register({ numberId: ID_2 }))
      .thenRejects('number.taken');
    number
      .given([registered()])
      .when(register({ at: T1 }))
      .thenNothing();
  });

  it('lets anyone register a released number again, under a new id only', () => {
    number
      .given([registered(), released])
      .when(register({ numberId: ID_2, customerId: B, at: T1 }))
      .then([registered({ numberId: ID_2, customerId: B, at: T1 })]);
    number.given([registered(), released]).when(register()).thenRejects('number.taken');
  });

  it('checks the routing as a whole', () => {
    number
      .given([])
      .when(register({ phoneNumber: '0850835037' }))
      .thenRejects('number.invalid');
    number
      .given([])
      .when(register({ onIncoming: 'join_conference' }))
      .thenRejects('number.conference_required');
    number
      .given([])
      .when(register({ conferenceId: 'conf-1' }))
      .thenRejects('number.invalid_routing');
    number
      .given([])
      .when(register({ actions: [{ type: 'talk', option: { text: 'hi' } }] }))
      .thenRejects('number.invalid_routing', { field: 'actions' });
    number
      .given([])
      .when(register({ ringTimeoutSec: 0 }))
      .thenRejects('number.invalid_ring_timeout');
    number
      .given([])
      .when(register({ onIncoming: 'answer', actions: [{ type: 'talk', option: { text: 'hi' } }] }))
      .then([registered({ onIncoming: 'answer', actions: [{ type: 'talk', option: { text: 'hi' } }] })]);
  });

  it('updates only what changes, keeping the rest; the same values again decide nothing', () => {
    number
      .given([registered({ name: 'Desk' })])
      .when(update({ onIncoming: 'join_conference', conferenceId: 'conf-1' }))
      .then([
        {
          type: 'NumberUpdated',
          data: {
            numberId: ID_1,
            name: 'Desk',
            onIncoming: 'join_conference',
            actions: [],
            conferenceId: 'conf-1',
            ringTimeoutSec: 30,
            at: T1,
          },
        },
      ]);
    number
      .given([registered({ name: 'Desk' })])
      .when(update({ name: 'Desk' }))
      .thenNothing();
  });

  it('switching mode drops what only the old mode used', () => {
    const joining = registered({ onIncoming: 'join_conference', conferenceId: 'conf-1' });
    number
      .given([joining])
      .when(update({ onIncoming: 'ring' }))
      .then([
        {
          type: 'NumberUpdated',
          data: {
            numberId: ID_1,
            name: '',
            onIncoming: 'ring',
            actions: [],
            conferenceId: null,
            ringTimeoutSec: 30,
            at: T1,
          },
        },
      ]);
  });

  it('releases; an old id, another tenant, a released number are all unknown', () => {
    number.given([registered()]).when(releaseCommand()).then([released]);
    number.given([registered(), released]).when(releaseCommand()).thenRejects('number.not_found');
    number.given([registered()]).when(releaseCommand(ID_1, B)).thenRejects('number.not_found');
    number
      .given([registered(), released, registered({ numberId: ID_2, at: T1 })])
      .when(update({ name: 'x' }))
      .thenRejects('number.not_found');
  });
});
