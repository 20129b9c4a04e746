import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { RoutingInput } from '../number.decider';

/** POST /v1/numbers: hold `phoneNumber` (E.164) for the caller's tenant, with its routing. */
export class RegisterNumberCommand {
  constructor(
    readonly phoneNumber: string,
    readonly routing: RoutingInput,
    readonly metadata: CommandMetadata,
  ) {}
}
