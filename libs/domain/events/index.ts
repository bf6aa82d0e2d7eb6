export * from './events.module';
export * from './audit-event-record.action';
export * from './audit-events-query.service';
export type { AuditEventEntity } from './audit-event.entity';
export type { AuditEventFilter } from './audit-event.repository';
export { EVENTS_ENTITIES } from './events.entities';
export * from './space-organization.port';
