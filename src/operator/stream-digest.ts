import { createHash, type Hash } from 'node:crypto';
import type { EventStore } from '../event-store/event-store';
import { eventLineOf } from './event-line';

/** Per stream: how many events and the SHA-256 of their export lines, to compare two stores. */
export type StreamDigests = Map<string, { count: number; sha256: string }>;

export async function digestStreams(
  store: EventStore,
  onProgress?: (events: number) => void,
): Promise<StreamDigests> {
  const hashes = new Map<string, { count: number; hash: Hash }>();
  let seen = 0;
  for await (const event of store.readAll()) {
    let entry = hashes.get(event.streamId);
    if (!entry) {
      entry = { count: 0, hash: createHash('sha256') };
      hashes.set(event.streamId, entry);
    }
    entry.count++;
    entry.hash.update(`${JSON.stringify(eventLineOf(event))}\n`);
    if (++seen % 10_000 === 0) onProgress?.(seen);
  }
  onProgress?.(seen);
  return new Map(
    [...hashes].map(([stream, { count, hash }]) => [stream, { count, sha256: hash.digest('hex') }]),
  );
}

export interface StreamMismatch {
  stream: string;
  source: string;
  target: string;
}

/** Streams whose count or hash differ (or that one side lacks). */
export function compareDigests(source: StreamDigests, target: StreamDigests): StreamMismatch[] {
  const describe = (digest?: { count: number; sha256: string }) =>
    digest ? `${digest.count} events, ${digest.sha256.slice(0, 12)}` : 'missing';
  const streams = new Set([...source.keys(), ...target.keys()]);
  return [...streams]
    .filter((stream) => {
      const a = source.get(stream);
      const b = target.get(stream);
      return a?.count !== b?.count || a?.sha256 !== b?.sha256;
    })
    .map((stream) => ({
      stream,
      source: describe(source.get(stream)),
      target: describe(target.get(stream)),
    }));
}
