import { Module, type OnModuleInit } from '@nestjs/common';
import { ReactorEngine } from '../reactors/reactor-engine';
import { AnswerCallHandler } from './answer-call/answer-call.handler';
import { InboundCallsController } from './inbound-calls.controller';
import { InboundCallSimulator } from './receive-inbound-call/inbound-call-simulator';
import { IncomingCallRoutingReactor } from './receive-inbound-call/incoming-call-routing.reactor';
import { ReceiveInboundCallHandler } from './receive-inbound-call/receive-inbound-call.handler';
import { SimulatedInboundCallsController } from './receive-inbound-call/simulated-inbound-calls.controller';

/**
 * Incoming calls to registered numbers: the media layer's report, the application's answer, the routing
 * of `answer`/`join_conference` numbers (a reactor, in both gateway modes: it only dispatches commands)
 * and the simulator's route. Rejection and ring-out are the call decider's hangup and dial timer.
 */
@Module({
  controllers: [InboundCallsController, SimulatedInboundCallsController],
  providers: [ReceiveInboundCallHandler, AnswerCallHandler, IncomingCallRoutingReactor, InboundCallSimulator],
})
export class InboundCallsModule implements OnModuleInit {
  constructor(
    private readonly reactors: ReactorEngine,
    private readonly routing: IncomingCallRoutingReactor,
  ) {}

  onModuleInit(): void {
    this.reactors.register(this.routing);
  }
}
