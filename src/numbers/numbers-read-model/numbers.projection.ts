import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import {
  evolveNumber,
  initialNumberState,
  isRegistered,
  type NumberEvent,
  type PhoneNumber,
} from '../number';
import { phoneNumberFromStream } from '../number-stream';

export const NUMBERS_READ_MODEL = 'numbers';
export type NumbersTables = TableNames<'numbers'>;

const NUMBER_EVENT_TYPES: ReadonlySet<string> = new Set<NumberEvent['type']>([
  'NumberRegistered',
  'NumberUpdated',
  'NumberReleased',
]);

/**
 * One row per registration (public `number_id` → the number and its routing), for GET/list and for the
 * id → stream lookup of PATCH/DELETE. A released registration keeps its row with `released_at` set, so
 * a late event for it still finds its revision guard; queries only show rows not released.
 *
 * Idempotent: a row only moves forward in stream revision.
 */
export const numbersProjection: Projection<'numbers'> = {
  name: NUMBERS_READ_MODEL,
  version: 1,
  tables: ['numbers'],
  setup(db: Database.Database, t: NumbersTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.numbers} (
        number_id    TEXT    PRIMARY KEY,
        customer_id  TEXT    NOT NULL,
        phone_number TEXT    NOT NULL,
        created      TEXT    NOT NULL,
        released_at  TEXT,
        revision     INTEGER NOT NULL,
        state        TEXT    NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.numbers}_by_customer ON ${t.numbers} (customer_id, created, number_id)
        WHERE released_at IS NULL;
    `);
    const insert = db.prepare(
      `INSERT INTO ${t.numbers} (number_id, customer_id, phone_number, created, released_at, revision, state)
       VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT (number_id) DO NOTHING`,
    );
    const select = db.prepare<[string], { revision: number; state: string }>(
      `SELECT revision, state FROM ${t.numbers} WHERE number_id = ?`,
    );
    const update = db.prepare(
      `UPDATE ${t.numbers} SET state = ?, revision = ? WHERE number_id = ? AND revision < ?`,
    );
    const release = db.prepare(
      `UPDATE ${t.numbers} SET released_at = ?, revision = ? WHERE number_id = ? AND revision < ?`,
    );

    return {
      handle(event: RecordedEvent) {
        if (!NUMBER_EVENT_TYPES.has(event.type) || phoneNumberFromStream(event.streamId) === null) return;
        const numberEvent = { type: event.type, data: event.data } as NumberEvent;
        const revision = Number(event.revision);
        const { numberId } = numberEvent.data;
        switch (numberEvent.type) {
          case 'NumberRegistered': {
            const number = evolveNumber(initialNumberState, numberEvent) as PhoneNumber;
            const d = numberEvent.data;
            insert.run(numberId, d.customerId, d.phoneNumber, d.at, revision, JSON.stringify(number));
            return;
          }
          case 'NumberUpdated': {
            const row = select.get(numberId);
            if (!row || row.revision >= revision) return;
            const number = evolveNumber(JSON.parse(row.state) as PhoneNumber, numberEvent);
            if (isRegistered(number)) update.run(JSON.stringify(number), revision, numberId, revision);
            return;
          }
          case 'NumberReleased':
            release.run(numberEvent.data.at, revision, numberId, revision);
            return;
        }
      },
    };
  },
};
