/**
 * Every background job Wharf knows: its payload type and the queue it runs on. Adding a job name to
 * JobPayloads without a queue in JOB_QUEUES is a compile error, and the worker refuses to boot
 * unless every name has exactly one handler.
 */
export const QUEUES = ['identity', 'apps'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobPayloads {
  /** Deletes an organization that had no spaces when the delete was accepted. */
  'organization.delete': { jobGuid: string; organizationGuid: string };
  /** Deletes a space that had nothing in it when the delete was accepted. */
  'space.delete': { jobGuid: string; organizationGuid: string; spaceGuid: string };
  /** Deletes an app (and, as later issues add them, its processes, droplets and routes). */
  'app.delete': { jobGuid: string; appGuid: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUES: { readonly [N in JobName]: QueueName } = {
  'organization.delete': 'identity',
  'space.delete': 'identity',
  'app.delete': 'apps',
};

export const JOB_NAMES = Object.keys(JOB_QUEUES) as JobName[];
