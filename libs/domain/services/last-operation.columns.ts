import { Column } from 'typeorm';

export type OperationType = 'create' | 'update' | 'delete';
export type OperationState = 'initial' | 'in progress' | 'succeeded' | 'failed';

/**
 * The last operation on a service instance or binding (CF's `last_operation`), embedded as
 * `last_operation_*` columns (named in full: embedded with `prefix: false`). For a broker that answered 202 it also keeps the opaque `operation`
 * to send back when polling and when polling started (to honour maximum_polling_duration).
 */
export class LastOperationColumns {
  @Column({ name: 'last_operation_type', type: 'text', default: 'create' })
  type!: OperationType;

  @Column({ name: 'last_operation_state', type: 'text', default: 'succeeded' })
  state!: OperationState;

  @Column({ name: 'last_operation_description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'last_operation_started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'last_operation_updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'last_operation_broker_operation', type: 'text', nullable: true })
  brokerOperation!: string | null;

  /** The /v3/jobs row that reports this operation to the user; null when none. */
  @Column({ name: 'last_operation_job_guid', type: 'uuid', nullable: true })
  jobGuid!: string | null;
}
