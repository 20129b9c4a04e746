import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { PublishedEvent } from '../event-catalog/cloud-event';
import { PublicEventTranslator } from '../event-catalog/public-event-translator';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '../event-store/event-store';
import { SharedAllFeed } from '../subscriptions/shared-feed';
import type { ApiKeyRevoked } from '../tenants/customer';
import type { FeedFilter } from './feed-filter';
import { ListenerIndex } from './listener-index';

/**
 * What the hub hands a listener, in `$all` order: the public events its filter may want (tenant, call,
 * conference; the listener tests the types) and their positions. Every other event only moves the hub's
 * `position`, which a live listener reads for its bookmarks.
 */
export interface HubListener {
  readonly filter: FeedFilter;
  /** The API key the listener was authorised with: its revocation ends the listener. */
  readonly keyId: string;
  onEvent(event: PublishedEvent | null, position: bigint): void;
  /** Stops serving (and leaves the hub): the listener's key was revoked. */
  close(): void;
}

const KEY_REVOKED: ApiKeyRevoked['type'] = 'ApiKeyRevoked';

const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * The feed's ONE live consumer of the process's shared `$all` feed (`SharedAllFeed`, which read models,
 * reactors and timers share too), fanned out to every connected feed client: a thousand SSE clients cost one
 * consumer and one translation per event, not a thousand.
 *
 * It starts at the live head (history is each client's own catch-up read), and `position` is the last
 * event handed to listeners. A listener added between two events therefore receives exactly the events
 * after `position`: that is what lets a catching-up client join without gap or duplicate. Listeners are
 * called synchronously and must not block; each one buffers for its own socket (and writes once per tick).
 */
@Injectable()
export class EventHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventHub.name);
  private readonly listeners = new ListenerIndex<HubListener>();
  private readonly byKey = new Map<string, Set<HubListener>>();
  private subscription: Subscription | null = null;
  private stopped = false;
  private started: Promise<void> | null = null;
  private current = 0n;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly feed: SharedAllFeed,
    private readonly translator: PublicEventTranslator,
  ) {}

  /** Last position handed to listeners (or the head when the hub started). */
  get position(): bigint {
    return this.current;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  start(): Promise<void> {
    this.started ??= this.store.headPosition().then((head) => {
      this.current = head ?? 0n;
      void this.run(head ?? 'start');
    });
    return this.started;
  }

  /** Adds a listener that receives every (wanted) event after `position` (read it in the same tick). */
  add(listener: HubListener): void {
    this.listeners.add(listener);
    const ofKey = this.byKey.get(listener.keyId);
    if (ofKey) ofKey.add(listener);
    else this.byKey.set(listener.keyId, new Set([listener]));
  }

  remove(listener: HubListener): void {
    this.listeners.remove(listener);
    const ofKey = this.byKey.get(listener.keyId);
    if (ofKey?.delete(listener) && ofKey.size === 0) this.byKey.delete(listener.keyId);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe();
  }

  /**
   * A stream opened with a key ends when the key is revoked, as every request with it is refused from then
   * on: before any later event (the revocation's position comes first in `$all`), on every instance.
   */
  private closeListenersOf(revocation: RecordedEvent): void {
    const { keyId } = revocation.data as ApiKeyRevoked['data'];
    for (const listener of [...(this.byKey.get(keyId) ?? [])]) listener.close();
    this.byKey.delete(keyId);
  }

  private async run(from: bigint | 'start'): Promise<void> {
    while (!this.stopped) {
      try {
        this.subscription = this.feed.subscribeToAll({ fromPosition: from });
        for await (const recorded of this.subscription) {
          if (recorded.type === KEY_REVOKED) this.closeListenersOf(recorded);
          const published = await this.translator.translate(recorded);
          this.current = recorded.position;
          from = recorded.position;
          if (published !== null)
            this.listeners.forEachCandidate(published, (listener) =>
              listener.onEvent(published, recorded.position),
            );
        }
        return;
      } catch (error) {
        if (this.stopped) return;
        // Clients keep their sockets: they only miss time, not events, since we resume where we stopped.
        this.logger.warn(`feed subscription failed, resubscribing: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_DELAY_MS));
      }
    }
  }
}
