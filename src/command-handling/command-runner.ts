import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../domain/decider';
import { CommandExecutor, type RunOptions } from './command-executor';
import type { CommandMetadata } from './command-metadata';
import { ReadYourWrites } from './read-your-writes';
import type { StreamType } from './stream-type';

/**
 * What every command handler answers, calls and conferences alike: the aggregate as the command left it
 * (or found it, for a no-op), the stream revision the ETag names, and the events appended (none for a
 * no-op). The write is already visible in the stream type's read models when a handler returns it.
 */
export interface Written<Event extends DomainEvent, State> {
  state: State;
  revision: bigint;
  position: bigint | null;
  events: readonly Event[];
}

/**
 * The one path of a use case's command: the executor under the stream type's tenant rule, then
 * read-your-writes on the stream type's read models. Handlers only build their command.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async run<Command, Event extends DomainEvent, State>(
    type: StreamType<Command, Event, State>,
    id: string,
    command: Command,
    metadata: CommandMetadata,
    options?: RunOptions,
  ): Promise<Written<Event, State>> {
    const outcome = await this.executor.run(type, id, command, metadata, options);
    // The tenant rule lets nothing through on a stream that still does not exist: a create appended.
    if (outcome.revision === null) throw type.notFound(id);
    await this.visible(type, outcome.position);
    return { ...outcome, revision: outcome.revision };
  }

  /** Wait until this instance's read models of `type` have applied `position` (see ReadYourWrites). */
  visible<C, E extends DomainEvent, S>(type: StreamType<C, E, S>, position: bigint | null): Promise<void> {
    return this.readYourWrites.waitFor(position, type.readModels ? [...type.readModels] : undefined);
  }
}
