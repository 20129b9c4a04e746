import type { EventData, EventStore } from '../event-store/event-store';
import { StreamNotFound } from '../event-store/event-store.errors';
import type { EventLine } from './event-line';
import { ORIGINAL_CREATED } from './recorded-at';

export interface ImportSummary {
  /** Events written now. */
  appended: number;
  /** Events the target already had (a re-import, or the part a resumed import had done). */
  skipped: number;
}

/** The file does not continue a stream of the target (a gap, or a different history at that revision). */
export class ImportConflict extends Error {
  override readonly name = 'ImportConflict';
}

/** Appends in flight at once: enough for the SQLite adapter's group commit to fill its transactions. */
const WINDOW = 4000;

/**
 * Appends exported events with their original ids at their original revisions (each append expects the
 * revision before it), so the target ends with the same streams. Resumable and idempotent: what a stream
 * already holds up to its head is skipped, so a re-import writes nothing and an interrupted one carries on.
 * The original commit time travels in metadata (`recordedAt`).
 *
 * Appends of one window are issued together, in file order; an adapter that queues them (SQLite's group
 * commit, EventStoreDB's connection) keeps that order in `$all`, so a re-export lists the same lines.
 */
export async function importEvents(
  store: EventStore,
  events: AsyncIterable<EventLine>,
  onProgress: (done: number) => void = () => {},
): Promise<ImportSummary> {
  const heads = new Map<string, bigint | null>();
  const summary: ImportSummary = { appended: 0, skipped: 0 };
  // Into an empty store every stream is new: no need to ask the store for each one's head.
  const emptyTarget = (await store.headPosition()) === null;
  let window: EventLine[] = [];
  for await (const event of events) {
    window.push(event);
    if (window.length >= WINDOW) {
      await importWindow(store, window, heads, summary, emptyTarget);
      onProgress(summary.appended + summary.skipped);
      window = [];
    }
  }
  await importWindow(store, window, heads, summary, emptyTarget);
  onProgress(summary.appended + summary.skipped);
  return summary;
}

async function importWindow(
  store: EventStore,
  window: readonly EventLine[],
  heads: Map<string, bigint | null>,
  summary: ImportSummary,
  emptyTarget: boolean,
): Promise<void> {
  const unknown = [...new Set(window.map((event) => event.stream))].filter((stream) => !heads.has(stream));
  const found = emptyTarget
    ? unknown.map(() => null)
    : await Promise.all(unknown.map((stream) => headRevision(store, stream)));
  for (const [i, stream] of unknown.entries()) heads.set(stream, found[i]);

  // Consecutive events of one stream go in one append.
  const appends: Promise<unknown>[] = [];
  let batch: EventData[] = [];
  let batchStream = '';
  let batchExpected: bigint | null = null;
  const flush = () => {
    if (batch.length === 0) return;
    const expectedRevision = batchExpected === null ? 'no_stream' : batchExpected;
    appends.push(store.appendToStream(batchStream, batch, { expectedRevision }));
    summary.appended += batch.length;
    batch = [];
  };
  for (const event of window) {
    const revision = BigInt(event.revision);
    const head = heads.get(event.stream) ?? null;
    if (head !== null && revision <= head) {
      summary.skipped++;
      continue;
    }
    const next = head === null ? 0n : head + 1n;
    if (revision !== next)
      throw new ImportConflict(
        `${event.stream}: the file has revision ${revision}, the target expects ${next}`,
      );
    if (event.stream !== batchStream) {
      flush();
      batchStream = event.stream;
      batchExpected = head;
    }
    batch.push({
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: { ...event.metadata, [ORIGINAL_CREATED]: event.created },
    });
    heads.set(event.stream, revision);
  }
  flush();
  await Promise.all(appends);
}

/** Revision of a stream's last event in the target, or null when it has none. */
async function headRevision(store: EventStore, stream: string): Promise<bigint | null> {
  try {
    for await (const event of store.readStream(stream, { direction: 'backwards', maxCount: 1 }))
      return event.revision;
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return null;
}
