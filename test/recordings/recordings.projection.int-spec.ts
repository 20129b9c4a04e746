import type { RecordedEvent } from '../../src/event-store/event-store';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { recordingsProjection } from '../../src/recordings/read-model/recordings.projection';
import { RecordingsQueries } from '../../src/recordings/read-model/recordings.queries';
import { evolveRecording, type RecordingEvent, type RecordingState } from '../../src/recordings/recording';
import { recordingStreamId } from '../../src/recordings/recording-stream';
import { recordingViewOf } from '../../src/recordings/recording-view';
import {
  at,
  CUSTOMER,
  dump,
  FakeLog,
  OTHER_CUSTOMER,
  projectionUnderTest,
} from '../conferences/conference-fixtures';
import { projectionTestBed } from '../support/projection-test-bed';

const REC = ['a1', 'a2', 'a3'].map((n) => `00000000-0000-7000-8000-0000000000${n}`);
const CALL = '00000000-0000-7000-8000-0000000000c1';
const CONF = '00000000-0000-7000-8000-0000000000f1';

const started = (id = REC[0], seconds = 0, kind: 'call' | 'conference' = 'call'): RecordingEvent => ({
  type: 'RecordingStarted',
  data: {
    recordingId: id,
    customerId: CUSTOMER,
    referenceType: kind,
    referenceId: kind === 'call' ? CALL : CONF,
    format: 'wav',
    at: at(seconds),
  },
});
const LIFE: RecordingEvent[] = [
  started(),
  { type: 'RecordingStopRequested', data: { recordingId: REC[0], reason: 'requested', at: at(5) } },
  {
    type: 'RecordingFinished',
    data: { recordingId: REC[0], signalId: 's', tmEnd: at(5), durationSec: 5, mediaUrl: null, at: at(6) },
  },
];

describe('recordings projection', () => {
  const bed = projectionTestBed(
    recordingsProjection,
    (engine, readModels) => new RecordingsQueries(engine, readModels),
  );

  it.each(LIFE.map((event, index) => [event.type, index] as const))(
    'after %s the read model shows what the aggregate state shows',
    (_type, index) => {
      const events = LIFE.slice(0, index + 1);
      bed.apply(bed.log.append(recordingStreamId(REC[0]), ...events));
      const state = events.reduce<RecordingState>(evolveRecording, null)!;
      const found = bed.queries.recording(CUSTOMER, REC[0])!;
      expect(recordingViewOf(found.recording, found.revision)).toEqual(recordingViewOf(state, BigInt(index)));
    },
  );

  it('changes nothing when an event is applied twice, or an older one comes late', () => {
    const recorded = bed.log.append(recordingStreamId(REC[0]), ...LIFE);
    bed.expectReplaySafe(recorded);
    const final = bed.dump();
    bed.under.handler.handle(recorded[1]);
    expect(bed.dump()).toEqual(final);
  });

  it('lists by tenant, newest first, by call or conference, and ignores other streams', () => {
    bed.apply(bed.log.append(recordingStreamId(REC[0]), started(REC[0], 0)));
    bed.apply(bed.log.append(recordingStreamId(REC[1]), started(REC[1], 10, 'conference')));
    bed.apply(bed.log.append(recordingStreamId(REC[2]), started(REC[2], 20)));
    bed.apply(bed.log.append(`call-${CALL}`, started(REC[0], 30)));
    const ids = (page: { result: { id: string }[] }) => page.result.map((r) => r.id);
    expect(ids(bed.queries.recordings(CUSTOMER, { pageSize: 10 }))).toEqual([REC[2], REC[1], REC[0]]);
    expect(
      ids(bed.queries.recordings(CUSTOMER, { pageSize: 10, reference: { kind: 'call', id: CALL } })),
    ).toEqual([REC[2], REC[0]]);
    expect(
      ids(bed.queries.recordings(CUSTOMER, { pageSize: 10, reference: { kind: 'conference', id: CONF } })),
    ).toEqual([REC[1]]);
    const first = bed.queries.recordings(CUSTOMER, { pageSize: 2 });
    expect(ids(bed.queries.recordings(CUSTOMER, { pageSize: 2, pageToken: first.next_page_token! }))).toEqual(
      [REC[0]],
    );
    expect(bed.queries.recordings(OTHER_CUSTOMER, { pageSize: 10 }).result).toEqual([]);
    expect(bed.queries.recording(OTHER_CUSTOMER, REC[0])).toBeNull();
  });
});
