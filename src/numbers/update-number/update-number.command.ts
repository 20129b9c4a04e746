import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { RoutingInput } from '../number.decider';

/** PATCH /v1/numbers/:id: change the routing; fields not named keep their value. */
export class UpdateNumberCommand {
  constructor(
    readonly numberId: string,
    readonly routing: RoutingInput,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
