import { Inject, Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandObserver, CommandResult } from '../command-handling/command-observer';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import type { CommitObserver } from '../event-store/sqlite/group-commit';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReactorEngine } from '../reactors/reactor-engine';
import { TimerBacklog } from './timer-backlog';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

/**
 * Every Prometheus metric of the server, in a registry of its own (not prom-client's global one): two
 * applications in one process (tests) must not collide. Lags, backlogs and timers are read at scrape time.
 */
@Injectable()
export class MetricsService implements CommandObserver {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly commands: Counter<'result'>;
  private readonly commandRetries: Counter<'result'>;
  private readonly commandDuration: Histogram<'result'>;
  private readonly batchAppends: Histogram;
  private readonly batchEvents: Histogram;
  private readonly commitSeconds: Histogram;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly timers: TimerBacklog,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commands = new Counter({
      name: 'switchboard_commands_total',
      help: 'Commands executed, by result (appended, unchanged, rejected, conflict, stale, failed)',
      labelNames: ['result'],
      registers,
    });
    this.commandRetries = new Counter({
      name: 'switchboard_command_retries_total',
      help: 'Re-decisions after a concurrent writer won (expected-revision conflicts), by final result',
      labelNames: ['result'],
      registers,
    });
    this.commandDuration = new Histogram({
      name: 'switchboard_command_duration_seconds',
      help: 'Command execution time (read, decide, append, retries), by result',
      labelNames: ['result'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.batchAppends = new Histogram({
      name: 'switchboard_append_batch_appends',
      help: 'Appends joined in one group-commit transaction (embedded store)',
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.batchEvents = new Histogram({
      name: 'switchboard_append_batch_events',
      help: 'Events written by one group-commit transaction (embedded store)',
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'switchboard_append_commit_seconds',
      help: 'Time of one group-commit transaction including its fsync (embedded store)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.registerScrapeTimeGauges(registers);
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  executed(result: CommandResult, attempts: number, seconds: number): void {
    this.commands.inc({ result });
    if (attempts > 1) this.commandRetries.inc({ result }, attempts - 1);
    this.commandDuration.observe({ result }, seconds);
  }

  readonly observeCommit: CommitObserver = ({ appends, events, seconds }) => {
    this.batchAppends.observe(appends);
    this.batchEvents.observe(events);
    this.commitSeconds.observe(seconds);
  };

  private registerScrapeTimeGauges(registers: Registry[]): void {
    const { projections, reactors, store, timers } = this;
    // A scrape during a store outage still answers: lags that need the store are left out, not a 500.
    const statusesOrNone = () => projections.status().catch(() => []);
    new Gauge({
      name: 'switchboard_read_model_lag_events',
      help: 'Positions between the store head and each read model checkpoint',
      labelNames: ['read_model'],
      registers,
      async collect() {
        this.reset();
        for (const status of await statusesOrNone())
          this.set({ read_model: status.name }, Number(status.lag.positions));
      },
    });
    new Gauge({
      name: 'switchboard_read_model_lag_seconds',
      help: 'Age of the oldest event a read model has not applied yet (0 when caught up)',
      labelNames: ['read_model'],
      registers,
      async collect() {
        this.reset();
        for (const status of await statusesOrNone())
          this.set({ read_model: status.name }, status.lag.ms / 1000);
      },
    });
    new Gauge({
      name: 'switchboard_reactor_lag_events',
      help: 'Positions between the store head and each reactor checkpoint',
      labelNames: ['reactor'],
      registers,
      async collect() {
        this.reset();
        const head = await store.headPosition().catch(() => null);
        if (head === null) return;
        for (const status of reactors.status())
          this.set({ reactor: status.name }, Number(head - (status.checkpoint ?? 0n)));
      },
    });
    new Gauge({
      name: 'switchboard_timers_due',
      help: 'Timers whose due time has passed and that have not fired yet',
      registers,
      collect() {
        this.set(timers.due().due);
      },
    });
    new Gauge({
      name: 'switchboard_timers_overdue',
      help: 'Timers due more than 5 s ago that have not fired yet (the timer worker is behind or stopped)',
      registers,
      collect() {
        this.set(timers.due().overdue);
      },
    });
  }
}
