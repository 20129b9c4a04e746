import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

/** Another live server already uses this data folder. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another server (pid ${pid}); give each server its own DATA_DIR ` +
        `(behind EventStoreDB several servers share the store, never the folder), or remove ${LOCK_FILE} if no server runs`,
    );
  }
}

/**
 * One server per data folder. Two servers on one embedded store would both apply projections to the same
 * read-model file and both run reactions: the second refuses to start, with one line, instead. The lock is a
 * file holding the owner's pid, created atomically (`wx`); a lock left by a process that no longer exists
 * (kill -9) is taken over at once, so a crashed server restarts without waiting.
 */
export function lockDataDir(dataDir: string, pid = process.pid): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(pid));
      closeSync(fd);
      return () => {
        if (ownerOf(path) === pid) unlinkSync(path);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = ownerOf(path);
      if (owner !== null && owner !== pid && isAlive(owner)) throw new DataDirInUse(dataDir, owner);
      unlinkSync(path);
    }
  }
}

function ownerOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
