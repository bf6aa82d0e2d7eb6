import { Module } from '@nestjs/common';
import { LeaseModule } from '@wharf/platform/lease';
import { SchedulingModule } from '@wharf/scheduling';
import { RouterAccessLogReceiver } from './router-access-log.receiver';
import { RouterSync } from './router-sync';
import { RoutingModule } from './routing.module';

/**
 * Routing's singletons, composed by apps/worker (apps/worker/src/singletons.ts): `RouterSync`
 * (HAProxy and the `apps.internal` hosts file, under the router lease) and the
 * `RouterAccessLogReceiver` (HAProxy's access log as [RTR] lines).
 */
@Module({
  imports: [RoutingModule, SchedulingModule, LeaseModule],
  providers: [RouterSync, RouterAccessLogReceiver],
})
export class RoutingWorkerModule {}
