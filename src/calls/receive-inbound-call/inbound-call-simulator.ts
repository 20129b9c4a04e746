import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '../../domain/clock';
import { isFinal } from '../../reactors/reactor-runner';
import { SCHEDULER, type ScheduledTask, type Scheduler } from '../../timers/scheduler';
import { MEDIA_SIGNAL_SINK, type MediaSignalSink } from '../media-gateway/media-gateway.port';
import { callerHangupAfterMs } from './simulated-caller';

/**
 * The caller's side of a simulated incoming call: a magic caller (see `simulated-caller.ts`) hangs up
 * after its delay, reported through the media signal sink like any media signal. In memory only: after a
 * restart a simulated caller who was going to hang up simply stays (the ring timeout still ends it).
 */
@Injectable()
export class InboundCallSimulator implements OnModuleDestroy {
  private readonly logger = new Logger(InboundCallSimulator.name);
  private readonly pending = new Set<ScheduledTask>();

  constructor(
    @Inject(MEDIA_SIGNAL_SINK) private readonly sink: MediaSignalSink,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Plays the caller's script for a call just received from `from`. */
  callerOf(call: { callId: string; customerId: string }, from: string): void {
    const afterMs = callerHangupAfterMs(from);
    if (afterMs === null) return;
    const task = this.scheduler.schedule(() => {
      this.pending.delete(task);
      void this.sink
        .callSignal({
          ...call,
          signalId: `sim-${call.callId}-caller-hangup`,
          signal: 'hangup',
          cause: 'NORMAL_CLEARING',
          at: this.clock.now().toISOString(),
        })
        .catch((error: Error) => {
          // A call already ended by then refuses nothing (hangup after hangup is a no-op); log the rest.
          if (!isFinal(error))
            this.logger.error(`caller hangup of ${call.callId} not delivered: ${error.message}`);
        });
    }, afterMs);
    this.pending.add(task);
  }

  onModuleDestroy(): void {
    for (const task of this.pending) task.cancel();
    this.pending.clear();
  }
}
