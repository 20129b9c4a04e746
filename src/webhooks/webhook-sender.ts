import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { checkTargetUrl } from './outbound-target';
import { type ConnectLookup, type ResolveAll, safeLookup } from './pinned-lookup';

/** Response bodies are read up to this many bytes: enough for an error message, never a flood. */
const MAX_RESPONSE_BYTES = 4096;

/**
 * Connections are kept alive and reused per origin (host and port): at a thousand deliveries a second a
 * new TCP (and TLS) handshake per delivery costs more than the delivery. The dispatcher bounds the
 * concurrency per endpoint; `maxSockets` only caps one origin shared by many endpoints.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, scheduling: 'lifo' as const };
const httpAgent = new HttpAgent(AGENT_OPTIONS);
const httpsAgent = new HttpsAgent(AGENT_OPTIONS);
const privateRefusingLookup = safeLookup(false);

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
  /** How host names resolve (tests pass a fake); the system resolver when absent. */
  resolveAll?: ResolveAll;
}

interface Exchange {
  statusCode: number;
  retryAfter: string | null;
  snippet: string | null;
}

class SendTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * One Standard Webhooks POST: `webhook-id`, `webhook-timestamp`, `webhook-signature` (`v1,<base64>` per
 * active secret, space-separated, signed by the reference `standardwebhooks` library). Redirects are not
 * followed (a 3xx is a failure: a receiver that moved must be updated, and following would bypass the
 * target checks). Never throws: every failure is a result.
 *
 * Plain `node:http(s)` with a keep-alive agent rather than `fetch`: the same exchange for a fraction of
 * the CPU (no WHATWG streams, no AbortSignal per request), which at this volume is the sender's cost.
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
    const response = await post(
      url,
      lookupFor(options),
      {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'Switchboard-Webhooks/1',
        'webhook-id': request.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      request.body,
      options.timeoutMs,
    );
    return {
      statusCode: response.statusCode,
      latencyMs: Math.round(performance.now() - started),
      error: response.statusCode >= 200 && response.statusCode < 300 ? null : `HTTP ${response.statusCode}`,
      retryAfterSec: retryAfterOf(response.retryAfter, request.at),
      responseSnippet: response.snippet,
    };
  } catch (error) {
    if (error instanceof SendTimeout) return failed(`timeout after ${options.timeoutMs} ms`);
    return failed(((error as Error).cause as Error)?.message ?? (error as Error).message);
  }
}

/**
 * The POST, its status, `Retry-After` and the first bytes of the body; the whole exchange is timed. A kept
 * connection the receiver closed just as we reused it fails with ECONNRESET before any byte was answered:
 * that one is retried once on a fresh connection, as Node's documentation advises (a receiver that did
 * take it sees the same `webhook-id` twice, which at-least-once allows).
 */
/** DNS rebinding: a new connection goes only to the addresses this lookup checked (pinned-lookup.ts). */
function lookupFor(options: SenderOptions): ConnectLookup | undefined {
  if (options.resolveAll) return safeLookup(options.allowPrivateTargets, options.resolveAll);
  return options.allowPrivateTargets ? undefined : privateRefusingLookup;
}

function post(
  url: URL,
  lookup: ConnectLookup | undefined,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  retryStale = true,
): Promise<Exchange> {
  const https = url.protocol === 'https:';
  return new Promise<Exchange>((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers,
      agent: https ? httpsAgent : httpAgent,
      lookup,
    });
    const timer = setTimeout(() => req.destroy(new SendTimeout()), timeoutMs);
    const settle = (result: Exchange | Error) => {
      clearTimeout(timer);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (retryStale && req.reusedSocket && error.code === 'ECONNRESET') {
        clearTimeout(timer);
        post(url, lookup, headers, body, timeoutMs, false).then(resolve, reject);
        return;
      }
      settle(error);
    });
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        settle({
          statusCode: response.statusCode ?? 0,
          retryAfter: headerOf(response.headers['retry-after']),
          snippet: size === 0 ? null : Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
        });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Past the cap: stop reading and drop the connection rather than drain a flood.
        if (size >= MAX_RESPONSE_BYTES) {
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      response.on('error', settle);
    });
    req.end(body);
  });
}

function headerOf(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** `Retry-After`: seconds or an HTTP date. */
function retryAfterOf(header: string | null, now: Date): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
