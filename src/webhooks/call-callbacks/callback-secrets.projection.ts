import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import {
  CALLBACK_SECRET_STREAM_PREFIX,
  type CallbackSecret,
  type CallbackSecretEvent,
  evolveCallbackSecret,
} from './callback-secret';

export const CALLBACK_SECRETS_PROJECTION = 'callback-secrets';
export type CallbackSecretsTables = TableNames<'secrets'>;

/**
 * The tenant's callback secrets, folded through the aggregate's own evolve (so the read model cannot
 * drift), guarded by revision. The dispatcher signs call callbacks from here.
 */
export const callbackSecretsProjection: Projection<'secrets'> = {
  name: CALLBACK_SECRETS_PROJECTION,
  version: 1,
  tables: ['secrets'],
  setup(db: Database.Database, t: CallbackSecretsTables) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${t.secrets} (
      customer_id TEXT PRIMARY KEY, state TEXT NOT NULL, revision INTEGER NOT NULL
    )`);
    const select = db.prepare<[string], { state: string; revision: number }>(
      `SELECT state, revision FROM ${t.secrets} WHERE customer_id = ?`,
    );
    const upsert = db.prepare(
      `INSERT INTO ${t.secrets} (customer_id, state, revision) VALUES (@customerId, @state, @revision)
       ON CONFLICT (customer_id) DO UPDATE SET state = @state, revision = @revision`,
    );
    return {
      handle(event: RecordedEvent) {
        if (!event.streamId.startsWith(CALLBACK_SECRET_STREAM_PREFIX)) return;
        const customerId = event.streamId.slice(CALLBACK_SECRET_STREAM_PREFIX.length);
        const row = select.get(customerId);
        if (row && row.revision >= Number(event.revision)) return;
        const before: CallbackSecret | null = row ? JSON.parse(row.state) : null;
        const after = evolveCallbackSecret(before, {
          type: event.type,
          data: event.data,
        } as CallbackSecretEvent);
        upsert.run({ customerId, state: JSON.stringify(after), revision: Number(event.revision) });
      },
    };
  },
};
