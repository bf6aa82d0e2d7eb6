import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { Visibility } from '@wharf/access';
import { RouteAudit } from './route-audit';
import { RouteRepository } from './route.repository';
import { RoutesQueryService } from './routes-query.service';

/** DELETE /v3/routes/:guid: the route and its mappings. */
@Injectable()
export class RouteDeleteAction {
  constructor(
    private readonly routes: RouteRepository,
    private readonly query: RoutesQueryService,
    private readonly audit: RouteAudit,
  ) {}

  async execute(input: { scope: Visibility; guid: string; actor?: AuditActor }): Promise<void> {
    const route = await this.query.getRouteToChange(input.scope, input.guid);
    await this.routes.delete(route.guid);
    await this.audit.route(route, 'delete-request', input.actor);
  }
}
