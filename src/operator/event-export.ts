import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../event-store/event-store';
import { type EventLine, type ExportTrailer, eventLineOf } from './event-line';
import { recordedAt } from './recorded-at';

export interface ExportFilter {
  /** Only this tenant's events (metadata.customer_id). */
  tenant?: string;
  streamPrefix?: string;
  /** Inclusive, by original commit time. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

export interface ExportProgress {
  /** Position reached in `$all`, against `head`, for a progress bar. */
  onProgress?(position: bigint, head: bigint): void;
}

export interface ExportSummary {
  count: number;
  sha256: string;
}

/**
 * Writes the store's events in `$all` order, one JSON line each, then a trailer line with their count and
 * SHA-256, so `import` can refuse a truncated or edited file. `write` receives chunks of whole lines; the
 * hash covers exactly the bytes of the event lines.
 */
export async function exportEvents(
  store: EventStore,
  filter: ExportFilter,
  write: (chunk: string) => void | Promise<void>,
  progress: ExportProgress = {},
): Promise<ExportSummary> {
  const hash = createHash('sha256');
  const head = (await store.headPosition()) ?? 0n;
  let count = 0;
  let chunk = '';
  for await (const event of store.readAll()) {
    if (matches(event, filter)) {
      chunk += `${JSON.stringify(eventLineOf(event))}\n`;
      count++;
    }
    if (chunk.length >= 1 << 20) {
      hash.update(chunk);
      await write(chunk);
      chunk = '';
      progress.onProgress?.(event.position, head);
    }
  }
  hash.update(chunk);
  const sha256 = hash.digest('hex');
  const trailer: ExportTrailer = { trailer: { count, sha256 } };
  await write(`${chunk}${JSON.stringify(trailer)}\n`);
  progress.onProgress?.(head, head);
  return { count, sha256 };
}

function matches(event: RecordedEvent, filter: ExportFilter): boolean {
  if (filter.tenant !== undefined && event.metadata.customer_id !== filter.tenant) return false;
  if (filter.streamPrefix !== undefined && !event.streamId.startsWith(filter.streamPrefix)) return false;
  if (filter.since === undefined && filter.until === undefined) return true;
  const at = recordedAt(event).getTime();
  if (filter.since !== undefined && at < filter.since.getTime()) return false;
  if (filter.until !== undefined && at >= filter.until.getTime()) return false;
  return true;
}

export type { EventLine };
