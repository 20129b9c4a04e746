import { Injectable } from '@nestjs/common';
import { isCallCallbackTarget } from './call-callbacks/call-callback-outbox';
import { CallCallbackTargets, type DeliveryTarget } from './call-callbacks/call-callback-targets';
import { SecretSealer, SecretUnreadable } from './secret-sealing';
import { signingSecretsAt } from './webhook-endpoint';
import { type DeliveryRecord, WebhookQueries } from './webhook-queries';
import type { SendResult } from './webhook-sender';

export type { DeliveryTarget } from './call-callbacks/call-callback-targets';

/**
 * The dispatcher's one question per attempt: where does this delivery go and with which secrets. A
 * webhook endpoint (disabled or deleted: not at all), or a call's status callback (src/webhooks/call-callbacks).
 */
@Injectable()
export class DeliveryTargets {
  constructor(
    private readonly queries: WebhookQueries,
    private readonly callbacks: CallCallbackTargets,
    private readonly sealer: SecretSealer,
  ) {}

  /** Secrets come back opened (they may be sealed at rest, secret-sealing.ts). */
  resolve(delivery: DeliveryRecord, now: Date): DeliveryTarget | null {
    const target = this.stored(delivery, now);
    if (target === null || target.refused !== null) return target;
    try {
      return { ...target, secrets: target.secrets.map((secret) => this.sealer.open(secret)) };
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      return { ...target, secrets: [], refused: error.message };
    }
  }

  private stored(delivery: DeliveryRecord, now: Date): DeliveryTarget | null {
    if (isCallCallbackTarget(delivery.endpointId)) return this.callbacks.targetOf(delivery, now);
    const record = this.queries.endpointById(delivery.endpointId);
    if (!record || !record.endpoint.enabled) return null;
    return {
      url: record.endpoint.url,
      secrets: signingSecretsAt(record.endpoint.secrets, now),
      refused: null,
      disableable: true,
    };
  }
}

/** An attempt that was not sent (e.g. nothing to sign with): a failure like any other, retried. */
export function refusedAttempt(reason: string): SendResult {
  return { statusCode: null, latencyMs: 0, error: reason, retryAfterSec: null, responseSnippet: null };
}
