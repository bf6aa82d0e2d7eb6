import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@wharf/identity';
import { AuditEventRecordAction } from './audit-event-record.action';
import { AuditEventRepository } from './audit-event.repository';
import { AuditEventsQueryService } from './audit-events-query.service';
import { EVENTS_ENTITIES } from './events.entities';

/** Audit events; every context records its changes here, so it is global. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(EVENTS_ENTITIES), IdentityModule],
  providers: [AuditEventRepository, AuditEventRecordAction, AuditEventsQueryService],
  exports: [AuditEventRecordAction, AuditEventsQueryService],
})
export class EventsModule {}
