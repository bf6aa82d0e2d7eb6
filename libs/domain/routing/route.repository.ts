import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { RouteDestinationEntity } from './route-destination.entity';
import { RouteEntity } from './route.entity';

export interface RouteFilter {
  hosts?: string[];
  paths?: string[];
  domainGuids?: string[];
  guids?: string[];
  /** Already narrowed to what the caller may see ('all' for admins). */
  spaceGuids: string[] | 'all';
  /** Routes with a destination to one of these apps. */
  appGuids?: string[];
}

@Injectable()
export class RouteRepository {
  constructor(
    @InjectRepository(RouteEntity) private readonly routes: Repository<RouteEntity>,
    @InjectRepository(RouteDestinationEntity)
    private readonly destinations: Repository<RouteDestinationEntity>,
    private readonly dataSource: DataSource,
  ) {}

  async listPage(filter: RouteFilter, page: PageRequest): Promise<Page<RouteEntity>> {
    if (filter.spaceGuids !== 'all' && filter.spaceGuids.length === 0) {
      return findPage(this.routes, [], page);
    }
    let guids = filter.guids;
    if (filter.appGuids) {
      const rows = await this.destinations.find({
        select: { routeGuid: true },
        where: { appGuid: In(filter.appGuids) },
      });
      const mapped = rows.map((r) => r.routeGuid);
      guids = guids ? guids.filter((g) => mapped.includes(g)) : mapped;
      if (guids.length === 0) return findPage(this.routes, [], page);
    }
    return findPage(
      this.routes,
      [
        {
          ...(filter.hosts ? { host: In(filter.hosts) } : {}),
          ...(filter.paths ? { path: In(filter.paths) } : {}),
          ...(filter.domainGuids ? { domainGuid: In(filter.domainGuids) } : {}),
          ...(guids ? { guid: In(guids) } : {}),
          ...(filter.spaceGuids !== 'all' ? { spaceGuid: In(filter.spaceGuids) } : {}),
        },
      ],
      page,
    );
  }

  /** Every route: what the router serves. */
  allUnscoped(): Promise<RouteEntity[]> {
    return this.routes.find();
  }

  countInSpaces(spaceGuids: string[]): Promise<number> {
    if (spaceGuids.length === 0) return Promise.resolve(0);
    return this.routes.countBy({ spaceGuid: In(spaceGuids) });
  }

  findByGuidUnscoped(guid: string): Promise<RouteEntity | null> {
    return this.routes.findOneBy({ guid });
  }

  findByAddress(domainGuid: string, host: string, path: string): Promise<RouteEntity | null> {
    return this.routes.findOneBy({ domainGuid, host, path });
  }

  save(fields: Partial<RouteEntity>): Promise<RouteEntity> {
    return this.routes.save(this.routes.create(fields));
  }

  /** The route and its destinations, in one transaction. */
  async delete(guid: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.delete(RouteDestinationEntity, { routeGuid: guid });
      await m.delete(RouteEntity, { guid });
    });
  }

  destinationsOf(routeGuids: string[]): Promise<RouteDestinationEntity[]> {
    if (routeGuids.length === 0) return Promise.resolve([]);
    return this.destinations.find({
      where: { routeGuid: In(routeGuids) },
      order: { createdAt: 'ASC' },
    });
  }

  findDestination(routeGuid: string, guid: string): Promise<RouteDestinationEntity | null> {
    return this.destinations.findOneBy({ routeGuid, guid });
  }

  /** Adds the destinations not there yet (same app and process type is the same destination). */
  async addDestinations(
    routeGuid: string,
    wanted: { guid: string; appGuid: string; processType: string }[],
  ): Promise<void> {
    if (wanted.length === 0) return;
    await this.destinations
      .createQueryBuilder()
      .insert()
      .values(wanted.map((d) => ({ ...d, routeGuid, port: 8080 })))
      .orIgnore()
      .execute();
  }

  async replaceDestinations(
    routeGuid: string,
    wanted: { guid: string; appGuid: string; processType: string }[],
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.delete(RouteDestinationEntity, { routeGuid });
      if (wanted.length) {
        await m.insert(
          RouteDestinationEntity,
          wanted.map((d) => ({ ...d, routeGuid, port: 8080 })),
        );
      }
    });
  }

  async deleteDestination(guid: string): Promise<void> {
    await this.destinations.delete({ guid });
  }

  async deleteDestinationsOfApp(appGuid: string): Promise<void> {
    await this.destinations.delete({ appGuid });
  }
}
