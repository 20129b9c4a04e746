import { Module } from '@nestjs/common';
import { EventCatalogModule } from '../event-catalog/event-catalog.module';
import { EventHub } from './event-hub';
import { EventReader } from './event-reader';
import { EventsController } from './events.controller';

/** The live event feed: one hub per process, history reads for catch-up and polling. */
@Module({
  imports: [EventCatalogModule],
  controllers: [EventsController],
  providers: [EventHub, EventReader],
  exports: [EventHub, EventReader],
})
export class EventFeedModule {}
