import { Injectable } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { ApiKeyRole } from '../customer';
import { ResolvedKeyCache } from './resolved-key-cache';
import { TENANT_DIRECTORY, type TenantDirectoryTables } from './tenant-directory.projection';

export interface ApiKeyRecord {
  keyId: string;
  customerId: string;
  role: ApiKeyRole;
  issuedAt: string;
  revokedAt: string | null;
}

export interface CustomerRecord {
  id: string;
  name: string;
  createdAt: string;
  keys: ApiKeyRecord[];
}

interface KeyRow {
  key_id: string;
  customer_id: string;
  role: ApiKeyRole;
  issued_at: string;
  revoked_at: string | null;
}

const toKey = (row: KeyRow): ApiKeyRecord => ({
  keyId: row.key_id,
  customerId: row.customer_id,
  role: row.role,
  issuedAt: row.issued_at,
  revokedAt: row.revoked_at,
});

/** Queries of the tenant-directory read model. */
@Injectable()
export class TenantDirectory {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
    private readonly resolved: ResolvedKeyCache,
  ) {}

  /** The key with this hash, if issued and not revoked (see ResolvedKeyCache for why a cache is safe). */
  activeKeyByHash(keyHash: string): ApiKeyRecord | null {
    const cached = this.resolved.get(keyHash);
    if (cached) return cached;
    const key = this.lookUpActiveKey(keyHash);
    if (key) this.resolved.remember(keyHash, key);
    return key;
  }

  private lookUpActiveKey(keyHash: string): ApiKeyRecord | null {
    const t = this.tables();
    const row = this.readModels
      .statement<[string], KeyRow>(
        `SELECT key_id, customer_id, role, issued_at, revoked_at FROM ${t.api_keys}
         WHERE key_hash = ? AND revoked_at IS NULL`,
      )
      .get(keyHash);
    return row ? toKey(row) : null;
  }

  customer(customerId: string): CustomerRecord | null {
    const t = this.tables();
    const db = this.readModels;
    const row = db
      .statement<[string], { customer_id: string; name: string; created_at: string }>(
        `SELECT customer_id, name, created_at FROM ${t.customers} WHERE customer_id = ?`,
      )
      .get(customerId);
    if (!row) return null;
    const keys = db
      .statement<[string], KeyRow>(
        `SELECT key_id, customer_id, role, issued_at, revoked_at FROM ${t.api_keys}
         WHERE customer_id = ? ORDER BY issued_at, key_id`,
      )
      .all(customerId)
      .map(toKey);
    return { id: row.customer_id, name: row.name, createdAt: row.created_at, keys };
  }

  private tables(): TenantDirectoryTables {
    return this.engine.tables(TENANT_DIRECTORY) as TenantDirectoryTables;
  }
}
