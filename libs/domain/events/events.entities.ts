import { AuditEventEntity } from './audit-event.entity';

export const EVENTS_ENTITIES = [AuditEventEntity];
