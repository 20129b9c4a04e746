import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
export const OPS_ADMIN_KEY = 'sb_ops_admin_key_0123456789abcdefghij';

/** Lines kept (the latest): a long fuzz run logs a line per request. */
const MAX_LINES = 100_000;

/**
 * `src/main.ts` in a child process, as `npm start` runs it (transpiled on the fly): the real signal
 * handling, logger and exit codes, and a process a test can `kill -9`. Collects stdout and stderr lines;
 * `baseUrl` comes from the "listening on" line. The one helper for ops, fault, crash and fuzz tests.
 */
export class ServerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  baseUrl = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      this.keep(complete);
    });
    child.stderr.on('data', (chunk: Buffer) => this.keep(chunk.toString('utf8').split('\n')));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts the server on a free port and resolves once it listens and `/health/ready` answers 200. */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        ADMIN_API_KEY: OPS_ADMIN_KEY,
        LOG_FORMAT: 'json',
        NO_COLOR: '1',
        ...env,
      },
    });
    const server = new ServerProcess(child);
    try {
      await server.waitListening(timeoutMs);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return server;
  }

  private async waitListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.baseUrl) {
      const line = this.lines.find((l) => l.includes('listening on'));
      const url = line ? /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1] : undefined;
      if (url) this.baseUrl = url;
      else if (this.child.exitCode !== null) throw new Error(`server exited: ${this.lines.join('\n')}`);
      else if (Date.now() > deadline) throw new Error(`server did not listen: ${this.lines.join('\n')}`);
      else await sleep(50);
    }
    await this.waitReady(Math.max(1_000, deadline - Date.now()));
  }

  private keep(lines: string[]): void {
    this.lines.push(...lines);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed that was not already written. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Sends `signal` (SIGTERM: graceful shutdown) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${this.baseUrl}/health/ready`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Parsed JSON log lines (others, e.g. a stack trace on stderr, are skipped). */
  jsonLines(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed && typeof parsed === 'object' ? [parsed] : [];
      } catch {
        return [];
      }
    });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
