import { Injectable } from '@nestjs/common';
import { signingSecretsAt } from '../webhook-endpoint';
import type { DeliveryRecord } from '../webhook-queries';
import { CallbackSecretQueries } from './callback-secret-queries';

/** Where and how one attempt of a delivery goes; `refused` = record a failed attempt without sending. */
export interface DeliveryTarget {
  url: string;
  secrets: string[];
  refused: string | null;
  /** Endpoints are disabled after a 410 or 5 days of failures; a call's callback is not (it has no switch). */
  disableable: boolean;
}

export const NO_CALLBACK_SECRET =
  'the tenant has no callback secret yet: create one with POST /v1/callback-secret/rotate';

/**
 * A call callback's target: the URL is the call's `status_callback` as the delivered event shows it (the
 * body every attempt sends, so it cannot disagree with the signed content), the secrets are the tenant's
 * callback secrets now. Without a secret the attempt fails and is retried on the schedule, so creating
 * the secret later lets the pending callbacks through.
 */
@Injectable()
export class CallCallbackTargets {
  constructor(private readonly secrets: CallbackSecretQueries) {}

  targetOf(delivery: DeliveryRecord, now: Date): DeliveryTarget {
    const url = String(
      (JSON.parse(delivery.body) as { data: { status_callback: string } }).data.status_callback,
    );
    const secret = this.secrets.secretOf(delivery.customerId);
    const secrets = secret ? signingSecretsAt(secret.secrets, now) : [];
    return { url, secrets, refused: secrets.length === 0 ? NO_CALLBACK_SECRET : null, disableable: false };
  }
}
