import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CLOCK, type Clock } from '../../domain/clock';
import { ReactorEngine } from '../../reactors/reactor-engine';
import { RECORDING_FILES, type RecordingFiles } from '../../recordings/files/recording-files';
import { SCHEDULER, type Scheduler } from '../../timers/scheduler';
import { TimerRegistry } from '../../timers/timer-source';
import { MEDIA_GATEWAY, MEDIA_SIGNAL_SINK, type MediaSignalSink } from '../media-gateway/media-gateway.port';
import {
  DEFAULT_SIMULATED_GATEWAY_CONFIG,
  type SimulatedGatewayConfig,
} from '../media-gateway/simulated-script';
import { CallActionsReactor } from './call-actions.reactor';
import { CallMediaReactor } from './call-media.reactor';
import { callTimerSource } from './call-timer-source';
import { ChainedCallsReactor } from './chained-calls.reactor';
import { CommandBusSignalSink } from './command-bus-signal-sink';
import { ExternalMediaGateway } from './external-media-gateway';
import { SimulatedMediaGateway } from './simulated-media-gateway';
import { TransferLegsReactor } from './transfer-legs.reactor';

export function simulatedGatewayConfig(config: AppConfig): SimulatedGatewayConfig {
  return {
    ...DEFAULT_SIMULATED_GATEWAY_CONFIG,
    ringDelayMs: config.simRingDelayMs ?? DEFAULT_SIMULATED_GATEWAY_CONFIG.ringDelayMs,
    answerDelayMs: config.simAnswerDelayMs ?? DEFAULT_SIMULATED_GATEWAY_CONFIG.answerDelayMs,
  };
}

/**
 * The call process: the media gateway (`MEDIA_GATEWAY`, global so conferences can hand it joins and
 * leaves), the signal sink that turns its reports into commands, the call reactors (`call-media`: dial and
 * hang up; `chained-calls`) and the call timers (dial timeout, max duration, hangup confirmation).
 *
 * `MEDIA_GATEWAY_MODE=external` binds a gateway that does nothing and skips the `call-media` reactor: an
 * external media layer follows the event feed and reports over HTTP. Timers and chained hangups still run.
 */
@Global()
@Module({
  providers: [
    { provide: MEDIA_SIGNAL_SINK, useClass: CommandBusSignalSink },
    {
      provide: MEDIA_GATEWAY,
      inject: [APP_CONFIG, MEDIA_SIGNAL_SINK, CLOCK, SCHEDULER, RECORDING_FILES],
      useFactory: (
        config: AppConfig,
        sink: MediaSignalSink,
        clock: Clock,
        scheduler: Scheduler,
        files: RecordingFiles,
      ) =>
        config.mediaGatewayMode === 'external'
          ? new ExternalMediaGateway()
          : new SimulatedMediaGateway(
              sink,
              simulatedGatewayConfig(config),
              clock,
              scheduler,
              undefined,
              files,
            ),
    },
    CallMediaReactor,
    ChainedCallsReactor,
    // Call control: the action runner and transfer legs (both modes: a transfer is a new leg either way).
    CallActionsReactor,
    TransferLegsReactor,
  ],
  exports: [MEDIA_GATEWAY, MEDIA_SIGNAL_SINK],
})
export class CallProcessModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reactors: ReactorEngine,
    private readonly timers: TimerRegistry,
    private readonly callMedia: CallMediaReactor,
    private readonly chainedCalls: ChainedCallsReactor,
    private readonly callActions: CallActionsReactor,
    private readonly transferLegs: TransferLegsReactor,
  ) {}

  onModuleInit(): void {
    this.timers.register(callTimerSource);
    if (this.config.mediaGatewayMode !== 'external') this.reactors.register(this.callMedia);
    this.reactors.register(this.chainedCalls);
    this.reactors.register(this.callActions);
    this.reactors.register(this.transferLegs);
  }
}
