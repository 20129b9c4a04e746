import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail';

/** Audit trails and time travel, read from the event store: needs only `EVENT_STORE`. */
@Module({ providers: [AuditTrail], exports: [AuditTrail] })
export class AuditModule {}
