import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

function cli(dataDir: string, ...args: string[]) {
  return run(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
  });
}

describe('customers CLI', () => {
  it('creates a customer whose key the server then accepts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
    const { stdout } = await cli(dataDir, 'customers', 'create', '--name', 'Ops', '--role', 'admin');
    const created = JSON.parse(stdout);
    expect(created.customer.name).toBe('Ops');
    expect(created.api_key.role).toBe('admin');

    const api = await TestApp.start({ config: { dataDir, adminApiKey: undefined } });
    try {
      const response = await api.request('GET', `/v1/customers/${created.customer.id}`, {
        key: created.api_key.key,
      });
      expect({ status: response.status, body: response.body }).toMatchObject({
        status: 200,
        body: { name: 'Ops' },
      });
    } finally {
      await api.close();
    }
  }, 60_000);

  it('explains itself with --help and refuses bad options', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
    const help = await cli(dataDir, 'customers', 'create', '--help');
    expect(help.stdout).toMatch(/--name <name>/);
    await expect(cli(dataDir, 'customers', 'create', '--name', 'x', '--role', 'root')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--role must be user or admin'),
    });
    await expect(
      cli(dataDir, 'customers', 'issue-key', 'no-such-customer', '--role', 'user'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not found'),
    });
  }, 60_000);
});
