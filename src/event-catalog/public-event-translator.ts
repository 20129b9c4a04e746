import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store/event-store';
import type { CloudEvent, PublishedEvent } from './cloud-event';
import { publicTypeOf } from './public-event-mapping';
import { publicEventType } from './public-event-types';
import { type ResourceStream, resourceStreamOf } from './resource-streams';
import { upcast } from './upcasters';

/** Folded states kept per process; a stream evicted from it is read again from the store when next seen. */
const MAX_CACHED_STREAMS = 20_000;

interface Folded {
  revision: bigint;
  state: unknown;
}

/**
 * Turns a stored internal event into its public CloudEvent, or null when it is not public. `data` is the
 * resource after the event, rendered by the REST API's own view: the stream is folded up to the event's
 * revision. Consumers read `$all` in order, so the usual case extends a cached fold by one event; anything
 * else (a restart, a client catching up from long ago, an evicted stream) re-reads the stream up to that
 * revision, which is always correct because a stream's past never changes.
 */
@Injectable()
export class PublicEventTranslator {
  private readonly folded = new Map<string, Folded>();
  /**
   * The shared feed hands every live consumer (the feed's hub, the webhook reactor) the same recorded
   * object: translate it once for all of them, and they share the result (and its serialised JSON).
   */
  private readonly translated = new WeakMap<RecordedEvent, Promise<PublishedEvent | null>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Read-only result: it may be shared with other consumers of the same event. */
  translate(recorded: RecordedEvent): Promise<PublishedEvent | null> {
    let translation = this.translated.get(recorded);
    if (translation === undefined) {
      translation = this.translateOnce(recorded);
      this.translated.set(recorded, translation);
      // A failed read (store down) is not an answer: the next consumer tries again.
      translation.catch(() => this.translated.delete(recorded));
    }
    return translation;
  }

  private async translateOnce(recorded: RecordedEvent): Promise<PublishedEvent | null> {
    const resource = resourceStreamOf(recorded.streamId);
    if (resource === null) return null;
    const event = upcast(recorded);
    const type = publicTypeOf(resource.stream.resource, event.type, event.data);
    if (type === null) return null;
    const state = await this.stateAfter(resource.stream, event);
    const data = resource.stream.view(state, event.revision);
    if (data === null) return null;
    const customerId = event.metadata.customer_id;
    const cloudEvent: CloudEvent = {
      specversion: '1.0',
      id: event.id,
      source: resource.stream.source,
      type,
      typeversion: String(publicEventType(type)?.version ?? 1),
      time: typeof event.data.at === 'string' ? event.data.at : event.created.toISOString(),
      // A number's stream is keyed by the number; its public id is the registration's (in the view).
      subject: resource.stream.subjectOf?.(data) ?? resource.id,
      datacontenttype: 'application/json',
      sequence: event.position.toString(),
      customerid: customerId,
      data,
    };
    const callId = callIdOf(resource.stream.resource, resource.id, data);
    const conferenceId = conferenceIdOf(resource.stream.resource, resource.id, data);
    return {
      position: event.position,
      customerId,
      orderingKey: conferenceId !== null && resource.stream.resource !== 'call' ? conferenceId : resource.id,
      callId,
      conferenceId,
      cloudEvent,
    };
  }

  private async stateAfter(stream: ResourceStream, event: RecordedEvent): Promise<unknown> {
    const cached = this.folded.get(event.streamId);
    let folded: Folded;
    if (cached && cached.revision === event.revision) return cached.state;
    if (cached && cached.revision === event.revision - 1n) {
      folded = { revision: event.revision, state: stream.evolve(cached.state, event) };
    } else if (event.revision === 0n) {
      // A stream's first event (a new call): nothing to read, and a read costs an event-loop turn.
      folded = { revision: 0n, state: stream.evolve(stream.initialState, event) };
    } else {
      folded = await this.foldUpTo(stream, event.streamId, event.revision);
    }
    // The feed's hub, the webhook reactor and catching-up clients read the same streams at different
    // revisions: keep the newest fold, which the live consumers extend by one event next time.
    if (cached && cached.revision > folded.revision) return folded.state;
    this.folded.delete(event.streamId);
    this.folded.set(event.streamId, folded);
    if (this.folded.size > MAX_CACHED_STREAMS) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
    return folded.state;
  }

  private async foldUpTo(stream: ResourceStream, streamId: string, revision: bigint): Promise<Folded> {
    let state = stream.initialState;
    for await (const stored of this.store.readStream(streamId, { maxCount: Number(revision) + 1 })) {
      state = stream.evolve(state, upcast(stored));
    }
    return { revision, state };
  }
}

function callIdOf(resource: string, id: string, data: Record<string, unknown>): string | null {
  if (resource === 'call') return id;
  if (resource === 'conferencecall') return data.reference_id as string;
  if (resource === 'recording') return (data.call_id as string | null) ?? null;
  return null;
}

function conferenceIdOf(resource: string, id: string, data: Record<string, unknown>): string | null {
  if (resource === 'conference') return id;
  if (resource === 'conferencecall') return data.conference_id as string;
  if (resource === 'number') return null; // a join_conference number is not part of its conference
  return (data.conference_id as string | null) ?? null;
}
