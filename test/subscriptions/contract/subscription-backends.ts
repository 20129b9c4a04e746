import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EsdbEventStore } from '../../../src/event-store/esdb/esdb-event-store';
import type { EventStore } from '../../../src/event-store/event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { REACTORS_FILE, ReactorsDatabase } from '../../../src/reactors/reactors-database';
import type { CheckpointStore } from '../../../src/subscriptions/checkpoint-store';
import { StoreCheckpointStore } from '../../../src/subscriptions/event-store/store-checkpoint-store';
import { StoreLeaseStore } from '../../../src/subscriptions/event-store/store-lease-store';
import type { LeaseStore } from '../../../src/subscriptions/lease';
import { SqliteCheckpointStore } from '../../../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { SqliteLeaseStore } from '../../../src/subscriptions/sqlite/sqlite-lease-store';
import { startEsdbWireFake } from '../../support/esdb-wire-fake/esdb-wire-fake';
import { FixedClock, SequentialIds } from '../../support/fixed-clock';

/** Both ports over one storage, as the runtime builds them. */
export interface SubscriptionPorts {
  checkpoints: CheckpointStore;
  leases: LeaseStore;
}

/** One storage under test: fresh ports, and for storage that outlives a connection, a new connection. */
export interface SubscriptionBackend {
  readonly ports: SubscriptionPorts;
  /** New ports over the same data, as after a restart; absent for storage that dies with its connection. */
  reopen?(): Promise<SubscriptionPorts>;
  close(): Promise<void>;
}

export interface SubscriptionBackendFactory {
  readonly name: string;
  /** Whether `reopen` exists: known before opening, so a suite can report the reopen test as skipped. */
  readonly reopens: boolean;
  open(): Promise<SubscriptionBackend>;
}

/** The clock of the stores' own bookkeeping (`updated_at`, `created`); leases are judged on `now` passed in. */
const clock = new FixedClock('2026-01-01T00:00:00.000Z');

const sqlitePorts = (connection: Database.Database): SubscriptionPorts => ({
  checkpoints: new SqliteCheckpointStore(connection, clock),
  leases: new SqliteLeaseStore(connection),
});

// One id generator per storage: ids must be unique across everyone appending to one store, or a rival's
// append with a colliding id would pass as an idempotent retry.
const storePorts = (store: EventStore, ids: SequentialIds): SubscriptionPorts => ({
  checkpoints: new StoreCheckpointStore(store, ids),
  leases: new StoreLeaseStore(store, ids),
});

export const sqliteOnDisk: SubscriptionBackendFactory = {
  name: 'SQLite adapters on a file (reactors.db)',
  reopens: true,
  open: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-subscriptions-'));
    const file = path.join(dir, REACTORS_FILE);
    const databases = [new ReactorsDatabase(file)];
    return {
      ports: sqlitePorts(databases[0].connection),
      reopen: async () => {
        const database = new ReactorsDatabase(file);
        databases.push(database);
        return sqlitePorts(database.connection);
      },
      close: async () => {
        for (const database of databases) database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const sqliteInMemory: SubscriptionBackendFactory = {
  name: 'SQLite adapters in memory',
  reopens: false,
  open: async () => {
    const connection = new Database(':memory:');
    return { ports: sqlitePorts(connection), close: async () => void connection.close() };
  },
};

export const storeOverSqliteEventStore: SubscriptionBackendFactory = {
  name: 'store-backed adapters over SqliteEventStore (in memory)',
  reopens: false,
  open: async () => {
    const store = new SqliteEventStore({ filename: ':memory:', clock });
    return { ports: storePorts(store, new SequentialIds('0000aaaa')), close: () => store.close() };
  },
};

export const storeOverEsdbWireFake: SubscriptionBackendFactory = {
  name: 'store-backed adapters over EsdbEventStore (gRPC wire fake)',
  reopens: true,
  open: async () => {
    const fake = await startEsdbWireFake({ now: () => clock.now() });
    const ids = new SequentialIds('0000bbbb');
    const connect = () =>
      EsdbEventStore.fromConnectionString(fake.connectionString, { operationTimeoutMs: 2_000 });
    const stores = [connect()];
    return {
      ports: storePorts(stores[0], ids),
      reopen: async () => {
        const store = connect();
        stores.push(store);
        return storePorts(store, ids);
      },
      close: async () => {
        for (const store of stores) await store.close();
        await fake.stop();
      },
    };
  },
};

export const ALL_SUBSCRIPTION_BACKENDS: readonly SubscriptionBackendFactory[] = [
  sqliteOnDisk,
  sqliteInMemory,
  storeOverSqliteEventStore,
  storeOverEsdbWireFake,
];

/** Opens one backend for the enclosing `describe` (before its tests, closed after them). */
export function openForSuite(factory: SubscriptionBackendFactory): () => SubscriptionBackend {
  let backend: SubscriptionBackend | undefined;
  beforeAll(async () => {
    backend = await factory.open();
  });
  afterAll(async () => {
    await backend?.close();
  });
  return () => {
    if (!backend) throw new Error(`${factory.name}: the backend was not opened`);
    return backend;
  };
}
