import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import { evolveRecording, type Recording, type RecordingEvent } from '../recording';
import { recordingIdFromStream } from '../recording-stream';

export const RECORDINGS_PROJECTION = 'recordings';
export type RecordingsTables = TableNames<'recordings'>;

const RECORDING_EVENT_TYPES: ReadonlySet<string> = new Set<RecordingEvent['type']>([
  'RecordingStarted',
  'RecordingStopRequested',
  'RecordingFinished',
]);

/**
 * One row per recording, by tenant, listed by start time and filtered by call or conference. The row keeps
 * the folded state (the aggregate's own `evolve`), so the read model cannot disagree with the decider.
 * Guarded by the recording stream's revision: an event applied twice changes nothing.
 */
export const recordingsProjection: Projection<'recordings'> = {
  name: RECORDINGS_PROJECTION,
  version: 1,
  tables: ['recordings'],
  setup(db: Database.Database, t: RecordingsTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.recordings} (
        recording_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, reference_type TEXT NOT NULL,
        reference_id TEXT NOT NULL, tm_start TEXT NOT NULL, revision INTEGER NOT NULL, state TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.recordings}_by_start
        ON ${t.recordings} (customer_id, tm_start DESC, recording_id DESC);
      CREATE INDEX IF NOT EXISTS ${t.recordings}_by_reference
        ON ${t.recordings} (customer_id, reference_type, reference_id, tm_start DESC, recording_id DESC);
    `);
    const select = db.prepare<[string], { revision: number; state: string }>(
      `SELECT revision, state FROM ${t.recordings} WHERE recording_id = ?`,
    );
    const insert = db.prepare(
      `INSERT INTO ${t.recordings} (recording_id, customer_id, reference_type, reference_id, tm_start,
         revision, state)
       VALUES (@id, @customerId, @referenceType, @referenceId, @tmStart, @revision, @state)
       ON CONFLICT (recording_id) DO NOTHING`,
    );
    const update = db.prepare(
      `UPDATE ${t.recordings} SET state = @state, revision = @revision
       WHERE recording_id = @id AND revision < @revision`,
    );
    return {
      handle(event: RecordedEvent) {
        if (!RECORDING_EVENT_TYPES.has(event.type)) return;
        const id = recordingIdFromStream(event.streamId);
        if (id === null) return;
        const revision = Number(event.revision);
        const domainEvent = { type: event.type, data: event.data } as RecordingEvent;
        if (domainEvent.type === 'RecordingStarted') {
          const recording = evolveRecording(null, domainEvent) as Recording;
          insert.run({ ...recording, id, revision, state: JSON.stringify(recording) });
          return;
        }
        const row = select.get(id);
        if (!row || row.revision >= revision) return; // unknown, or applied already
        const recording = evolveRecording(JSON.parse(row.state) as Recording, domainEvent);
        update.run({ id, revision, state: JSON.stringify(recording) });
      },
    };
  },
};
