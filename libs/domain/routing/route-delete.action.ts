import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/identity';
import { RouteRepository } from './route.repository';
import { RoutesQueryService } from './routes-query.service';

/** DELETE /v3/routes/:guid: the route and its mappings. */
@Injectable()
export class RouteDeleteAction {
  constructor(
    private readonly routes: RouteRepository,
    private readonly query: RoutesQueryService,
  ) {}

  async execute(input: { scope: Visibility; guid: string }): Promise<void> {
    const route = await this.query.getRouteToChange(input.scope, input.guid);
    await this.routes.delete(route.guid);
  }
}
