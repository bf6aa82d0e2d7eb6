import type { BrokerPlan, BrokerService } from '../catalog/broker-catalog';
import type { BindingRecord, DriverResource, InstanceRecord } from '../store/broker-records';

export interface BindResult {
  credentials: Record<string, unknown>;
  /** What unbind needs to undo the binding (e.g. the role it created). */
  resource: DriverResource;
  /** OSB 2.15 `endpoints`: where the app connects. */
  endpoints: { host: string; ports: string[] }[];
}

/**
 * What one built-in service does on each OSB operation. Every method is idempotent: an operation
 * cut short (a crash, a timeout) is finished by calling it again with the same record.
 */
export interface ServiceDriver {
  readonly service: BrokerService['name'];
  /** Secrets an instance needs before its first step (e.g. a generated password). */
  newSecrets(): Record<string, string>;
  provision(instance: InstanceRecord, plan: BrokerPlan): Promise<DriverResource>;
  /** Removes everything provision made; what is already gone is not an error. */
  deprovision(instance: InstanceRecord): Promise<void>;
  bind(instance: InstanceRecord, bindingId: string): Promise<BindResult>;
  /** Removes what bind made; what is already gone is not an error. */
  unbind(instance: InstanceRecord, binding: BindingRecord): Promise<void>;
}

/** The drivers of every built-in service (a Nest multi-provider list). */
export const SERVICE_DRIVERS = Symbol('SERVICE_DRIVERS');
