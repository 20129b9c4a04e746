import { Module } from '@nestjs/common';
import { EventTypesController } from './event-types.controller';
import { PublicEventTranslator } from './public-event-translator';

/** The public event catalogue and the translator every subscriber-facing consumer reads through. */
@Module({
  controllers: [EventTypesController],
  providers: [PublicEventTranslator],
  exports: [PublicEventTranslator],
})
export class EventCatalogModule {}
