import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';
import { LeaderLease, LeaseTimings } from './leader-lease';

/** Makes the process's leases, on its shared Redis client and under its queue prefix. */
@Injectable()
export class LeaderLeases {
  constructor(
    private readonly redis: RedisConnections,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** The lease `<queue prefix>:<name>`: one holder among every process of the installation. */
  create(name: string, timings: LeaseTimings): LeaderLease {
    return new LeaderLease(this.redis.client, `${this.config.queuePrefix}:${name}`, timings);
  }
}
