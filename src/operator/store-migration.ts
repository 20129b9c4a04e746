import type { EventStore } from '../event-store/event-store';
import { type ImportSummary, importEvents } from './event-import';
import { type EventLine, eventLineOf } from './event-line';
import { compareDigests, digestStreams, type StreamMismatch } from './stream-digest';

export interface MigrationReport extends ImportSummary {
  streams: number;
  mismatches: StreamMismatch[];
}

/**
 * Copies every event of `source` into `target` (export and import in one pass, no file), then compares
 * both stores stream by stream (count and SHA-256). Resumable: a second run skips what the target holds.
 */
export async function migrateStore(
  source: EventStore,
  target: EventStore,
  onProgress: (phase: 'copy' | 'verify', done: number) => void = () => {},
): Promise<MigrationReport> {
  const summary = await importEvents(target, lines(source), (done) => onProgress('copy', done));
  const [from, to] = await Promise.all([
    digestStreams(source, (done) => onProgress('verify', done)),
    digestStreams(target),
  ]);
  return { ...summary, streams: from.size, mismatches: compareDigests(from, to) };
}

async function* lines(store: EventStore): AsyncIterable<EventLine> {
  for await (const event of store.readAll()) yield eventLineOf(event);
}
