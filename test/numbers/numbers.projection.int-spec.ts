import type { RecordedEvent } from '../../src/event-store/event-store';
import {
  evolveNumber,
  initialNumberState,
  type NumberEvent,
  type NumberRegistered,
  type PhoneNumber,
} from '../../src/numbers/number';
import { numberStreamId } from '../../src/numbers/number-stream';
import { numberView } from '../../src/numbers/number-view';
import { numbersProjection } from '../../src/numbers/numbers-read-model/numbers.projection';
import { NumbersQueries } from '../../src/numbers/numbers-read-model/numbers.queries';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import {
  at,
  CUSTOMER,
  dump,
  FakeLog,
  OTHER_CUSTOMER,
  projectionUnderTest,
} from '../conferences/conference-fixtures';
import { projectionTestBed } from '../support/projection-test-bed';

const PHONE = '+31850835037';
const ID_1 = '00000000-0000-7000-8000-0000000000a1';
const ID_2 = '00000000-0000-7000-8000-0000000000a2';

const registered = (numberId = ID_1, customerId = CUSTOMER, seconds = 0): NumberRegistered => ({
  type: 'NumberRegistered',
  data: {
    numberId,
    customerId,
    phoneNumber: PHONE,
    name: 'Desk',
    onIncoming: 'ring',
    actions: [],
    conferenceId: null,
    ringTimeoutSec: 30,
    at: at(seconds),
  },
});
const updated: NumberEvent = {
  type: 'NumberUpdated',
  data: {
    numberId: ID_1,
    name: 'Sales',
    onIncoming: 'answer',
    actions: [{ type: 'talk', option: { text: 'hi' } }],
    conferenceId: null,
    ringTimeoutSec: 15,
    at: at(5),
  },
};
const released = (numberId = ID_1, seconds = 10): NumberEvent => ({
  type: 'NumberReleased',
  data: { numberId, at: at(seconds) },
});

describe('numbers projection', () => {
  const bed = projectionTestBed(
    numbersProjection,
    (engine, readModels) => new NumbersQueries(engine, readModels),
  );

  it('after a registration and an update it shows what the aggregate shows', () => {
    bed.apply(bed.log.append(numberStreamId(PHONE), registered()));
    const first = evolveNumber(initialNumberState, registered()) as PhoneNumber;
    expect(bed.queries.byId(CUSTOMER, ID_1)).toEqual({ number: first, revision: 0n });
    bed.apply(bed.log.append(numberStreamId(PHONE), updated));
    const second = evolveNumber(first, updated) as PhoneNumber;
    expect(bed.queries.byId(CUSTOMER, ID_1)).toEqual({ number: second, revision: 1n });
    expect(bed.queries.list(CUSTOMER, 10).result).toEqual([numberView(second, 1n)]);
  });

  it('hides a released registration and shows the next one, of whichever tenant', () => {
    bed.apply(
      bed.log.append(numberStreamId(PHONE), registered(), released(), registered(ID_2, OTHER_CUSTOMER, 20)),
    );
    expect(bed.queries.byId(CUSTOMER, ID_1)).toBeNull();
    expect(bed.queries.list(CUSTOMER, 10).result).toEqual([]);
    expect(bed.queries.byId(OTHER_CUSTOMER, ID_2)?.revision).toBe(2n);
  });

  it('changes nothing when every event is applied twice, or the stream replayed', () => {
    const recorded = bed.log.append(numberStreamId(PHONE), registered(), updated, released());
    bed.expectReplaySafe(recorded);
  });

  it('answers null for another tenant, and ignores other streams and types', () => {
    bed.apply(bed.log.append(numberStreamId(PHONE), registered()));
    bed.apply(bed.log.append('call-x', registered(ID_2)));
    bed.apply(bed.log.append(numberStreamId(PHONE), { type: 'SomethingElse', data: {} }));
    expect(bed.queries.byId(OTHER_CUSTOMER, ID_1)).toBeNull();
    expect(bed.queries.byId(CUSTOMER, ID_2)).toBeNull();
    expect(bed.queries.byId(CUSTOMER, ID_1)?.revision).toBe(0n);
  });
});
