import { Module } from '@nestjs/common';
import { LeaderLeases } from './leader-leases';

/** Leases for singleton work (see LeaderLease); needs the global RedisModule. */
@Module({ providers: [LeaderLeases], exports: [LeaderLeases] })
export class LeaseModule {}
