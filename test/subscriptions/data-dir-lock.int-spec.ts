import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUse, LOCK_FILE, lockDataDir } from '../../src/subscriptions/data-dir-lock';

const ROOT = join(__dirname, '..', '..');
const tmp = () => mkdtempSync(join(tmpdir(), 'sb-lock-'));

/** A live process that is not us: stands for another server holding the folder. */
function otherProcess(): ChildProcess {
  return spawn('sleep', ['60']);
}

describe('one server per data folder', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('locks the folder with our pid and releases it', () => {
    const dir = tmp();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a folder held by another live process', () => {
    const dir = tmp();
    const other = otherProcess();
    children.push(other);
    writeFileSync(join(dir, LOCK_FILE), String(other.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUse);
  });

  it('takes over at once from a process that died (kill -9 leaves its lock behind)', async () => {
    const dir = tmp();
    const dead = otherProcess();
    const exited = new Promise((resolve) => dead.on('exit', resolve));
    dead.kill('SIGKILL');
    await exited;
    writeFileSync(join(dir, LOCK_FILE), String(dead.pid));
    lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
  });

  it('a second server on the same folder stops with one clear line', async () => {
    const dir = tmp();
    const other = otherProcess();
    children.push(other);
    writeFileSync(join(dir, LOCK_FILE), String(other.pid));
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir },
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^switchboard: DATA_DIR .* is in use by another server \(pid \d+\)/);
  }, 30_000);
});
