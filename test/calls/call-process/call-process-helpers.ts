import type { TestApp } from '../../support/test-app';

export type CallBody = { id: string; status: string; hangup_reason: string | null; hangup_by: string | null };
/** One event of an audit trail (`src/audit/event-view.ts`). */
export type EventBody = {
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  actor: string;
  correlation_id: string;
  causation_id: string;
};

/** A tel destination of the simulated gateway (magic numbers in simulated-script.ts). */
export const tel = (target: string) => ({ type: 'tel', target });

/** The calls API as one customer sees it, with polling for what the gateway does asynchronously. */
export class CallsClient {
  constructor(
    private readonly api: TestApp,
    private readonly key: string,
  ) {}

  async make(body: object): Promise<CallBody> {
    const response = await this.api.request('POST', '/v1/calls', { key: this.key, body });
    if (response.status !== 201)
      throw new Error(`make call: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async get(id: string): Promise<CallBody> {
    return (await this.api.request('GET', `/v1/calls/${id}`, { key: this.key })).body;
  }

  async hangup(id: string): Promise<number> {
    return (await this.api.request('POST', `/v1/calls/${id}/hangup`, { key: this.key })).status;
  }

  async events(id: string): Promise<EventBody[]> {
    return (await this.api.request('GET', `/v1/calls/${id}/events`, { key: this.key })).body.result;
  }

  async types(id: string): Promise<string[]> {
    return (await this.events(id)).map((event) => event.type);
  }

  /** Polls the call until `status` (the gateway and reactors run on real timers), or fails after 3 s. */
  async waitForStatus(id: string, status: string, timeoutMs = 3_000): Promise<CallBody> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = await this.get(id);
      if (call.status === status) return call;
      if (Date.now() > deadline) throw new Error(`call ${id} is ${call.status}, not ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
