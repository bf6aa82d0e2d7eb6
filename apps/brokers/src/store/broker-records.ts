/** OSB's operation states, as last_operation reports them. */
export type OperationState = 'in progress' | 'succeeded' | 'failed';

/** What a driver keeps about an instance it made (database name, container id, ...). */
export type DriverResource = Record<string, string>;

export interface InstanceRecord {
  id: string;
  serviceId: string;
  planId: string;
  parameters: Record<string, unknown>;
  organizationGuid: string;
  spaceGuid: string;
  context: Record<string, unknown>;
  state: OperationState;
  /** The id handed out with a 202, sent back by the platform when it polls. */
  operation: string | null;
  description: string | null;
  resource: DriverResource;
  /** Opened from their sealed column; generated once, before the first provisioning step. */
  secrets: Record<string, string>;
}

export interface BindingRecord {
  id: string;
  instanceId: string;
  serviceId: string;
  planId: string;
  parameters: Record<string, unknown>;
  appGuid: string | null;
  resource: DriverResource;
  credentials: Record<string, unknown>;
}
