import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadAppConfig } from '../../src/config/app-config';

describe('loadAppConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-config-'));

  it('defaults to the embedded store on port 3000', () => {
    expect(loadAppConfig({ DATA_DIR: dataDir })).toMatchObject({
      eventStore: 'sqlite',
      port: 3000,
      dataDir,
      bodyLimitBytes: 65536,
    });
  });

  it.each([
    [{ EVENT_STORE: 'postgres' }, /EVENT_STORE must be "sqlite" \(default\) or "esdb"/],
    [{ EVENT_STORE: 'esdb' }, /EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING/],
    [{ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'http://x' }, /must look like esdb:\/\//],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must not be greater than 65535/],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY must be at least 24 characters/],
    [{ WEBHOOK_SECRET_ENCRYPTION_KEY: 'c2hvcnQ=' }, /WEBHOOK_SECRET_ENCRYPTION_KEY must be 32 bytes/],
  ])('rejects %p with one clear message', (env, message) => {
    expect(() => loadAppConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    expect(() => loadAppConfig({ DATA_DIR: dataDir, ...env })).toThrow(message);
  });

  it('rejects a data folder that cannot be created', () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'x');
    expect(() => loadAppConfig({ DATA_DIR: join(file, 'data') })).toThrow(
      /DATA_DIR .* is not a writable folder/,
    );
  });

  it('accepts an EventStoreDB connection string', () => {
    const config = loadAppConfig({
      DATA_DIR: dataDir,
      EVENT_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
    });
    expect(config.eventStoreConnectionString).toBe('esdb://localhost:2113?tls=false');
  });
});
