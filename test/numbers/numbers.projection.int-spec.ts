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
  let readModels: ReadModelDatabase;
  let log: FakeLog;
  let under: ReturnType<typeof projectionUnderTest<'numbers'>>;
  let queries: NumbersQueries;

  beforeEach(() => {
    readModels = new ReadModelDatabase(':memory:');
    log = new FakeLog();
    under = projectionUnderTest(numbersProjection, readModels);
    queries = new NumbersQueries(under.engine, readModels);
  });
  afterEach(() => readModels.close());

  const apply = (events: RecordedEvent[]) => {
    for (const event of events) under.handler.handle(event);
  };

  it('after a registration and an update it shows what the aggregate shows', () => {
    apply(log.append(numberStreamId(PHONE), registered()));
    const first = evolveNumber(initialNumberState, registered()) as PhoneNumber;
    expect(queries.byId(CUSTOMER, ID_1)).toEqual({ number: first, revision: 0n });
    apply(log.append(numberStreamId(PHONE), updated));
    const second = evolveNumber(first, updated) as PhoneNumber;
    expect(queries.byId(CUSTOMER, ID_1)).toEqual({ number: second, revision: 1n });
    expect(queries.list(CUSTOMER, 10).result).toEqual([numberView(second, 1n)]);
  });

  it('hides a released registration and shows the next one, of whichever tenant', () => {
    apply(log.append(numberStreamId(PHONE), registered(), released(), registered(ID_2, OTHER_CUSTOMER, 20)));
    expect(queries.byId(CUSTOMER, ID_1)).toBeNull();
    expect(queries.list(CUSTOMER, 10).result).toEqual([]);
    expect(queries.byId(OTHER_CUSTOMER, ID_2)?.revision).toBe(2n);
  });

  it('changes nothing when every event is applied twice, or the stream replayed', () => {
    const recorded = log.append(numberStreamId(PHONE), registered(), updated, released());
    for (const event of recorded) {
      under.handler.handle(event);
      const once = dump(readModels, under.tables);
      under.handler.handle(event);
      expect(dump(readModels, under.tables)).toEqual(once);
    }
    const final = dump(readModels, under.tables);
    apply(recorded);
    expect(dump(readModels, under.tables)).toEqual(final);
  });

  it('answers null for another tenant, and ignores other streams and types', () => {
    apply(log.append(numberStreamId(PHONE), registered()));
    apply(log.append('call-x', registered(ID_2)));
    apply(log.append(numberStreamId(PHONE), { type: 'SomethingElse', data: {} }));
    expect(queries.byId(OTHER_CUSTOMER, ID_1)).toBeNull();
    expect(queries.byId(CUSTOMER, ID_2)).toBeNull();
    expect(queries.byId(CUSTOMER, ID_1)?.revision).toBe(0n);
  });
});
