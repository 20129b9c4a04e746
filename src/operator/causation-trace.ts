import type { EventStore, RecordedEvent } from '../event-store/event-store';

/** One event of a request chain with the events it caused (reactions, kicks, leaves...), across streams. */
export interface CausationNode {
  event: RecordedEvent;
  caused: CausationNode[];
}

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
  const chain: RecordedEvent[] = [];
  let seen = 0;
  for await (const event of store.readAll()) {
    if (event.metadata.correlation_id === correlationId) chain.push(event);
    if (++seen % 10_000 === 0) onProgress?.(event.position);
  }
  return causationForest(chain);
}

/** The tree rooted at one event: that event and everything it caused, transitively, in any stream. */
export async function traceEvent(
  store: EventStore,
  eventId: string,
  onProgress?: (position: bigint) => void,
): Promise<CausationNode | null> {
  let root: RecordedEvent | null = null;
  const chain: RecordedEvent[] = [];
  let seen = 0;
  for await (const event of store.readAll()) {
    if (event.id === eventId) root = event;
    // What it caused is committed after it; caused events keep the correlation (`causedBy`).
    else if (root && event.metadata.correlation_id === root.metadata.correlation_id) chain.push(event);
    if (++seen % 10_000 === 0) onProgress?.(event.position);
  }
  if (!root) return null;
  const forest = causationForest([root, ...chain]);
  return forest.find((node) => node.event.id === eventId) ?? null;
}

function causationForest(events: readonly RecordedEvent[]): CausationNode[] {
  const nodes = new Map(events.map((event) => [event.id, { event, caused: [] as CausationNode[] }]));
  const roots: CausationNode[] = [];
  for (const node of nodes.values()) {
    const parent = nodes.get(node.event.metadata.causation_id);
    if (parent && parent !== node) parent.caused.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Depth-first, parents before children: the order a tree is printed in. */
export function flattenTree(
  nodes: readonly CausationNode[],
  depth = 0,
): { depth: number; event: RecordedEvent }[] {
  return nodes.flatMap((node) => [{ depth, event: node.event }, ...flattenTree(node.caused, depth + 1)]);
}
