import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import type { ApiKeyIssued, ApiKeyRevoked, CustomerCreated } from '../customer';
import type { ResolvedKeyCache } from './resolved-key-cache';

export const TENANT_DIRECTORY = 'tenant-directory';
export type TenantDirectoryTables = TableNames<'customers' | 'api_keys'>;

/**
 * Who is who: customers and their keys by hash, so the auth guard resolves a bearer key with one indexed
 * lookup. Rows are guarded by stream revision, so replaying an event changes nothing. A revoke also drops
 * the key from the instance's resolved-key cache, synchronously, in the step that applies it.
 */
export const tenantDirectoryProjection = (keys: ResolvedKeyCache): Projection<'customers' | 'api_keys'> => ({
  name: TENANT_DIRECTORY,
  version: 1,
  tables: ['customers', 'api_keys'],
  setup(db: Database.Database, t: TenantDirectoryTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.customers} (
        customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, revision INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${t.api_keys} (
        key_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, customer_id TEXT NOT NULL, role TEXT NOT NULL,
        issued_at TEXT NOT NULL, revoked_at TEXT, revision INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.api_keys}_customer ON ${t.api_keys} (customer_id, issued_at);
    `);
    const insertCustomer = db.prepare(
      `INSERT INTO ${t.customers} (customer_id, name, created_at, revision) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id) DO NOTHING`,
    );
    const insertKey = db.prepare(
      `INSERT INTO ${t.api_keys} (key_hash, key_id, customer_id, role, issued_at, revision) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key_hash) DO NOTHING`,
    );
    const revokeKey = db.prepare(
      `UPDATE ${t.api_keys} SET revoked_at = ?, revision = ? WHERE key_id = ? AND customer_id = ? AND revision < ?`,
    );
    return {
      handle(event: RecordedEvent) {
        const revision = Number(event.revision);
        switch (event.type) {
          case 'CustomerCreated': {
            const data = event.data as CustomerCreated['data'];
            insertCustomer.run(data.customerId, data.name, data.createdAt, revision);
            return;
          }
          case 'ApiKeyIssued': {
            const data = event.data as ApiKeyIssued['data'];
            insertKey.run(data.keyHash, data.keyId, data.customerId, data.role, data.issuedAt, revision);
            return;
          }
          case 'ApiKeyRevoked': {
            const data = event.data as ApiKeyRevoked['data'];
            revokeKey.run(data.revokedAt, revision, data.keyId, data.customerId, revision);
            keys.forgetKey(data.keyId);
            return;
          }
        }
      },
    };
  },
});
