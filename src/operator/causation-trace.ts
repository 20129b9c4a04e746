import type { EventStore, RecordedEvent } from '../event-store/event-store';

/** One event of a request chain with the events it caused (reactions, kicks, leaves...), across streams. */
export interface CausationNode {
  event: RecordedEvent;
  caused: CausationNode[];
  /** `media` when the link is a media-gateway round trip rather than a causation id (see below). */
  via?: 'media';
}

/**
 * Requests to the media gateway and the report that answers them, in the same stream. The gateway port
 * carries no correlation (a media report starts its own, see `command-bus-signal-sink.ts`), so without
 * these links a conference stop would show its kicks but not the leaves they led to. The answer is the
 * first event of that type after the request in its stream; its own chain (clean-up, termination) follows.
 */
const MEDIA_ROUND_TRIPS: Readonly<Record<string, string>> = {
  ConferencecallJoinStarted: 'ConferencecallJoined',
  ConferencecallKicked: 'ConferencecallLeft',
  CallHangupRequested: 'CallHungUp',
};

/**
 * Every event of one correlation, as a forest: roots are the events caused by a command from outside
 * (their causation id is no event of the chain), children the events caused by their parent. `$all`
 * order keeps children in commit order. One pass over the log: `onProgress` tells how far it is.
 */
export async function traceCorrelation(
  store: EventStore,
  correlationId: string,
  onProgress?: (position: bigint) => void,
): Promise<CausationNode[]> {
  const log = await scan(store, onProgress);
  const chain = log.all.filter((event) => event.metadata.correlation_id === correlationId);
  return causationForest(chain, log);
}

/** The tree rooted at one event: that event and everything it caused, transitively, in any stream. */
export async function traceEvent(
  store: EventStore,
  eventId: string,
  onProgress?: (position: bigint) => void,
): Promise<CausationNode | null> {
  const log = await scan(store, onProgress);
  const root = log.all.find((event) => event.id === eventId);
  if (!root) return null;
  const chain = log.all.filter((event) => event.metadata.correlation_id === root.metadata.correlation_id);
  return findNode(causationForest(chain, log), eventId);
}

interface ScannedLog {
  all: RecordedEvent[];
  byCorrelation: Map<string, RecordedEvent[]>;
  byStream: Map<string, RecordedEvent[]>;
}

/** One pass over `$all`, indexed: the trace needs other correlations too (media answers). */
async function scan(store: EventStore, onProgress?: (position: bigint) => void): Promise<ScannedLog> {
  const log: ScannedLog = { all: [], byCorrelation: new Map(), byStream: new Map() };
  for await (const event of store.readAll()) {
    log.all.push(event);
    push(log.byCorrelation, event.metadata.correlation_id, event);
    push(log.byStream, event.streamId, event);
    if (log.all.length % 10_000 === 0) onProgress?.(event.position);
  }
  return log;
}

function push(index: Map<string, RecordedEvent[]>, key: string, event: RecordedEvent): void {
  const list = index.get(key);
  if (list) list.push(event);
  else index.set(key, [event]);
}

function causationForest(
  events: readonly RecordedEvent[],
  log: ScannedLog,
  seen = new Set<string>(),
): CausationNode[] {
  for (const event of events) seen.add(event.id);
  const nodes = new Map(
    events.map((event) => [event.id, { event, caused: [] as CausationNode[] } as CausationNode]),
  );
  const roots: CausationNode[] = [];
  for (const node of nodes.values()) {
    const parent = nodes.get(node.event.metadata.causation_id);
    if (parent && parent !== node) parent.caused.push(node);
    else roots.push(node);
  }
  for (const node of nodes.values()) {
    const answer = mediaAnswer(node.event, log);
    if (!answer || seen.has(answer.id)) continue;
    // The answer's own chain: it and what it caused, in its own correlation.
    const chain = (log.byCorrelation.get(answer.metadata.correlation_id) ?? []).filter(
      (event) => !seen.has(event.id),
    );
    const found = findNode(causationForest(chain, log, seen), answer.id);
    if (found) node.caused.push({ ...found, via: 'media' });
  }
  return roots;
}

function mediaAnswer(request: RecordedEvent, log: ScannedLog): RecordedEvent | undefined {
  const answerType = MEDIA_ROUND_TRIPS[request.type];
  if (!answerType) return undefined;
  return log.byStream
    .get(request.streamId)
    ?.find((event) => event.revision > request.revision && event.type === answerType);
}

function findNode(nodes: readonly CausationNode[], eventId: string): CausationNode | null {
  for (const node of nodes) {
    if (node.event.id === eventId) return node;
    const found = findNode(node.caused, eventId);
    if (found) return found;
  }
  return null;
}

/** Depth-first, parents before children: the order a tree is printed in. */
export function flattenTree(
  nodes: readonly CausationNode[],
  depth = 0,
): { depth: number; event: RecordedEvent; via?: 'media' }[] {
  return nodes.flatMap((node) => [
    { depth, event: node.event, via: node.via },
    ...flattenTree(node.caused, depth + 1),
  ]);
}
