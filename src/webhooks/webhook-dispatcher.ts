import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../domain/clock';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { WrongExpectedVersion } from '../event-store/event-store.errors';
import { ProjectionEngine } from '../projections/projection-engine';
import { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import { type DeliveryTarget, DeliveryTargets, refusedAttempt } from './delivery-targets';
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

/** Fallback poll: retries that fall due, and deliveries scheduled while nothing completed. */
const POLL_MS = 50;
const MAX_IN_FLIGHT = 128;
/** One endpoint (say, a receiver timing out) can hold this many slots at most: the others keep flowing. */
const MAX_IN_FLIGHT_PER_ENDPOINT = 16;

/**
 * Sends due deliveries from the outbox read model and records each attempt in the delivery's stream.
 * A delivery is never picked twice by this instance: it is "in flight" while being sent and recorded, then
 * "recorded" until the read model shows that attempt (its slot is already free for the next delivery then,
 * and the queue query leaves both kinds out). A slot that frees starts the next pass at once instead of
 * waiting for the poll. It is exclusive work: it runs only on the instance that holds the exclusive-work
 * lease (like reactors and timers), so N instances send each delivery once; after a takeover, an attempt
 * that was in flight on the old holder may be sent again (at-least-once, receivers de-duplicate by
 * `webhook-id`).
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  /** Delivery id -> endpoint id, while sending and recording. */
  private readonly inFlight = new Map<string, string>();
  /** Deliveries whose attempt is stored but not yet in the read model (which would still show it due). */
  private readonly recorded = new Set<string>();
  private readonly schedule: readonly number[];
  private timer: NodeJS.Timeout | null = null;
  private wakeArmed = false;
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
    this.pass();
    this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  /** A pass on the next turn (one per turn however many slots freed in this one). */
  private wake(): void {
    if (this.wakeArmed || this.stopped) return;
    this.wakeArmed = true;
    setImmediate(() => {
      this.wakeArmed = false;
      this.pass();
    });
  }

  private pass(): void {
    if (this.stopped) return;
    try {
      this.dispatchDue();
    } catch (error) {
      this.logger.warn(`webhook dispatch pass failed: ${(error as Error).message}`);
    }
  }

  private dispatchDue(): void {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return;
    const perEndpoint = new Map<string, number>();
    for (const endpointId of this.inFlight.values())
      perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    const saturated = [...perEndpoint].filter(([, n]) => n >= MAX_IN_FLIGHT_PER_ENDPOINT).map(([id]) => id);
    const busy = [...this.inFlight.keys(), ...this.recorded];
    const now = this.clock.now();
    // Where each endpoint's deliveries go, looked up once per pass (an endpoint, or a call's callback).
    const targets = new Map<string, DeliveryTarget | null>();
    for (const delivery of this.queries.dueDeliveries(now.getTime(), free, busy, saturated)) {
      const count = perEndpoint.get(delivery.endpointId) ?? 0;
      if (count >= MAX_IN_FLIGHT_PER_ENDPOINT) continue;
      let target = targets.get(delivery.endpointId);
      if (target === undefined) {
        target = this.targets.resolve(delivery, now);
        targets.set(delivery.endpointId, target);
      }
      // null: a disabled or deleted endpoint.
      if (target === null) continue;
      perEndpoint.set(delivery.endpointId, count + 1);
      this.inFlight.set(delivery.deliveryId, delivery.endpointId);
      const run = this.attempt(delivery, target)
        .catch((error) => this.logger.warn(`delivery ${delivery.deliveryId}: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(delivery.deliveryId);
          this.running.delete(run);
        });
      this.running.add(run);
    }
  }

  /**
   * Left out of the queue until the read model shows this attempt; then it may be queued again (a retry).
   * A read model stuck for 15 s releases it anyway: the worst case is a repeat send (at-least-once), whose
   * record the store then refuses (the stream has moved on).
   */
  private awaitRecorded(deliveryId: string, position: bigint, waits = 3): void {
    this.recorded.add(deliveryId);
    void this.engine
      .waitForPosition(position, { projections: [WEBHOOK_DELIVERIES_PROJECTION], timeoutMs: 5000 })
      .then((reached) => {
        if (!reached && !this.stopped && waits > 1)
          return this.awaitRecorded(deliveryId, position, waits - 1);
        this.recorded.delete(deliveryId);
        this.wake();
      });
  }

  private async attempt(delivery: DeliveryRecord, target: DeliveryTarget): Promise<void> {
    const now = this.clock.now();
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
    // Out of flight once this returns (its slot frees for the next one), but not queued again until the
    // read model shows this attempt.
    this.awaitRecorded(delivery.deliveryId, position);
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
    // Only after a recorded attempt: a failure to record retries on the poll, never in a tight loop.
    this.wake();
  }
}
