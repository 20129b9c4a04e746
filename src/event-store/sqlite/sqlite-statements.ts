import type Database from 'better-sqlite3';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store';

/** Largest SQLite integer: "from the end" without first asking where the end is. */
export const MAX_INT64 = 9223372036854775807n;

/** A row as `.raw()` returns it, in the column order of `COLUMNS`. Integers are bigints (safe integers). */
type EventRow = [bigint, string, bigint, string, string, string, string, bigint];

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created';
// `$all` hides system events, as EventStoreDB does. `substr` rather than LIKE: LIKE is case-insensitive.
const NOT_SYSTEM = "substr(type, 1, 1) <> '$'";

/** Every statement the adapter runs, prepared once per connection. */
export class SqliteStatements {
  readonly lastRevision: Database.Statement<[string], bigint | undefined>;
  readonly insert: Database.Statement<[string, bigint, string, string, string, string, bigint]>;
  readonly streamSlice: Database.Statement<
    [string, bigint, number],
    { event_id: string; revision: bigint; position: bigint }
  >;
  readonly findEvent: Database.Statement<[string], { stream_id: string; revision: bigint }>;
  readonly head: Database.Statement<[], bigint | null>;
  private readonly streamForwards: Database.Statement<[string, bigint, bigint, number], EventRow>;
  private readonly streamBackwards: Database.Statement<[string, bigint, bigint, number], EventRow>;
  private readonly allForwards: Database.Statement<[bigint, bigint, number], EventRow>;
  private readonly allBackwards: Database.Statement<[bigint, number], EventRow>;
  private readonly streamExists: Database.Statement<[string, bigint], bigint | undefined>;

  constructor(db: Database.Database) {
    this.lastRevision = db
      .prepare<[string], bigint>(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      )
      .pluck();
    this.insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.streamSlice = db.prepare(
      'SELECT event_id, revision, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.findEvent = db.prepare('SELECT stream_id, revision FROM events WHERE event_id = ?');
    this.head = db.prepare<[], bigint | null>('SELECT max(position) FROM events').pluck();
    this.streamExists = db
      .prepare<[string, bigint], bigint>('SELECT 1 FROM events WHERE stream_id = ? AND position <= ? LIMIT 1')
      .pluck();
    this.streamForwards = raw(
      db,
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND position <= ? ORDER BY revision LIMIT ?`,
    );
    this.streamBackwards = raw(
      db,
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? AND position <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.allForwards = raw(
      db,
      `SELECT ${COLUMNS} FROM events WHERE position >= ? AND position <= ? AND ${NOT_SYSTEM} ORDER BY position LIMIT ?`,
    );
    this.allBackwards = raw(
      db,
      `SELECT ${COLUMNS} FROM events WHERE position <= ? AND ${NOT_SYSTEM} ORDER BY position DESC LIMIT ?`,
    );
  }

  /**
   * One page of a stream; `from` is inclusive. Reads end at `upTo`, the last durable position (see
   * `WalDurability`); MAX_INT64 reads everything.
   */
  streamPage(
    streamId: string,
    from: bigint,
    forwards: boolean,
    limit: number,
    upTo: bigint,
  ): RecordedEvent[] {
    const statement = forwards ? this.streamForwards : this.streamBackwards;
    return statement.all(streamId, from, upTo, limit).map(toRecordedEvent);
  }

  /** One page of `$all` without system events; `from` is inclusive, `upTo` as for `streamPage`. */
  allPage(from: bigint, forwards: boolean, limit: number, upTo: bigint): RecordedEvent[] {
    const rows = forwards
      ? this.allForwards.all(from, upTo, limit)
      : this.allBackwards.all(from < upTo ? from : upTo, limit);
    return rows.map(toRecordedEvent);
  }

  /** Whether the stream has an event at or before `upTo`. */
  hasStream(streamId: string, upTo: bigint): boolean {
    return this.streamExists.get(streamId, upTo) !== undefined;
  }
}

function raw<Params extends unknown[]>(db: Database.Database, sql: string) {
  return db.prepare<Params, EventRow>(sql).raw(true);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return new StoredEvent(row);
}

/**
 * An event as read from the table, decoded on demand: `data` and `metadata` are parsed on their first read
 * and `created` is built then, each once. A read model skips most events of `$all` by type or stream and
 * never reads their metadata, and parsing every event's JSON eagerly was a fifth of reading the log.
 *
 * The three are getters of the class, not own properties: `{ ...event }` does not copy them (copy the
 * fields by name, as `upcast` does). Events are read-only for consumers, as everywhere.
 */
export class StoredEvent implements RecordedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly id: string;
  readonly type: string;
  #data: string;
  #metadata: string;
  #created: bigint;
  #parsedData: JsonObject | undefined;
  #parsedMetadata: EventMetadata | undefined;
  #createdDate: Date | undefined;

  constructor(row: EventRow) {
    this.streamId = row[1];
    this.revision = row[2];
    this.position = row[0];
    this.id = row[3];
    this.type = row[4];
    this.#data = row[5];
    this.#metadata = row[6];
    this.#created = row[7];
  }

  get data(): JsonObject {
    if (this.#parsedData === undefined) this.#parsedData = JSON.parse(this.#data) as JsonObject;
    return this.#parsedData;
  }

  get metadata(): EventMetadata {
    if (this.#parsedMetadata === undefined)
      this.#parsedMetadata = JSON.parse(this.#metadata) as EventMetadata;
    return this.#parsedMetadata;
  }

  get created(): Date {
    if (this.#createdDate === undefined) this.#createdDate = new Date(Number(this.#created));
    return this.#createdDate;
  }
}
