import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../domain/clock';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { WrongExpectedVersion } from '../event-store/event-store.errors';
import { ProjectionEngine } from '../projections/projection-engine';
import { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import { DeliveryTargets, refusedAttempt } from './delivery-targets';
import { ExecuteWebhookEndpointCommand } from './execute-webhook-endpoint.command';
import { DEFAULT_RETRY_SCHEDULE_SEC, decideAttempt } from './retry-policy';
import { WEBHOOK_DELIVERIES_PROJECTION } from './webhook-deliveries.projection';
import {
  deliveryEventIdOf,
  type WebhookDeliveryAttempted,
  webhookDeliveryStreamId,
} from './webhook-delivery';
import { WEBHOOK_ACTOR } from './webhook-outbox';
import { type DeliveryRecord, WebhookQueries } from './webhook-queries';
import { sendWebhook } from './webhook-sender';

const POLL_MS = 50;
const MAX_IN_FLIGHT = 128;
/** One endpoint (say, a receiver timing out) can hold this many slots at most: the others keep flowing. */
const MAX_IN_FLIGHT_PER_ENDPOINT = 16;

/**
 * Sends due deliveries from the outbox read model and records each attempt in the delivery's stream.
 * A delivery stays "in flight" here until the read model shows its attempt, so it is never picked twice
 * by this instance. It is exclusive work: it runs only on the instance that holds the exclusive-work lease
 * (like reactors and timers), so N instances send each delivery once; after a takeover, an attempt that was
 * in flight on the old holder may be sent again (at-least-once, receivers de-duplicate by `webhook-id`).
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Map<string, string>();
  private readonly schedule: readonly number[];
  private timer: NodeJS.Timeout | null = null;
  /** Until this instance holds the exclusive-work lease. */
  private stopped = true;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly queries: WebhookQueries,
    private readonly engine: ProjectionEngine,
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exclusive: ExclusiveWorkRunner,
    private readonly targets: DeliveryTargets,
  ) {
    this.schedule = config.webhookRetrySchedule ?? DEFAULT_RETRY_SCHEDULE_SEC;
  }

  onModuleInit(): void {
    this.exclusive.register({ name: 'webhooks', start: () => this.start(), stop: () => this.stop() });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      this.dispatchDue();
    } catch (error) {
      this.logger.warn(`webhook dispatch pass failed: ${(error as Error).message}`);
    }
    this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  private dispatchDue(): void {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return;
    const perEndpoint = new Map<string, number>();
    for (const endpointId of this.inFlight.values())
      perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    let started = 0;
    for (const delivery of this.queries.dueDeliveries(this.clock.now().getTime(), MAX_IN_FLIGHT * 2)) {
      if (started >= free) break;
      if (this.inFlight.has(delivery.deliveryId)) continue;
      const count = perEndpoint.get(delivery.endpointId) ?? 0;
      if (count >= MAX_IN_FLIGHT_PER_ENDPOINT) continue;
      perEndpoint.set(delivery.endpointId, count + 1);
      this.inFlight.set(delivery.deliveryId, delivery.endpointId);
      started++;
      const run = this.attempt(delivery)
        .catch((error) => this.logger.warn(`delivery ${delivery.deliveryId}: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(delivery.deliveryId);
          this.running.delete(run);
        });
      this.running.add(run);
    }
  }

  private async attempt(delivery: DeliveryRecord): Promise<void> {
    const now = this.clock.now();
    // An endpoint or a call's status callback (delivery-targets.ts); null = disabled or deleted endpoint.
    const target = this.targets.resolve(delivery, now);
    if (target === null) return;
    const result =
      target.refused !== null
        ? refusedAttempt(target.refused)
        : await sendWebhook(
            {
              url: target.url,
              messageId: delivery.deliveryId,
              body: delivery.body,
              secrets: target.secrets,
              at: now,
            },
            {
              timeoutMs: this.config.webhookTimeoutMs ?? 15_000,
              allowPrivateTargets: this.config.webhookAllowPrivateTargets ?? false,
            },
          );
    const attempt = delivery.attempts.length + 1;
    const at = this.clock.now();
    const decision = decideAttempt(result, {
      attempt,
      schedule: this.schedule,
      now: at,
      failingSince: result.error ? this.queries.failingSince(delivery.endpointId) : null,
      random: Math.random,
    });
    const attempted: WebhookDeliveryAttempted = {
      type: 'WebhookDeliveryAttempted',
      data: {
        deliveryId: delivery.deliveryId,
        attempt,
        outcome: decision.outcome,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
        at: at.toISOString(),
        nextAttemptAt: decision.nextAttemptAt?.toISOString() ?? null,
      },
    };
    const metadata = {
      correlation_id: delivery.eventId,
      causation_id: delivery.deliveryId,
      customer_id: delivery.customerId,
      actor: WEBHOOK_ACTOR,
    };
    let position: bigint;
    try {
      ({ position } = await this.store.appendToStream(
        webhookDeliveryStreamId(delivery.deliveryId),
        [
          {
            id: deliveryEventIdOf(delivery.deliveryId, `attempt-${attempt}-${delivery.revision}`),
            type: attempted.type,
            data: attempted.data,
            metadata,
          },
        ],
        { expectedRevision: BigInt(delivery.revision) },
      ));
    } catch (error) {
      if (error instanceof WrongExpectedVersion) return; // recorded by someone else meanwhile
      throw error;
    }
    if (decision.disable && target.disableable) {
      await this.commands.execute(
        new ExecuteWebhookEndpointCommand(
          delivery.endpointId,
          { type: 'DisableWebhookEndpoint', data: { reason: decision.disable, at: at.toISOString() } },
          {
            correlationId: delivery.eventId,
            causationId: delivery.deliveryId,
            customerId: delivery.customerId,
            actor: WEBHOOK_ACTOR,
          },
        ),
      );
    }
    // Keep it in flight until the queue shows this attempt, or it would be picked again.
    await this.engine.waitForPosition(position, {
      projections: [WEBHOOK_DELIVERIES_PROJECTION],
      timeoutMs: 5000,
    });
  }
}
