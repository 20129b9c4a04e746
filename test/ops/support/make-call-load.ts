import { randomUUID } from 'node:crypto';

/** One make-call a client sent: its Idempotency-Key, its body and what came back (0 = no answer). */
export interface SentCall {
  idempotencyKey: string;
  contactId: string;
  status: number;
  callId?: string;
  /** Problem `code` of an error answer. */
  code?: string;
  /** Sent after the fault (SIGTERM) was injected. */
  afterFault: boolean;
  sentAt: number;
  latencyMs: number;
}

export interface LoadOptions {
  baseUrl: () => string;
  key: string;
  clients: number;
  /** Whether the fault has been injected (requests sent after it are marked). */
  faulted?: () => boolean;
}

/**
 * Closed-loop make-call load: each client sends POST /v1/calls (unique contact id and Idempotency-Key)
 * one after another until `stop()`. A request that got no answer (the server died) has status 0: its
 * retry with the same key must not create a second call.
 */
export class MakeCallLoad {
  readonly sent: SentCall[] = [];
  private running = true;
  private readonly done: Promise<unknown>;

  constructor(private readonly options: LoadOptions) {
    this.done = Promise.all(Array.from({ length: options.clients }, (_, i) => this.client(i)));
  }

  async stop(): Promise<SentCall[]> {
    this.running = false;
    await this.done;
    return this.sent;
  }

  acknowledged(): SentCall[] {
    return this.sent.filter((call) => call.status === 201);
  }

  private async client(index: number): Promise<void> {
    let n = 0;
    while (this.running) {
      const call: SentCall = {
        idempotencyKey: randomUUID(),
        contactId: `load-${index}-${n++}-${randomUUID().slice(0, 8)}`,
        status: 0,
        afterFault: this.options.faulted?.() ?? false,
        sentAt: Date.now(),
        latencyMs: 0,
      };
      this.sent.push(call);
      const answer = await makeCall(this.options.baseUrl(), this.options.key, call);
      call.status = answer.status;
      call.callId = answer.callId;
      call.code = answer.code;
      call.latencyMs = Date.now() - call.sentAt;
      if (answer.status === 0 || answer.status === 503)
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function makeCall(
  baseUrl: string,
  key: string,
  call: Pick<SentCall, 'idempotencyKey' | 'contactId'>,
): Promise<{ status: number; callId?: string; code?: string }> {
  try {
    const response = await fetch(`${baseUrl}/v1/calls`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': call.idempotencyKey,
      },
      body: JSON.stringify({ contact_id: call.contactId, type: 'voice' }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: string; code?: string };
    return { status: response.status, callId: body.id, code: body.code };
  } catch {
    return { status: 0 };
  }
}

export async function createTenantKey(baseUrl: string, adminKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Load' }),
  });
  if (response.status !== 201) throw new Error(`create customer: ${response.status}`);
  const body = (await response.json()) as { api_key: { key: string } };
  return body.api_key.key;
}

/** Calls listed for a contact id (read model), to find losses and duplicates. */
export async function callsOfContact(baseUrl: string, key: string, contactId: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/v1/calls?contact_id=${encodeURIComponent(contactId)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (response.status !== 200) throw new Error(`list calls: ${response.status}`);
  const body = (await response.json()) as { result: { id: string }[] };
  return body.result.map((call) => call.id);
}
