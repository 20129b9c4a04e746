import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** `src/main.ts` in a child process, as `npm start` runs it, so a test can SIGKILL it. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the server listens and `/health/ready` answers 200, as an orchestrator waits. */
  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const server = await ServerProcess.listening(env);
    const deadline = Date.now() + 30_000;
    while (
      (await fetch(`${server.baseUrl}/health/ready`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline) throw new Error('server not ready after 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return server;
  }

  private static async listening(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (/listening on/.test(output)) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          child.stderr!.resume();
          resolve(new ServerProcess(child, `http://127.0.0.1:${port}`));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk;
      });
      child.on('exit', (code) =>
        reject(new Error(`server exited with ${code} before listening:\n${output}`)),
      );
    });
  }

  /** kill -9: no shutdown hook runs, nothing is flushed that was not already written. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

/** A port nobody listens on right now (the main process prints the port it was given, so we choose it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
