import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ID_GENERATOR, type IdGenerator } from '../domain/id-generator';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { isRuntimeStream } from '../subscriptions/runtime-streams';
import { CreateCustomerCommand, type CustomerCreatedResult } from './create-customer/create-customer.command';

/**
 * On the very first start (empty store) the operator needs one admin key to create customers. It is
 * ADMIN_API_KEY when set (automation), else a random key printed once: it is stored only as a hash.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await holdsNoDomainEvent(this.store))) return;
    const correlation = this.ids.newId();
    const result = await this.commands.execute<CreateCustomerCommand, CustomerCreatedResult>(
      new CreateCustomerCommand(
        { name: 'operator', firstKeyRole: 'admin' },
        {
          correlationId: correlation,
          causationId: correlation,
          customerId: 'operator',
          actor: 'system:bootstrap',
        },
        this.config.adminApiKey,
      ),
    );
    if (this.config.adminApiKey) {
      this.logger.log(`empty store: created the operator customer with ADMIN_API_KEY as its admin key`);
    } else {
      this.logger.warn(
        `empty store: created the operator customer; its admin key (shown once): ${result.api_key.key}`,
      );
    }
  }
}

/**
 * "Empty" ignores the subscription runtime's own lease and checkpoint events: an instance (or another one
 * behind the same EventStoreDB) may have taken the exclusive-work lease before this check runs. Reads from the
 * start until the first domain event; a store whose first thousand events are all the runtime's counts as
 * used (it has been running, so its operator exists or was deliberately never made).
 */
async function holdsNoDomainEvent(store: EventStore): Promise<boolean> {
  let runtimeEvents = 0;
  for await (const event of store.readAll({ fromPosition: 'start', maxCount: 1_001 })) {
    if (!isRuntimeStream(event.streamId)) return false;
    runtimeEvents++;
  }
  return runtimeEvents <= 1_000;
}
