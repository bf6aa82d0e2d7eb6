import { APPS_ENTITIES } from '@wharf/apps';
import { CELLS_ENTITIES } from '@wharf/cells';
import { PACKAGES_ENTITIES } from '@wharf/packages';
import { EVENTS_ENTITIES } from '@wharf/events';
import { ROUTING_ENTITIES } from '@wharf/routing';
import { SERVICES_ENTITIES } from '@wharf/services';
import { IDENTITY_ENTITIES } from '@wharf/identity';
import { JobOutboxEntity, JobRecordEntity } from '@wharf/platform/queue';
import { SCHEDULING_ENTITIES } from '@wharf/scheduling';
import { STAGING_ENTITIES } from '@wharf/staging';

/** Every entity of every context: what the migrations must produce. */
export const ALL_ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...CELLS_ENTITIES,
  ...SCHEDULING_ENTITIES,
  ...APPS_ENTITIES,
  ...PACKAGES_ENTITIES,
  ...STAGING_ENTITIES,
  ...EVENTS_ENTITIES,
  ...ROUTING_ENTITIES,
  ...SERVICES_ENTITIES,
  JobRecordEntity,
  JobOutboxEntity,
];
