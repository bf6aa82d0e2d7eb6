import { AppRouteUrisModule } from './app-route-uris.reader';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppRoutingPurge } from './app-routing-purge';
import { DomainCreateAction } from './domain-create.action';
import { DomainRepository } from './domain.repository';
import { DomainSeedAction } from './domain-seed.action';
import { RouteCreateAction } from './route-create.action';
import { RouteDeleteAction } from './route-delete.action';
import { RouteDestinationsAction } from './route-destinations.action';
import { RouteAudit } from './route-audit';
import { RouteRepository } from './route.repository';
import { RoutesQueryService } from './routes-query.service';
import { ROUTING_ENTITIES } from './routing.entities';

const exported = [
  RoutesQueryService,
  DomainSeedAction,
  DomainCreateAction,
  RouteCreateAction,
  RouteDeleteAction,
  RouteDestinationsAction,
  AppRoutingPurge,
];

/**
 * Domains, routes and their destinations (the data plane comes with HAProxy). The repositories are
 * exported for `RoutingWorkerModule`'s router sync only (index.ts does not name them).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(ROUTING_ENTITIES),
    IdentityModule,
    AppsModule,
    AppRouteUrisModule,
  ],
  providers: [DomainRepository, RouteRepository, RouteAudit, ...exported],
  exports: [...exported, DomainRepository, RouteRepository],
})
export class RoutingModule {}
