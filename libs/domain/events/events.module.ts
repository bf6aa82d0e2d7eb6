import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventRecordAction } from './audit-event-record.action';
import { AuditEventRepository } from './audit-event.repository';
import { AuditEventsQueryService } from './audit-events-query.service';
import { EVENTS_ENTITIES } from './events.entities';

/** Audit events; every context records its changes here, so it is global. */
@Global()
@Module({})
export class EventsModule {
  /** `spaces`: the module that provides SpaceOrganizationLookup (identity's). */
  static forRoot(spaces: Type<unknown>): DynamicModule {
    return {
      module: EventsModule,
      global: true,
      imports: [TypeOrmModule.forFeature(EVENTS_ENTITIES), spaces],
      providers: [AuditEventRepository, AuditEventRecordAction, AuditEventsQueryService],
      exports: [AuditEventRecordAction, AuditEventsQueryService],
    };
  }
}
