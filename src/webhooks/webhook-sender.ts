import { Webhook } from 'standardwebhooks';
import { checkTargetUrl } from './outbound-target';
import { webhookDispatcher } from './pinned-lookup';

/** Response bodies are read up to this many bytes: enough for an error message, never a flood. */
const MAX_RESPONSE_BYTES = 4096;

export interface DeliveryRequest {
  url: string;
  /** `webhook-id`: the delivery id, the same on every attempt so receivers can deduplicate. */
  messageId: string;
  body: string;
  secrets: string[];
  at: Date;
}

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** Seconds from `Retry-After`, when the receiver sent one. */
  retryAfterSec: number | null;
  responseSnippet: string | null;
}

export interface SenderOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

/**
 * One Standard Webhooks POST: `webhook-id`, `webhook-timestamp`, `webhook-signature` (`v1,<base64>` per
 * active secret, space-separated, signed by the reference `standardwebhooks` library). Redirects are not
 * followed (a 3xx is a failure: a receiver that moved must be updated, and following would bypass the
 * target checks). Never throws: every failure is a result.
 */
export async function sendWebhook(request: DeliveryRequest, options: SenderOptions): Promise<SendResult> {
  const started = performance.now();
  const failed = (error: string, statusCode: number | null = null): SendResult => ({
    statusCode,
    latencyMs: Math.round(performance.now() - started),
    error,
    retryAfterSec: null,
    responseSnippet: null,
  });
  try {
    const url = checkTargetUrl(request.url, options.allowPrivateTargets);
    const timestamp = Math.floor(request.at.getTime() / 1000);
    const signature = request.secrets
      .map((secret) => new Webhook(secret).sign(request.messageId, new Date(timestamp * 1000), request.body))
      .join(' ');
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      // DNS rebinding: connect only to the addresses the lookup checked (pinned-lookup.ts).
      dispatcher: webhookDispatcher(options.allowPrivateTargets),
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
        'webhook-id': request.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body: request.body,
    });
    const responseSnippet = await readCapped(response);
    return {
      statusCode: response.status,
      latencyMs: Math.round(performance.now() - started),
      error: response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`,
      retryAfterSec: retryAfterOf(response.headers.get('retry-after'), request.at),
      responseSnippet,
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError') return failed(`timeout after ${options.timeoutMs} ms`);
    return failed(((error as Error).cause as Error)?.message ?? (error as Error).message);
  }
}

async function readCapped(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_RESPONSE_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}

/** `Retry-After`: seconds or an HTTP date. */
function retryAfterOf(header: string | null, now: Date): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
