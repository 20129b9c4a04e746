import { Worker } from 'node:worker_threads';
import { Logger, type LoggerService } from '@nestjs/common';

/** SQLite's answer to `PRAGMA wal_checkpoint(PASSIVE)`: frames in the WAL, and how many are now in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

type WorkerReply = ({ ok: true } & CheckpointResult) | { ok: false; error: string } | { closed: true };

export interface WalCheckpointerOptions {
  /**
   * Commits (reported with `committed()`) after which a checkpoint is asked for at once: bounds the WAL
   * under load. Absent: commits are not counted and a checkpoint is asked for every `intervalMs`, for a
   * database with many writers that the owner cannot all hook (a checkpoint of a WAL already in the file
   * costs the worker a header read, the event loop nothing).
   */
  everyCommits?: number;
  /** A quiet database's last commits are checkpointed within this. */
  intervalMs: number;
  /** The worker failed: the connection must checkpoint by itself again (SQLite's auto-checkpoint). */
  onFailure(reason: string): void;
  logger?: LoggerService;
}

/**
 * The worker: its own connection to the same file, running PASSIVE checkpoints when asked. PASSIVE never
 * waits for the writer nor blocks it: the main connection keeps committing while frames are copied.
 * Plain JavaScript evaluated in the worker, so it runs the same from `dist/`, ts-jest and the CLI.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 100');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, ...result });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
});
`;

/**
 * Moves the WAL checkpoint off the event loop. SQLite's auto-checkpoint runs inside the commit that
 * crosses its threshold, on the one JS thread: copying 4,000 pages back into the file and fsyncing it
 * held every request, timer and SSE write for ~25–40 ms on this machine (a 28k-page checkpoint measured
 * 170–190 ms), once every ~16 MB of WAL. Here the connection's auto-checkpoint is off and a worker thread
 * with its own connection checkpoints after `everyCommits` commits, or `intervalMs` after the last one.
 *
 * Durability is unchanged: a checkpoint only copies committed frames and fsyncs the file (as the
 * auto-checkpoint did), and appends still resolve after `WalDurability`'s fsync of the WAL.
 *
 * If the worker fails, the connection gets its auto-checkpoint back (`onFailure`): the WAL never grows
 * without bound, the loop only pays for checkpoints again.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout;
  private readonly logger: LoggerService;
  private commits = 0;
  private inFlight = false;
  private stopped = false;
  private readonly finished: Promise<void>;
  private connectionClosed: () => void = () => undefined;
  private checkpoints = 0;
  private last: CheckpointResult | null = null;

  constructor(
    filename: string,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.logger = options.logger ?? new Logger(WalCheckpointer.name);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { filename, sqlite: require.resolve('better-sqlite3') },
    });
    // Never what keeps the process alive: its owner's close ends it.
    this.worker.unref();
    this.finished = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (reply: WorkerReply) => this.settled(reply));
    this.worker.on('error', (error) => this.fail(error.message));
    this.worker.on('exit', (code) => this.fail(`its worker exited (code ${code})`));
    this.timer = setInterval(() => {
      if (this.commits > 0 || options.everyCommits === undefined) this.request();
    }, options.intervalMs);
    this.timer.unref();
  }

  /** After each commit of the main connection. */
  committed(): void {
    this.commits++;
    if (this.commits >= (this.options.everyCommits ?? Number.POSITIVE_INFINITY)) this.request();
  }

  /** Asks for a checkpoint now (e.g. after a bulk write), unless one is running already. */
  checkpointSoon(): void {
    this.request();
  }

  /** Checkpoints run so far and the last one's result (health, tests). */
  status(): { checkpoints: number; last: CheckpointResult | null; running: boolean } {
    return { checkpoints: this.checkpoints, last: this.last, running: !this.stopped };
  }

  /** Stops asking, closes the worker's connection, then ends the worker. */
  async close(): Promise<void> {
    if (this.stopped) return this.finished;
    this.stopped = true;
    clearInterval(this.timer);
    const closed = new Promise<void>((resolve) => {
      this.connectionClosed = resolve;
    });
    this.worker.postMessage('close');
    // A checkpoint in flight finishes first: the worker reads its messages in order.
    await Promise.race([closed, this.finished]);
    await this.worker.terminate();
  }

  private request(): void {
    if (this.inFlight || this.stopped) return;
    this.inFlight = true;
    this.commits = 0;
    this.worker.postMessage('checkpoint');
  }

  private settled(reply: WorkerReply): void {
    if ('closed' in reply) {
      this.connectionClosed();
      return;
    }
    this.inFlight = false;
    if (!reply.ok) {
      this.fail(reply.error);
      return;
    }
    this.checkpoints++;
    this.last = { busy: reply.busy, log: reply.log, checkpointed: reply.checkpointed };
    // Commits kept coming while it copied: go on rather than wait for the next threshold.
    if (this.commits >= (this.options.everyCommits ?? Number.POSITIVE_INFINITY)) this.request();
  }

  private fail(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    void this.worker.terminate();
    this.logger.warn(`WAL checkpoints are back on the event loop: ${reason}`);
    this.options.onFailure(reason);
  }
}
