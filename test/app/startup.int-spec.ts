import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs `src/main.ts` as `npm start` would (transpiled on the fly) until it exits or prints `until`. */
function runMain(
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (until?.test(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      check();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      check();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'sb-startup-'));

describe('server start-up', () => {
  it.each([
    [{ EVENT_STORE: 'mongodb' }, /^switchboard: Invalid configuration: EVENT_STORE must be/],
    [{ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'localhost:2113' }, /must look like esdb:\/\//],
    [{ PORT: 'x' }, /PORT must be an integer/],
  ])(
    'a bad environment %p stops the process with one clear line',
    async (env, message) => {
      const result = await runMain({ DATA_DIR: tmp(), ...env });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    },
    30_000,
  );

  it.each(['events.db', 'read-models.db', 'idempotency.db'])(
    'a corrupted %s stops the process with one clear line',
    async (file) => {
      const dataDir = tmp();
      writeFileSync(join(dataDir, file), 'this is not a database file, not at all');
      const result = await runMain({ DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^switchboard: .*(cannot be opened|cannot be used).*not a database/);
    },
    30_000,
  );

  it.each([
    ['cannot be created', '/proc/nope', /ENOENT/],
    ['exists but refuses files', '/proc', /EACCES|EPERM|EROFS|ENOENT/],
    ['is a file', join(__filename), /is not a folder/],
  ])(
    'a DATA_DIR that %s stops the process with one clear line, without spinning',
    async (_why, dataDir, reason) => {
      const startedAt = Date.now();
      const result = await runMain({ DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^switchboard: Invalid configuration: |^switchboard: DATA_DIR /);
      expect(result.stderr).toMatch(reason);
      // It used to spin on one core forever; a start-up that fails takes a few seconds here at most.
      expect(Date.now() - startedAt).toBeLessThan(20_000);
    },
    30_000,
  );

  it('prints an admin key on the first start of an empty store, and never again', async () => {
    const dataDir = tmp();
    const first = await runMain({ DATA_DIR: dataDir, NO_COLOR: '1' }, /listening on/);
    expect(first.stdout).toMatch(/admin key \(shown once\): sb_[A-Za-z0-9_-]{43}/);
    const second = await runMain({ DATA_DIR: dataDir, NO_COLOR: '1' }, /listening on/);
    expect(second.stdout).toMatch(/listening on/);
    expect(second.stdout).not.toMatch(/admin key/);
  }, 60_000);
});
