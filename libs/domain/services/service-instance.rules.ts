import type { EntityManager } from 'typeorm';
import type { JobPayloads } from '@wharf/contracts';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobTransaction, UserJobLauncher } from '@wharf/platform/queue';
import { LastOperationColumns, OperationType } from './last-operation.columns';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

/**
 * What user-provided and managed instances (and managed bindings) share: their name rules, audit
 * events and operation bookkeeping.
 */
export function validInstanceName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 255)
    throw servicesError(
      ServicesErrorCode.InvalidServiceInstance,
      'Name must be between 1 and 255 characters.',
    );
  return trimmed;
}

export const instanceNameTaken = (name: string) =>
  servicesError(
    ServicesErrorCode.ServiceInstanceNameTaken,
    `The service instance name is taken: ${name}.`,
  );

/**
 * Saves the instance (with `manager`, in that transaction); one of the same name already in the
 * space is CF's name-taken error.
 */
export async function saveInstance(
  repo: ServiceInstanceRepository,
  instance: Partial<ServiceInstanceEntity> & { name: string },
  manager?: EntityManager,
): Promise<ServiceInstanceEntity> {
  try {
    return await repo.save(instance, manager);
  } catch (err) {
    if (isUniqueViolation(err)) throw instanceNameTaken(instance.name);
    throw err;
  }
}

/** A new operation, not yet sent to the broker (state `initial`), reported by job `jobGuid`. */
export function newOperation(
  type: OperationType,
  jobGuid: string,
): ServiceInstanceEntity['lastOperation'] {
  const now = new Date();
  return {
    type,
    state: 'initial',
    description: null,
    startedAt: now,
    updatedAt: now,
    brokerOperation: null,
    jobGuid,
  };
}

/** How the /v3/jobs row of each kind of broker operation names its operation and resource. */
const OPERATED = {
  'service_instance.operate': { operation: 'service_instance', resourceType: 'service_instance' },
  'service_binding.operate': {
    operation: 'service_bindings',
    resourceType: 'service_credential_binding',
  },
} as const;

/**
 * Starts the job that carries a new operation of a managed instance or binding to its broker.
 * `record` stores the operation (state `initial`, reported by that job) and its audit event
 * through `tx.manager`: the /v3/jobs row, the operation, the event and the job commit together.
 */
export function launchOperation<N extends keyof typeof OPERATED>(
  launcher: UserJobLauncher,
  name: N,
  of: { type: OperationType; guid: string; userGuid: string | null },
  payload: Omit<JobPayloads[N], 'jobGuid'>,
  record: (lastOperation: LastOperationColumns, tx: JobTransaction) => Promise<void>,
): Promise<{ jobGuid: string }> {
  const { operation, resourceType } = OPERATED[name];
  return launcher.launch(
    name,
    {
      operation: `${operation}.${of.type}`,
      resourceType,
      resourceGuid: of.guid,
      userGuid: of.userGuid,
    },
    payload,
    (tx, jobGuid) => record(newOperation(of.type, jobGuid), tx),
  );
}

/** An audit event about a service instance, recorded in its space (in `manager`'s transaction). */
export async function auditInstance(
  events: AuditEventRecordAction,
  instance: ServiceInstanceEntity,
  targetType: 'service_instance' | 'user_provided_service_instance',
  event: { type: string; actor: AuditActor | undefined; data: Record<string, unknown> },
  manager: EntityManager,
): Promise<void> {
  await events.execute(
    {
      type: event.type,
      actor: event.actor ?? SYSTEM_ACTOR,
      target: { guid: instance.guid, type: targetType, name: instance.name },
      data: event.data,
      spaceGuid: instance.spaceGuid,
    },
    manager,
  );
}
