export * from './leader-lease';
export * from './leader-leases';
export * from './lease.module';
