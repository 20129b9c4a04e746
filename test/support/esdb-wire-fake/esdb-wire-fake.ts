/**
 * TEST FAKE of EventStoreDB's gRPC wire protocol. It is NOT EventStoreDB and must never serve real data.
 *
 * An in-process `@grpc/grpc-js` server built on the service definitions that `@eventstore/db-client` ships
 * (`@eventstore/db-client/generated/*`), so the EventStoreDB adapter can be tested over real gRPC, with
 * the real client, on machines where EventStoreDB cannot run. Storage is in memory.
 *
 * Implements:
 * - ServerFeatures.GetSupportedMethods: the client asks it before its first append to choose between
 *   Streams.BatchAppend (advertised by default, as current servers do) and Streams.Append.
 * - Streams.BatchAppend and Streams.Append: expected revision (no_stream, any, stream_exists, exact),
 *   WrongExpectedVersion with current and expected revision in the shapes the client unpacks, idempotent
 *   re-append of the same event ids, refusal of malformed event ids, revisions from 0.
 * - Streams.Read: stream reads (forwards/backwards, from start/end/revision, count, stream-not-found),
 *   `$all` reads (forwards inclusive; backwards from a position returns only records that end before it,
 *   as the server does), catch-up subscriptions to `$all` (confirmation, exclusive start position,
 *   catch-up, `caughtUp`, then live), server-side filters on stream name or event type (regex or prefixes),
 *   read in pages of the filter's search window (`max`, else the server's batch of 32) with checkpoints
 *   every multiplier × window records considered, placed as the server places them.
 * - Positions: commit = prepare = byte-offset-like, increasing and never contiguous. System events
 *   (`$`-typed, in `$`-streams) sit in `$all` from the start, as on a fresh server, so adapters must skip them.
 * - Fault injection: drop every subscription, restart (connections die, data stays), stall (accept
 *   requests, never answer).
 *
 * Does NOT implement: persistence, clustering and gossip, TLS and authentication, ACLs, stream metadata
 * semantics (max age, truncation), deletes and tombstones, link events and resolveLinkTos, projections,
 * persistent subscriptions, stream subscriptions, `fellBehind`,
 * server-side deadlines, size limits, and the FirstStreamPosition/LastStreamPosition read messages.
 * Regex filters run on JavaScript's RegExp, not .NET's.
 */

import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { Server, ServerCredentials, type sendUnaryData, status } from '@grpc/grpc-js';
import { FakeLog } from './fake-log';
import { handleAppend, handleBatchAppend } from './streams-append';
import { type ActiveSubscription, handleRead } from './streams-read';

export interface EsdbWireFakeOptions {
  /** Port to listen on (default: any free one). */
  port?: number;
  /** Clock for the `created` time of recorded events. */
  now?: () => Date;
  /** Advertise and serve Streams.BatchAppend (default true). With false the client falls back to Append. */
  batchAppend?: boolean;
  /** Report the original position on an idempotent re-append (default true); false answers "no position". */
  idempotentAppendsReportPosition?: boolean;
}

export interface EsdbWireFake {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** Ends every open subscription with UNAVAILABLE; the server keeps running. */
  dropSubscriptions(): void;
  /** Kills all connections and listens again on the same port after `downtimeMs`; the data survives. */
  restart(downtimeMs?: number): Promise<void>;
  /**
   * The freeze switch: while stalled, calls are accepted and never answered (Streams and the
   * server-features probe alike), as a hung server or a half-open connection behaves.
   */
  setStalled(stalled: boolean): void;
  /** Where each subscription request asked to start (null: from the start), oldest first. */
  subscriptionStarts(): readonly (bigint | null)[];
  /** The metadata of a stream's events as the server holds it (what its own projections read). */
  storedMetadata(streamId: string): unknown[];
  /** Writes a `$`-typed event to a `$`-stream, as the server itself does (stats, metadata). */
  appendSystemEvent(streamId?: string, type?: string): void;
  stop(): Promise<void>;
}

const SERVER_VERSION = '24.10.0';
const STREAMS_SERVICE = 'event_store.client.streams.Streams';

export async function startEsdbWireFake(options: EsdbWireFakeOptions = {}): Promise<EsdbWireFake> {
  const batchAppend = options.batchAppend ?? true;
  const log = new FakeLog(options.now ?? (() => new Date()), options.idempotentAppendsReportPosition ?? true);
  const gate = { stalled: false };
  const subscriptions = new Set<ActiveSubscription>();
  const starts: (bigint | null)[] = [];
  let systemEvents = 0;
  const appendSystemEvent = (streamId = '$stats-127.0.0.1:2113', type = '$statsCollected') => {
    systemEvents += 1;
    const id = `00000000-0000-4000-8000-${systemEvents.toString(16).padStart(12, '0')}`;
    const data = Buffer.from(JSON.stringify({ 'es-queue-length': 0 }), 'utf8');
    const event = { id, type, contentType: 'application/json', data, metadata: new Uint8Array() };
    log.append(streamId, { kind: 'any' }, [event]);
  };
  // A fresh server already has system events in $all before any user write.
  appendSystemEvent('$$$scavenges', '$metadata');
  appendSystemEvent();

  const createServer = () => {
    const server = new Server();
    server.addService(StreamsService, {
      read: handleRead(log, gate, subscriptions, (from) => starts.push(from)),
      append: handleAppend(log, gate),
      batchAppend: handleBatchAppend(log, gate),
      delete: notImplemented,
      tombstone: notImplemented,
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: sendUnaryData<SupportedMethods>) => {
        if (!gate.stalled) callback(null, supportedMethods(batchAppend));
      },
    });
    return server;
  };

  let server = createServer();
  const port = await bind(server, options.port ?? 0);
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    dropSubscriptions: () => {
      for (const subscription of [...subscriptions]) subscription.drop();
    },
    restart: async (downtimeMs = 0) => {
      for (const subscription of [...subscriptions]) subscription.drop();
      server.forceShutdown();
      await new Promise((resolve) => setTimeout(resolve, downtimeMs));
      server = createServer();
      await bind(server, port);
    },
    setStalled: (stalled) => {
      gate.stalled = stalled;
    },
    subscriptionStarts: () => [...starts],
    storedMetadata: (streamId) =>
      (log.readStream(streamId, 'start', 'forwards', Number.MAX_SAFE_INTEGER) ?? []).map((record) =>
        JSON.parse(Buffer.from(record.metadata).toString('utf8')),
      ),
    appendSystemEvent,
    stop: async () => {
      for (const subscription of [...subscriptions]) subscription.drop();
      server.forceShutdown();
    },
  };
}

function notImplemented(_call: unknown, callback: sendUnaryData<never>): void {
  callback({ code: status.UNIMPLEMENTED, details: 'Not implemented by the EventStoreDB wire fake' });
}

function supportedMethods(batchAppend: boolean): SupportedMethods {
  const names = ['Read', 'Append', ...(batchAppend ? ['BatchAppend'] : [])];
  const methods = names.map((name) =>
    new SupportedMethod().setServiceName(STREAMS_SERVICE.toLowerCase()).setMethodName(name.toLowerCase()),
  );
  return new SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods);
}

function bind(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
}
