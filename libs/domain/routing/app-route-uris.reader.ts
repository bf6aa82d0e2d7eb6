import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { APP_ROUTE_URIS, AppRouteUris } from '@wharf/apps';
import { DomainEntity } from './domain.entity';
import { RouteDestinationEntity } from './route-destination.entity';
import { RouteEntity } from './route.entity';
import { routeUrl } from './route-names';

/** The URLs of the routes an app is mapped to, internal ones included (as in CF). */
@Injectable()
export class AppRouteUrisReader implements AppRouteUris {
  constructor(
    @InjectRepository(RouteDestinationEntity)
    private readonly destinations: Repository<RouteDestinationEntity>,
    @InjectRepository(RouteEntity) private readonly routes: Repository<RouteEntity>,
    @InjectRepository(DomainEntity) private readonly domains: Repository<DomainEntity>,
  ) {}

  async urisOf(appGuid: string): Promise<string[]> {
    const mapped = await this.destinations.find({
      where: { appGuid },
      order: { createdAt: 'ASC' },
    });
    const routes = await this.routes.findBy({
      guid: In([...new Set(mapped.map((d) => d.routeGuid))]),
    });
    const domains = new Map(
      (await this.domains.findBy({ guid: In([...new Set(routes.map((r) => r.domainGuid))]) })).map(
        (d) => [d.guid, d.name],
      ),
    );
    return routes.flatMap((r) => {
      const domain = domains.get(r.domainGuid);
      return domain ? [routeUrl(r.host, domain, r.path)] : [];
    });
  }
}

/** Makes the reader available to the apps context wherever routing is loaded (api and worker). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RouteDestinationEntity, RouteEntity, DomainEntity])],
  providers: [{ provide: APP_ROUTE_URIS, useClass: AppRouteUrisReader }],
  exports: [APP_ROUTE_URIS],
})
export class AppRouteUrisModule {}
