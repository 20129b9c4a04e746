import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type EventLine, isTrailer } from './event-line';

/** The file is not a complete, unedited export: refused before anything is written. */
export class ExportFileRejected extends Error {
  override readonly name = 'ExportFileRejected';
}

function lines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * Checks an export file against its trailer (count and SHA-256 of the event lines) and answers its event
 * count. Read once in full before importing, so a truncated or edited file writes nothing at all.
 */
export async function verifyExportFile(path: string): Promise<number> {
  const hash = createHash('sha256');
  let count = 0;
  let trailer: { count: number; sha256: string } | null = null;
  for await (const line of lines(path)) {
    if (line === '') continue;
    if (trailer) throw new ExportFileRejected(`${path}: lines after the trailer`);
    if (line.startsWith('{"trailer"')) {
      const parsed: unknown = JSON.parse(line);
      if (isTrailer(parsed)) {
        trailer = parsed.trailer;
        continue;
      }
    }
    hash.update(`${line}\n`);
    count++;
  }
  if (!trailer) throw new ExportFileRejected(`${path}: no trailer line (truncated export?)`);
  const sha256 = hash.digest('hex');
  if (trailer.count !== count || trailer.sha256 !== sha256)
    throw new ExportFileRejected(
      `${path}: content does not match its trailer (${count} events, sha256 ${sha256}; trailer says ${trailer.count}, ${trailer.sha256})`,
    );
  return count;
}

/** The event lines of an export file, in order (the trailer is skipped). */
export async function* readExportFile(path: string): AsyncIterable<EventLine> {
  for await (const line of lines(path)) {
    if (line === '') continue;
    const parsed: unknown = JSON.parse(line);
    if (isTrailer(parsed)) return;
    yield parsed as EventLine;
  }
}
