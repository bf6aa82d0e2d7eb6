import { Column } from 'typeorm';

/**
 * The limits an organization quota and a space quota share, embedded as plain columns. Null is
 * unlimited, as in CF's JSON.
 */
export class QuotaLimitsColumns {
  @Column({ name: 'total_memory_in_mb', type: 'integer', nullable: true })
  totalMemoryInMb!: number | null;

  @Column({ name: 'per_process_memory_in_mb', type: 'integer', nullable: true })
  perProcessMemoryInMb!: number | null;

  @Column({ name: 'total_instances', type: 'integer', nullable: true })
  totalInstances!: number | null;

  @Column({ name: 'per_app_tasks', type: 'integer', nullable: true })
  perAppTasks!: number | null;

  @Column({ name: 'log_rate_limit_in_bytes_per_second', type: 'integer', nullable: true })
  logRateLimitInBytesPerSecond!: number | null;

  @Column({ name: 'paid_services_allowed', type: 'boolean', default: true })
  paidServicesAllowed!: boolean;

  @Column({ name: 'total_service_instances', type: 'integer', nullable: true })
  totalServiceInstances!: number | null;

  @Column({ name: 'total_service_keys', type: 'integer', nullable: true })
  totalServiceKeys!: number | null;

  @Column({ name: 'total_routes', type: 'integer', nullable: true })
  totalRoutes!: number | null;

  @Column({ name: 'total_reserved_ports', type: 'integer', nullable: true })
  totalReservedPorts!: number | null;
}

export type QuotaLimits = Omit<QuotaLimitsColumns, never>;

export const UNLIMITED: QuotaLimits = Object.freeze({
  totalMemoryInMb: null,
  perProcessMemoryInMb: null,
  totalInstances: null,
  perAppTasks: null,
  logRateLimitInBytesPerSecond: null,
  paidServicesAllowed: true,
  totalServiceInstances: null,
  totalServiceKeys: null,
  totalRoutes: null,
  totalReservedPorts: null,
});
