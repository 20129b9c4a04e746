import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAppConfig } from '../../src/config/app-config';

// No Docker engine runs on CI machines, so the compose wiring is checked by reading it.
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));

describe('docker-compose.yml', () => {
  const eventstore = compose.services.eventstore;
  const app = compose.services.switchboard;

  it('runs the official EventStoreDB image as an insecure single node with a named volume', () => {
    expect(eventstore.image).toMatch(/^eventstore\/eventstore:\d/);
    expect(eventstore.environment.EVENTSTORE_INSECURE).toBe('true');
    expect(eventstore.environment.EVENTSTORE_CLUSTER_SIZE).toBe('1');
    const [volume] = eventstore.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds the app from the Dockerfile and points it at the eventstore service', () => {
    expect(app.build).toBe('.');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/CMD \["node", "dist\/main.js"\]/);
    expect(app.environment.EVENT_STORE).toBe('esdb');
    const url = new URL(app.environment.EVENTSTORE_CONNECTION_STRING.replace(/^esdb:/, 'http:'));
    expect(url.hostname).toBe('eventstore');
    expect(eventstore.ports.map((p: string) => p.split(':')[1])).toContain(url.port);
    expect(app.depends_on.eventstore.condition).toBe('service_healthy');
  });

  it('passes an environment the server accepts', () => {
    const env = { ...app.environment, DATA_DIR: ':memory:' };
    expect(loadAppConfig(env)).toMatchObject({ eventStore: 'esdb', port: 3000 });
  });
});
