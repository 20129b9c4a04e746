import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from '../ops/support/server-process';
import { TEST_ADMIN_KEY, TestApp } from '../support/test-app';

/** The server under fuzzing: in this process (quick, for `npm test`) or a child (its own RSS, long runs). */
export interface FuzzTarget {
  baseUrl: string;
  adminKey: string;
  /** Resident memory of the server process, in bytes. */
  rssBytes(): number;
  /** False when the server process died. */
  alive(): boolean;
  close(): Promise<void>;
}

const FAST_MEDIA = { simRingDelayMs: 10, simAnswerDelayMs: 10 };

export async function startFuzzTarget(inChildProcess: boolean): Promise<FuzzTarget> {
  if (!inChildProcess) {
    const app = await TestApp.start({ config: { ...FAST_MEDIA, logLevel: 'error' } });
    return {
      baseUrl: app.baseUrl,
      adminKey: TEST_ADMIN_KEY,
      rssBytes: () => process.memoryUsage().rss,
      alive: () => true,
      close: () => app.close(),
    };
  }
  const server = await ServerProcess.start({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-fuzz-')),
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    SIM_RING_DELAY_MS: String(FAST_MEDIA.simRingDelayMs),
    SIM_ANSWER_DELAY_MS: String(FAST_MEDIA.simAnswerDelayMs),
    LOG_LEVEL: 'log',
  });
  return {
    baseUrl: server.baseUrl,
    adminKey: TEST_ADMIN_KEY,
    rssBytes: () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    alive: () => server.running,
    close: () => server.stop(),
  };
}
