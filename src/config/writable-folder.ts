import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Why a folder cannot hold the data files; the message is one line an operator can act on. */
export class FolderNotWritable extends Error {
  override readonly name = 'FolderNotWritable';
}

/**
 * Creates `folder` (and its missing parents) and proves it can hold files, or throws `FolderNotWritable`.
 *
 * Not `mkdirSync(folder, { recursive: true })`: on Node 20 that call never returns for a path under
 * `/proc` (mkdir answers ENOENT, the parent exists, Node retries the child forever at full CPU), which is
 * how `DATA_DIR=/proc/nope` used to spin instead of failing. Here every level is tried at most twice.
 *
 * Not `accessSync(W_OK)` either: root passes it on a read-only mount or a chmod-555 folder, and the
 * databases then fail later, one by one. Creating and removing a probe file is the question SQLite will ask.
 */
export function ensureWritableFolder(folder: string): void {
  try {
    makeFolder(folder);
    const probe = join(folder, `.write-probe-${process.pid}`);
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
  } catch (error) {
    if (error instanceof FolderNotWritable) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FolderNotWritable(`${folder} is not a writable folder (${code})`, { cause: error });
  }
}

function makeFolder(folder: string, parentMade = false): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      assertFolder(folder);
      return;
    }
    const parent = dirname(folder);
    if (code !== 'ENOENT' || parent === folder || parentMade) throw error;
    // The parent is missing: create it, then try once more. A second ENOENT means the file system
    // refuses the name itself (as /proc does), and it is reported instead of retried.
    makeFolder(parent);
    makeFolder(folder, true);
  }
}

function assertFolder(folder: string): void {
  if (!statSync(folder).isDirectory()) throw new FolderNotWritable(`${folder} is not a folder`);
}
