import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import type {
  ConferenceCreated,
  ConferenceEvent,
  ConferenceParticipantAdmitted,
  ConferenceParticipantRemoved,
  ConferenceRecordingStarted,
  ConferenceTerminated,
  ConferenceTerminationStarted,
  ConferenceUpdated,
} from '../conference';
import { conferenceIdFromStream } from '../conference-stream';

export const CONFERENCES_PROJECTION = 'conferences';
export type ConferencesTable = 'conferences' | 'participants';
export type ConferencesTables = TableNames<ConferencesTable>;

const CONFERENCE_EVENT_TYPES: ReadonlySet<string> = new Set<ConferenceEvent['type']>([
  'ConferenceCreated',
  'ConferenceUpdated',
  'ConferenceParticipantAdmitted',
  'ConferenceParticipantRemoved',
  'ConferenceTerminationStarted',
  'ConferenceTerminated',
  'ConferenceRecordingStarted',
  'ConferenceRecordingStopped',
]);

/**
 * Conferences by tenant, with their current participants (seed 004 `conferencecall_ids`) and count.
 *
 * Every change is guarded by the conference stream's revision: an event is applied only when its revision
 * is above the row's, so a replayed or duplicated event changes nothing, including the participant list
 * and count, which are not idempotent on their own.
 *
 * Version 2: `recording_id` and `recording_ids` (a JSON array), from the conference's recording events.
 */
export const conferencesProjection: Projection<ConferencesTable> = {
  name: CONFERENCES_PROJECTION,
  version: 2,
  tables: ['conferences', 'participants'],
  setup(db: Database.Database, t: ConferencesTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.conferences} (
        conference_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL,
        name TEXT NOT NULL, detail TEXT NOT NULL, data TEXT NOT NULL, timeout INTEGER NOT NULL,
        timeout_at TEXT, max_participants INTEGER, pre_actions TEXT NOT NULL, post_actions TEXT NOT NULL,
        participant_count INTEGER NOT NULL, end_reason TEXT, tm_create TEXT NOT NULL,
        tm_update TEXT NOT NULL, tm_delete TEXT, revision INTEGER NOT NULL,
        recording_id TEXT, recording_ids TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX IF NOT EXISTS ${t.conferences}_by_customer
        ON ${t.conferences} (customer_id, tm_create DESC, conference_id DESC);
      CREATE TABLE IF NOT EXISTS ${t.participants} (
        conference_id TEXT NOT NULL, conferencecall_id TEXT NOT NULL, call_id TEXT NOT NULL,
        admitted_revision INTEGER NOT NULL, PRIMARY KEY (conference_id, conferencecall_id)
      );
    `);
    const revisionOf = db.prepare<[string], { revision: number }>(
      `SELECT revision FROM ${t.conferences} WHERE conference_id = ?`,
    );
    const insert = db.prepare(
      `INSERT INTO ${t.conferences} (conference_id, customer_id, type, status, name, detail, data, timeout,
         timeout_at, max_participants, pre_actions, post_actions, participant_count, end_reason, tm_create,
         tm_update, tm_delete, revision)
       VALUES (@id, @customerId, @type, 'progressing', @name, @detail, @data, @timeout, @timeoutAt,
         @maxParticipants, @preActions, @postActions, 0, NULL, @at, @at, NULL, @revision)
       ON CONFLICT (conference_id) DO NOTHING`,
    );
    const update = db.prepare(
      `UPDATE ${t.conferences} SET name = @name, detail = @detail, timeout = @timeout, timeout_at = @timeoutAt,
         max_participants = @maxParticipants, tm_update = @at, revision = @revision WHERE conference_id = @id`,
    );
    const count = db.prepare(
      `UPDATE ${t.conferences} SET participant_count = participant_count + @delta, tm_update = @at,
         revision = @revision WHERE conference_id = @id`,
    );
    const addParticipant = db.prepare(
      `INSERT INTO ${t.participants} (conference_id, conferencecall_id, call_id, admitted_revision)
       VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const removeParticipant = db.prepare(
      `DELETE FROM ${t.participants} WHERE conference_id = ? AND conferencecall_id = ?`,
    );
    const ending = db.prepare(
      `UPDATE ${t.conferences} SET status = @status, end_reason = @reason, tm_update = @at,
         tm_delete = @tmDelete, revision = @revision WHERE conference_id = @id`,
    );
    const recordingStarted = db.prepare(
      `UPDATE ${t.conferences} SET recording_id = @recordingId, tm_update = @at, revision = @revision,
         recording_ids = json_insert(recording_ids, '$[#]', @recordingId) WHERE conference_id = @id`,
    );
    const recordingStopped = db.prepare(
      `UPDATE ${t.conferences} SET tm_update = @at, revision = @revision,
         recording_id = CASE WHEN recording_id = @recordingId THEN NULL ELSE recording_id END
       WHERE conference_id = @id`,
    );

    return {
      handle(event: RecordedEvent) {
        if (!CONFERENCE_EVENT_TYPES.has(event.type)) return;
        const id = conferenceIdFromStream(event.streamId);
        if (id === null) return;
        const revision = Number(event.revision);
        const domainEvent = { type: event.type, data: event.data } as ConferenceEvent;
        if (domainEvent.type === 'ConferenceCreated') {
          insertConference(insert, id, domainEvent.data, revision);
          return;
        }
        const current = revisionOf.get(id);
        if (!current || current.revision >= revision) return; // unknown or already applied
        switch (domainEvent.type) {
          case 'ConferenceUpdated': {
            const d: ConferenceUpdated['data'] = domainEvent.data;
            update.run({ ...pick(d), id, revision });
            return;
          }
          case 'ConferenceParticipantAdmitted': {
            const d: ConferenceParticipantAdmitted['data'] = domainEvent.data;
            addParticipant.run(id, d.conferencecallId, d.callId, revision);
            count.run({ id, delta: 1, at: d.at, revision });
            return;
          }
          case 'ConferenceParticipantRemoved': {
            const d: ConferenceParticipantRemoved['data'] = domainEvent.data;
            const removed = removeParticipant.run(id, d.conferencecallId).changes;
            count.run({ id, delta: -removed, at: d.at, revision });
            return;
          }
          case 'ConferenceTerminationStarted': {
            const d: ConferenceTerminationStarted['data'] = domainEvent.data;
            ending.run({ id, status: 'terminating', reason: d.reason, at: d.at, tmDelete: null, revision });
            return;
          }
          case 'ConferenceTerminated': {
            const d: ConferenceTerminated['data'] = domainEvent.data;
            ending.run({ id, status: 'terminated', reason: d.reason, at: d.at, tmDelete: d.at, revision });
            return;
          }
          case 'ConferenceRecordingStarted': {
            const d: ConferenceRecordingStarted['data'] = domainEvent.data;
            recordingStarted.run({ id, recordingId: d.recordingId, at: d.at, revision });
            return;
          }
          case 'ConferenceRecordingStopped': {
            const { recordingId, at } = domainEvent.data;
            recordingStopped.run({ id, recordingId, at, revision });
            return;
          }
        }
      },
    };
  },
};

function insertConference(
  insert: Database.Statement,
  id: string,
  d: ConferenceCreated['data'],
  revision: number,
): void {
  insert.run({
    id,
    customerId: d.customerId,
    type: d.conferenceType,
    name: d.name,
    detail: d.detail,
    data: JSON.stringify(d.data),
    timeout: d.timeout,
    timeoutAt: d.timeoutAt,
    maxParticipants: d.maxParticipants,
    preActions: JSON.stringify(d.preActions),
    postActions: JSON.stringify(d.postActions),
    at: d.at,
    revision,
  });
}

function pick(d: ConferenceUpdated['data']) {
  const { name, detail, timeout, timeoutAt, maxParticipants, at } = d;
  return { name, detail, timeout, timeoutAt, maxParticipants, at };
}
