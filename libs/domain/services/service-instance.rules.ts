import { OperationType } from './last-operation.columns';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServicesErrorCode, servicesError } from './services.errors';

/** What user-provided and managed instances share: their name rules and operation bookkeeping. */
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
