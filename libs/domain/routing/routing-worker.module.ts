import { AppRouteUrisModule } from './app-route-uris.reader';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { LeaseModule } from '@wharf/platform/lease';
import { AppRoutingPurgeProcessor } from './app-routing-purge.processor';
import { DomainRepository } from './domain.repository';
import { RouteRepository } from './route.repository';
import { RouterSync } from './router-sync';
import { RouterAccessLogReceiver } from './router-access-log.receiver';
import { SchedulingModule } from '@wharf/scheduling';
import { ROUTING_ENTITIES } from './routing.entities';

/** Routing's jobs; imported only by apps/worker. */
@Module({
  imports: [
    TypeOrmModule.forFeature(ROUTING_ENTITIES),
    AppsModule,
    SchedulingModule,
    AppRouteUrisModule,
    LeaseModule,
  ],
  providers: [
    RouteRepository,
    DomainRepository,
    AppRoutingPurgeProcessor,
    RouterSync,
    RouterAccessLogReceiver,
  ],
})
export class RoutingWorkerModule {}
