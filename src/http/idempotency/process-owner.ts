import { randomUUID } from 'node:crypto';

/**
 * Who holds an idempotency claim: this process's boot (unique per start, unlike a pid: a restarted
 * container is pid 1 again) and its pid, so another process on the same data dir can tell a live owner
 * from a dead one at once instead of waiting for the claim to time out.
 */
export interface ClaimOwner {
  boot: string;
  pid: number;
}

export const THIS_PROCESS: ClaimOwner = { boot: randomUUID(), pid: process.pid };

/** True when the claim's process is gone: a previous boot of this pid, or a pid that no longer runs. */
export function ownerIsDead(owner: ClaimOwner): boolean {
  if (owner.boot === THIS_PROCESS.boot) return false;
  if (owner.pid === THIS_PROCESS.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid runs under another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
