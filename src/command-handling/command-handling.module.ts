import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../domain/clock';
import { ID_GENERATOR, type IdGenerator, uuidV7Generator } from '../domain/id-generator';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { idempotentCreationIds } from '../http/idempotency/idempotent-ids';
import { CommandExecutor } from './command-executor';
import { COMMAND_OBSERVER, type CommandObserver } from './command-observer';
import { CommandRunner } from './command-runner';
import { ReadYourWrites } from './read-your-writes';

/**
 * The clock and id generator are providers so tests swap them for fixed ones
 * (`Test.createTestingModule(...).overrideProvider(CLOCK)`), never module-level singletons.
 */
@Global()
@Module({
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: ID_GENERATOR, useValue: idempotentCreationIds(uuidV7Generator) },
    {
      provide: CommandExecutor,
      inject: [EVENT_STORE, ID_GENERATOR, { token: COMMAND_OBSERVER, optional: true }],
      useFactory: (store: EventStore, ids: IdGenerator, observer?: CommandObserver) =>
        new CommandExecutor(store, ids, { observer }),
    },
    ReadYourWrites,
    CommandRunner,
  ],
  exports: [CLOCK, ID_GENERATOR, CommandExecutor, ReadYourWrites, CommandRunner],
})
export class CommandHandlingModule {}
