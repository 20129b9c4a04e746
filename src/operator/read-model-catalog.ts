import { callHistoryProjection } from '../calls/call-history/call-history.projection';
import { callTimerSource } from '../calls/call-process/call-timer-source';
import { conferenceTimerSource } from '../conferences/conference-timers/conference-timer-source';
import { conferencecallTimerSource } from '../conferences/conference-timers/conferencecall-timers';
import { conferencecallsProjection } from '../conferences/conferences-read-model/conferencecalls.projection';
import { conferencesProjection } from '../conferences/conferences-read-model/conferences.projection';
import { numbersProjection } from '../numbers/numbers-read-model/numbers.projection';
import type { Projection } from '../projections/projection';
import { recordingsProjection } from '../recordings/read-model/recordings.projection';
import { ResolvedKeyCache } from '../tenants/tenant-directory/resolved-key-cache';
import { tenantDirectoryProjection } from '../tenants/tenant-directory/tenant-directory.projection';
import { TimerRegistry } from '../timers/timer-source';
import { timersProjection } from '../timers/timers.projection';
import { usageProjection } from '../usage/usage.projection';
import { callbackSecretsProjection } from '../webhooks/call-callbacks/callback-secrets.projection';
import { webhookDeliveriesProjection } from '../webhooks/webhook-deliveries.projection';
import { webhookEndpointsProjection } from '../webhooks/webhook-endpoints.projection';

/**
 * Every read model the server builds, for operator tools that build them outside the server (a local
 * rebuild, `verify`'s scratch replay). The server's modules register the same projections in their
 * `onModuleInit`; this list must name them all, which `read-model-catalog.int-spec` checks against a
 * running app. The `timers` projection gets the same timer sources and nobody to wake: nothing fires here.
 */
export function readModelProjections(): Projection[] {
  const timers = new TimerRegistry();
  for (const source of [callTimerSource, conferenceTimerSource, conferencecallTimerSource])
    timers.register(source as Parameters<TimerRegistry['register']>[0]);
  return [
    callHistoryProjection,
    conferencesProjection,
    conferencecallsProjection,
    numbersProjection,
    recordingsProjection,
    // No server here to serve keys from: the cache the projection keeps coherent serves nobody.
    tenantDirectoryProjection(new ResolvedKeyCache()),
    timersProjection(timers, () => {}),
    webhookEndpointsProjection,
    webhookDeliveriesProjection,
    callbackSecretsProjection,
    usageProjection,
  ] as Projection[];
}
