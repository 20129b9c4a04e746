import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import {
  type ConferencecallEvent,
  type ConferencecallJoinStarted,
  type ConferencecallStatus,
  conferencecallIdFromStream,
} from '../conferencecall';

export const CONFERENCECALLS_PROJECTION = 'conferencecalls';
export type ConferencecallsTables = TableNames<'conferencecalls'>;

/** The status each event leaves the participant in (mirrors `evolveConferencecall`). */
const STATUS_AFTER: Record<
  Exclude<ConferencecallEvent['type'], 'ConferencecallJoinStarted'>,
  ConferencecallStatus
> = {
  ConferencecallJoined: 'joined',
  ConferencecallKicked: 'leaving',
  ConferencecallLeft: 'leaved',
  ConferencecallJoinAborted: 'leaved',
};

/**
 * Participants (seed 004 conferencecalls) by tenant and conference. Guarded by the conferencecall stream's
 * revision, so a replay changes nothing; `leave_reason` keeps why a join was aborted (the refused rule).
 */
export const conferencecallsProjection: Projection<'conferencecalls'> = {
  name: CONFERENCECALLS_PROJECTION,
  version: 1,
  tables: ['conferencecalls'],
  setup(db: Database.Database, t: ConferencecallsTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.conferencecalls} (
        conferencecall_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, conference_id TEXT NOT NULL,
        reference_type TEXT NOT NULL, reference_id TEXT NOT NULL, status TEXT NOT NULL, leave_reason TEXT,
        tm_create TEXT NOT NULL, tm_update TEXT NOT NULL, tm_delete TEXT, revision INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.conferencecalls}_by_conference
        ON ${t.conferencecalls} (customer_id, conference_id, tm_create DESC, conferencecall_id DESC);
      CREATE INDEX IF NOT EXISTS ${t.conferencecalls}_by_customer
        ON ${t.conferencecalls} (customer_id, tm_create DESC, conferencecall_id DESC);
    `);
    const insert = db.prepare(
      `INSERT INTO ${t.conferencecalls} (conferencecall_id, customer_id, conference_id, reference_type,
         reference_id, status, tm_create, tm_update, revision)
       VALUES (@id, @customerId, @conferenceId, @referenceType, @referenceId, 'joining', @at, @at, @revision)
       ON CONFLICT (conferencecall_id) DO NOTHING`,
    );
    const move = db.prepare(
      `UPDATE ${t.conferencecalls} SET status = @status, tm_update = @at,
         tm_delete = CASE WHEN @status = 'leaved' THEN @at ELSE tm_delete END,
         leave_reason = COALESCE(@reason, leave_reason), revision = @revision
       WHERE conferencecall_id = @id AND revision < @revision`,
    );
    return {
      handle(event: RecordedEvent) {
        const id = conferencecallIdFromStream(event.streamId);
        if (id === null) return;
        const revision = Number(event.revision);
        const domainEvent = { type: event.type, data: event.data } as ConferencecallEvent;
        switch (domainEvent.type) {
          case 'ConferencecallJoinStarted': {
            const d: ConferencecallJoinStarted['data'] = domainEvent.data;
            insert.run({ ...d, id, revision });
            return;
          }
          case 'ConferencecallJoined':
          case 'ConferencecallKicked':
          case 'ConferencecallLeft':
          case 'ConferencecallJoinAborted': {
            const reason = domainEvent.type === 'ConferencecallJoinAborted' ? domainEvent.data.reason : null;
            const status = STATUS_AFTER[domainEvent.type];
            move.run({ id, status, at: domainEvent.data.at, reason, revision });
            return;
          }
        }
      },
    };
  },
};
