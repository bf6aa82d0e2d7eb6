import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { AppRoutingPurgeProcessor } from './app-routing-purge.processor';
import { RouteRepository } from './route.repository';
import { ROUTING_ENTITIES } from './routing.entities';

/** Routing's jobs; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(ROUTING_ENTITIES), AppsModule],
  providers: [RouteRepository, AppRoutingPurgeProcessor],
})
export class RoutingWorkerModule {}
