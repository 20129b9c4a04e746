import { EventSource } from 'eventsource';

export interface ReceivedEvent {
  id: string;
  type: string;
  data: any;
}

/** A real `eventsource` client that records what it receives (events and bookmarks apart). */
export class SseTestClient {
  readonly events: ReceivedEvent[] = [];
  readonly bookmarks: string[] = [];
  readonly source: EventSource;
  private waiters: (() => void)[] = [];

  constructor(url: string, key: string, lastEventId?: string) {
    this.source = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...(init?.headers as Record<string, string>),
            authorization: `Bearer ${key}`,
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
        }),
    });
    this.source.onmessage = (message) => {
      const data = JSON.parse(message.data);
      this.events.push({ id: message.lastEventId, type: data.type, data });
      this.notify();
    };
    this.source.addEventListener('bookmark', (message) => {
      this.bookmarks.push(message.lastEventId);
      this.notify();
    });
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.source.onopen = () => resolve();
      this.source.onerror = (error) => reject(new Error(`SSE failed: ${error.message ?? error.code}`));
    });
  }

  /** Resolves when `predicate` holds; fails after `timeoutMs` with what was received. */
  async until(predicate: (client: SseTestClient) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }

  close(): void {
    this.source.close();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
