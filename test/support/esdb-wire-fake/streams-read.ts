import { randomUUID } from 'node:crypto';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { status as GrpcStatus, type ServerWritableStream } from '@grpc/grpc-js';
import type { Direction, FakeLog, StoredRecord } from './fake-log';
import { BadRequest, eventResponse, streamIdentifier, streamNameOf } from './proto-mapping';

/**
 * Streams.Read of the wire fake: stream reads, `$all` reads, and catch-up subscriptions to `$all`.
 * Writes honour gRPC back-pressure, so a big read or catch-up never sits in memory all at once.
 */

export interface ReadGate {
  readonly stalled: boolean;
}

export interface ActiveSubscription {
  /** Ends the call with UNAVAILABLE, as a client sees a server that went away. */
  drop(): void;
}

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
type RecordFilter = (record: StoredRecord) => boolean;

/**
 * How the server pages a catch-up, as EventStoreDB does: it reads `window` records at a time (a
 * filter's `max`, else its internal read batch of 32), and a filtered subscription sends a checkpoint
 * once `checkpointInterval` (multiplier × window) records were considered since the last one.
 */
interface Paging {
  window: number;
  /** Null: no checkpoints (unfiltered subscriptions get none). */
  checkpointInterval: number | null;
}

/** The server's read batch when a subscription names no search window. */
const SERVER_READ_BATCH = 32;

export function handleRead(
  log: FakeLog,
  gate: ReadGate,
  subscriptions: Set<ActiveSubscription>,
  onSubscribe: (from: bigint | null) => void,
) {
  return (call: ReadCall): void => {
    if (gate.stalled) return;
    serveRead(call, log, subscriptions, onSubscribe).catch((error: Error) => {
      const code = error instanceof BadRequest ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL;
      if (!call.writableEnded) call.emit('error', { code, details: error.message });
    });
  };
}

async function serveRead(
  call: ReadCall,
  log: FakeLog,
  subscriptions: Set<ActiveSubscription>,
  onSubscribe: (from: bigint | null) => void,
) {
  const options = call.request.getOptions();
  if (!options) throw new BadRequest('Required field Options not set.');
  const uuidAsString = options.getUuidOption()?.hasString() ?? false;
  const filter = compileFilter(options);
  const direction: Direction =
    options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
  const count = options.hasCount() ? Number(BigInt(options.getCount())) : Number.MAX_SAFE_INTEGER;

  if (options.hasSubscription()) {
    const all = options.getAll();
    if (!all) throw new BadRequest('This fake implements subscriptions to $all only.');
    const from = all.hasStart() ? null : all.hasEnd() ? log.lastPosition() : positionOf(all.getPosition());
    const paging = pagingOf(options);
    onSubscribe(from);
    await subscribeToAll(call, log, { from, filter, paging, uuidAsString }, subscriptions);
    return;
  }

  let records: StoredRecord[];
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const name = streamNameOf(stream.getStreamIdentifier());
    const from = stream.hasStart() ? 'start' : stream.hasEnd() ? 'end' : BigInt(stream.getRevision());
    const found = log.readStream(name, from, direction, count);
    if (found === null) {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name));
      await send(call, new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    records = found;
  } else {
    const all = options.getAll();
    if (!all) throw new BadRequest('Neither a stream nor $all was requested.');
    const from = all.hasStart() ? 'start' : all.hasEnd() ? 'end' : positionOf(all.getPosition());
    // A filtered read keeps reading until it has `count` matching events, as the server does.
    records = log.readAll(from, direction, filter ? Number.MAX_SAFE_INTEGER : count);
    if (filter) records = records.filter(filter).slice(0, count);
  }
  for (const record of records) {
    if (!(await send(call, eventResponse(record, uuidAsString)))) return;
  }
  call.end();
}

interface SubscriptionRequest {
  from: bigint | null;
  filter: RecordFilter | null;
  paging: Paging;
  uuidAsString: boolean;
}

async function subscribeToAll(
  call: ReadCall,
  log: FakeLog,
  request: SubscriptionRequest,
  subscriptions: Set<ActiveSubscription>,
): Promise<void> {
  const { filter, paging, uuidAsString } = request;
  let cursor = request.from;
  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  const active: ActiveSubscription = {
    drop: () => {
      stop();
      call.emit('error', {
        code: GrpcStatus.UNAVAILABLE,
        details: 'Subscription dropped by the fake server',
      });
    },
  };
  subscriptions.add(active);
  call.on('cancelled', stop);
  const stopListening = log.onCommit(() => wake?.());
  try {
    const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
    if (!(await send(call, new ReadResp().setConfirmation(confirmation)))) return;
    let caughtUp = false;
    let considered = 0;
    while (!stopped) {
      const page = log.after(cursor, paging.window);
      if (page.length === 0) {
        if (!caughtUp) {
          caughtUp = true;
          if (!(await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp())))) return;
          continue;
        }
        // Nothing after the cursor: sleep until the next commit (checked and armed in the same tick).
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      // As the server does: the checkpoint is the last matching event of the page, or where the page
      // began when nothing in it matched. Either way every match up to it was sent before it.
      let checkpoint = page[0]!.position;
      for (const record of page) {
        if (stopped) return;
        cursor = record.position;
        if (filter && !filter(record)) continue;
        checkpoint = record.position;
        if (!(await send(call, eventResponse(record, uuidAsString)))) return;
      }
      considered += page.length;
      if (paging.checkpointInterval !== null && considered >= paging.checkpointInterval) {
        considered %= paging.checkpointInterval;
        const position = checkpoint.toString();
        const message = new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position);
        if (!(await send(call, new ReadResp().setCheckpoint(message)))) return;
      }
    }
  } finally {
    stopListening();
    subscriptions.delete(active);
  }
}

function pagingOf(options: ReadReq.Options): Paging {
  if (!options.hasFilter()) return { window: SERVER_READ_BATCH, checkpointInterval: null };
  const filter = options.getFilter()!;
  const window = filter.hasMax() ? filter.getMax() : SERVER_READ_BATCH;
  if (window <= 0) throw new BadRequest('The search window must be greater than 0.');
  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw new BadRequest('The checkpoint interval multiplier must be greater than 0.');
  return { window, checkpointInterval: multiplier * window };
}

/** Resolves false when the call is gone (cancelled by the client or ended by the fake). */
async function send(call: ReadCall, message: ReadResp): Promise<boolean> {
  if (call.cancelled || call.writableEnded || call.destroyed) return false;
  if (call.write(message)) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => () => {
      call.off('drain', onDrain);
      call.off('cancelled', onGone);
      call.off('finish', onGone);
      resolve(ok);
    };
    const onDrain = done(true);
    const onGone = done(false);
    call.once('drain', onDrain);
    call.once('cancelled', onGone);
    call.once('finish', onGone);
  });
}

function positionOf(position: ReadReq.Options.Position | undefined): bigint {
  if (!position) throw new BadRequest('Required field Position not set.');
  return BigInt(position.getCommitPosition());
}

/** Server-side filters: on stream name or event type, by regex or by prefixes. */
function compileFilter(options: ReadReq.Options): RecordFilter | null {
  if (!options.hasFilter()) return null;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw new BadRequest('Filter without an expression.');
  const subject = (record: StoredRecord) => (onStream ? record.streamId : record.type);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (record) => pattern.test(subject(record));
  }
  const prefixes = expression.getPrefixList();
  return (record) => prefixes.some((prefix) => subject(record).startsWith(prefix));
}
