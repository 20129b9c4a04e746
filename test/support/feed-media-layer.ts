import { EventSource } from 'eventsource';

/** What the media layer does with a new call: answer it, let it ring forever, or report it busy. */
export type DialPlan = 'answer' | 'ring' | 'busy' | 'ignore';

export interface SentSignal {
  resource: 'call' | 'conferencecall';
  id: string;
  signal: string;
  /** The API's answer to the signal (200, or a problem's status). */
  status: number;
  latencyMs: number;
}

export interface FeedMediaLayerOptions {
  /** Decides per new call (its `data` as the feed shows it); default: answer every call. */
  plan?: (call: { id: string; destination: { target: string } }) => DialPlan;
  /** Resume after this feed position (`Last-Event-ID`), as a restarted media layer does. */
  lastEventId?: string;
}

const FEED_TYPES = [
  'call.created',
  'call.terminating',
  'call.canceling',
  'conferencecall.joining',
  'conferencecall.leaving',
].join(',');

/**
 * An external media layer built the way README's "Events" section tells one to be: it never sees the
 * clients' POST answers, it follows `GET /v1/events?types=call.created,...` with the `eventsource` client
 * and a `media` key, and reports what happened through the signals API: it dials every `call.created`
 * (ringing then answered, per `plan`), confirms every hangup request (`call.terminating`/`call.canceling`
 * → `hangup`) and bridges conference joins and leaves (`joined`/`left`). Signal ids are derived from the
 * resource, so a redelivered event (a reconnect) changes nothing. Every signal sent is in `signals`, and
 * `lastEventId` (the last event handled) is what a real layer would persist to resume after a restart.
 */
export class FeedMediaLayer {
  readonly signals: SentSignal[] = [];
  /** Every call id it was told about by `call.created`, in feed order (a dial each). */
  readonly dialled: string[] = [];
  lastEventId: string | null = null;
  private readonly source: EventSource;
  /** Per call or participant: its events are handled in feed order, different ones concurrently. */
  private readonly work = new Map<string, Promise<void>>();
  private readonly waiters = new Map<string, (() => void)[]>();

  private constructor(
    private readonly baseUrl: string,
    private readonly mediaKey: string,
    private readonly options: FeedMediaLayerOptions,
  ) {
    this.lastEventId = options.lastEventId ?? null;
    this.source = new EventSource(`${baseUrl}/v1/events?types=${FEED_TYPES}`, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...(init?.headers as Record<string, string>),
            authorization: `Bearer ${mediaKey}`,
            ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
          },
        }),
    });
    this.source.onmessage = (message) => {
      const event = JSON.parse(message.data) as { type: string; subject: string; data: any };
      // In feed order per call: a hangup confirmation never overtakes the dial of its call.
      const previous = this.work.get(event.subject) ?? Promise.resolve();
      const next = previous
        .then(() => this.handle(event))
        .then(() => {
          this.lastEventId = message.lastEventId;
          if (this.work.get(event.subject) === next) this.work.delete(event.subject);
        });
      this.work.set(event.subject, next);
    };
  }

  /** Connected: every call made from now on is seen. */
  static async start(
    baseUrl: string,
    mediaKey: string,
    options: FeedMediaLayerOptions = {},
  ): Promise<FeedMediaLayer> {
    const layer = new FeedMediaLayer(baseUrl, mediaKey, options);
    await new Promise<void>((resolve, reject) => {
      layer.source.onopen = () => resolve();
      layer.source.onerror = (error) => reject(new Error(`feed failed: ${error.message ?? error.code}`));
    });
    layer.source.onerror = () => undefined; // later drops: the client reconnects with Last-Event-ID itself
    return layer;
  }

  /** The signals sent for one call or participant, in order. */
  signalsOf(id: string): string[] {
    return this.signals.filter((s) => s.id === id).map((s) => s.signal);
  }

  /** Resolves when `predicate` holds; fails after `timeoutMs` naming what was signalled. */
  async until(predicate: (layer: FeedMediaLayer) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline)
        throw new Error(
          `media layer timed out; signals: ${JSON.stringify(this.signals.map((s) => s.signal))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves once `signal` was sent for `id` (a call or a participant). */
  signalled(id: string, signal: string): Promise<void> {
    if (this.signals.some((s) => s.id === id && s.signal === signal)) return Promise.resolve();
    return new Promise((resolve) => {
      const key = `${id}/${signal}`;
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
    });
  }

  /** Stops following the feed once the events received so far are handled. */
  async close(): Promise<void> {
    this.source.close();
    while (this.work.size > 0) await Promise.all([...this.work.values()]);
  }

  private async handle(event: { type: string; subject: string; data: any }): Promise<void> {
    switch (event.type) {
      case 'call.created': {
        this.dialled.push(event.subject);
        const plan = this.options.plan?.(event.data) ?? 'answer';
        if (plan === 'ignore') return;
        if (plan === 'busy') return this.signal('call', event.subject, 'busy', 'USER_BUSY');
        await this.signal('call', event.subject, 'ringing');
        if (plan === 'answer') await this.signal('call', event.subject, 'answered');
        return;
      }
      case 'call.terminating':
      case 'call.canceling':
        return this.signal('call', event.subject, 'hangup', 'NORMAL_CLEARING');
      case 'conferencecall.joining':
        return this.signal('conferencecall', event.subject, 'joined');
      case 'conferencecall.leaving':
        return this.signal('conferencecall', event.subject, 'left');
    }
  }

  private async signal(
    resource: 'call' | 'conferencecall',
    id: string,
    signal: string,
    cause?: string,
  ): Promise<void> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/v1/${resource}s/${id}/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.mediaKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ signal_id: `${id}-${signal}`, signal, ...(cause ? { cause } : {}) }),
    });
    await response.arrayBuffer();
    const latencyMs = performance.now() - started;
    this.signals.push({ resource, id, signal, status: response.status, latencyMs });
    const key = `${id}/${signal}`;
    for (const wake of this.waiters.get(key) ?? []) wake();
    this.waiters.delete(key);
  }
}
