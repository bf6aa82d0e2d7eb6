/**
 * Every background job Wharf knows: its payload type and the queue it runs on. Adding a job name to
 * JobPayloads without a queue in JOB_QUEUES is a compile error, and the worker refuses to boot
 * unless every name has exactly one handler.
 */
export const QUEUES = ['identity', 'apps', 'staging', 'scheduling', 'routing', 'services'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobPayloads {
  /** Deletes an organization that had no spaces when the delete was accepted. */
  'organization.delete': { jobGuid: string; organizationGuid: string };
  /** Deletes a space that had nothing in it when the delete was accepted. */
  'space.delete': { jobGuid: string; organizationGuid: string; spaceGuid: string };
  /** Removes a role (DELETE /v3/roles/:guid). */
  'role.delete': { jobGuid: string; roleGuid: string };
  /** Deletes a user with their roles and sessions. */
  'user.delete': { jobGuid: string; userGuid: string };
  /** Deletes an app (and, as later issues add them, its processes, droplets and routes). */
  'app.delete': { jobGuid: string; appGuid: string };
  /** Stages a build: runs the buildpacks on a cell and stores the droplet and its image. */
  'build.stage': { buildGuid: string };
  /**
   * Makes an app's instances match its desired state (started or stopped, instances per process,
   * version, crash restarts). Level-based: running it again, or for a deleted app, is harmless.
   */
  'app.converge': { appGuid: string };
  /**
   * Makes a task's container match its state: a PENDING task's is created and started, a
   * CANCELING one's stopped, an ended one's removed once its output is forwarded. Level-based.
   */
  'task.converge': { taskGuid: string };
  /** Removes a deleted app's builds, droplets (blobs and images) and build cache. */
  'app.staging_purge': { appGuid: string };
  /** Unmaps a deleted app from its routes. */
  'app.routing_purge': { appGuid: string };
  /** Deletes a deleted app's service bindings. */
  'app.services_purge': { appGuid: string };
  /** Fetches a broker's catalog and applies it (registration and update). */
  'service_broker.sync': { jobGuid: string; brokerGuid: string };
  /** Removes a broker that has no service instances, with its offerings and plans. */
  'service_broker.delete': { jobGuid: string; brokerGuid: string };
  /**
   * Carries a managed instance's last operation (create, update or delete) to the broker, then
   * polls it while the broker answers "in progress" (re-enqueued as poll n+1 with a delay).
   */
  'service_instance.operate': { jobGuid: string; instanceGuid: string; poll: number };
  /** The same for a managed binding or service key. */
  'service_binding.operate': { jobGuid: string; bindingGuid: string; poll: number };
  /**
   * Orphan mitigation (OSB v2.17): deletes at the broker what a failed provision or bind may have
   * created there, retried until the broker confirms (200 or 410).
   */
  'service_instance.orphan_mitigate': {
    brokerGuid: string;
    instanceGuid: string;
    serviceId: string;
    planId: string;
  };
  'service_binding.orphan_mitigate': {
    brokerGuid: string;
    instanceGuid: string;
    bindingGuid: string;
    serviceId: string;
    planId: string;
  };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES: { readonly [N in JobName]: QueueName } = {
  'organization.delete': 'identity',
  'space.delete': 'identity',
  'role.delete': 'identity',
  'user.delete': 'identity',
  'app.delete': 'apps',
  'build.stage': 'staging',
  'app.converge': 'scheduling',
  'task.converge': 'scheduling',
  'app.staging_purge': 'staging',
  'app.routing_purge': 'routing',
  'app.services_purge': 'services',
  'service_broker.sync': 'services',
  'service_broker.delete': 'services',
  'service_instance.operate': 'services',
  'service_binding.operate': 'services',
  'service_instance.orphan_mitigate': 'services',
  'service_binding.orphan_mitigate': 'services',
};

export const JOB_NAMES = Object.keys(JOB_QUEUES) as JobName[];
