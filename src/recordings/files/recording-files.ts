import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where recorded audio is kept: `DATA_DIR/recordings/<id>.wav`, or memory when DATA_DIR is `:memory:`
 * (tests). Written by the simulated media layer, read by `GET /v1/recordings/:id/file`. An external media
 * layer keeps its own files and reports their URL instead.
 */
export interface RecordingFiles {
  /** Atomic: a reader sees the whole file or none (written to a temporary name, then renamed). */
  write(recordingId: string, file: Buffer): Promise<void>;
  /** null when there is no file for this id. */
  read(recordingId: string): Promise<Buffer | null>;
}

export const RECORDING_FILES = Symbol('RECORDING_FILES');

/** Ids are UUIDs; anything else never reaches the file system. */
const SAFE_ID = /^[0-9a-f-]{36}$/i;

export class DiskRecordingFiles implements RecordingFiles {
  constructor(private readonly folder: string) {}

  async write(recordingId: string, file: Buffer): Promise<void> {
    const path = this.pathOf(recordingId);
    await mkdir(this.folder, { recursive: true });
    await writeFile(`${path}.partial`, file);
    await rename(`${path}.partial`, path);
  }

  async read(recordingId: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(recordingId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private pathOf(recordingId: string): string {
    if (!SAFE_ID.test(recordingId)) throw new Error(`not a recording id: ${recordingId}`);
    return join(this.folder, `${recordingId.toLowerCase()}.wav`);
  }
}

export class MemoryRecordingFiles implements RecordingFiles {
  private readonly files = new Map<string, Buffer>();

  async write(recordingId: string, file: Buffer): Promise<void> {
    this.files.set(recordingId, file);
  }

  async read(recordingId: string): Promise<Buffer | null> {
    return this.files.get(recordingId) ?? null;
  }
}

export function recordingFilesFor(dataDir: string): RecordingFiles {
  return dataDir === ':memory:'
    ? new MemoryRecordingFiles()
    : new DiskRecordingFiles(join(dataDir, 'recordings'));
}
