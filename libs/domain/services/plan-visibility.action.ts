import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { notFound } from '@wharf/platform/errors';
import { JobBus } from '@wharf/platform/queue';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

export type PlanVisibilityType = 'public' | 'admin' | 'organization';

/**
 * PATCH (replace), POST (append) and DELETE of /v3/service_plans/:guid/visibility: which orgs may
 * use a plan (`enable-service-access`, `disable-service-access`). Admins only.
 */
@Injectable()
export class PlanVisibilityUpdateAction {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly query: ServiceCatalogQueryService,
    private readonly identity: IdentityQueryService,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    planGuid: string;
    type: PlanVisibilityType;
    organizationGuids: string[];
    mode: 'replace' | 'append';
    actor?: AuditActor;
  }): Promise<void> {
    const plan = await this.query.getPlan(input.scope, input.planGuid);
    this.adminOnly(input.scope);
    if (input.type === 'organization' && input.organizationGuids.length === 0)
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        "Type 'organization' needs at least one organization.",
      );
    if (input.type !== 'organization' && input.organizationGuids.length > 0)
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        `Type '${input.type}' takes no organizations.`,
      );
    for (const guid of input.organizationGuids)
      await this.identity.getOrganization(input.scope, guid).catch(() => {
        throw servicesError(
          ServicesErrorCode.InvalidServiceInstance,
          `Could not find organization with guid ${guid}.`,
        );
      });
    // The visibility and its event commit together.
    await this.jobs.transaction(async (tx) => {
      await this.repo.setVisibility(
        plan.guid,
        input.type,
        input.organizationGuids,
        input.mode,
        tx.manager,
      );
      await this.events.execute(
        {
          type: 'audit.service_plan_visibility.update',
          actor: input.actor ?? SYSTEM_ACTOR,
          target: { guid: plan.guid, type: 'service_plan_visibility', name: plan.name },
          data: { request: { type: input.type, organizations: input.organizationGuids } },
        },
        tx.manager,
      );
    });
  }

  async removeOrganization(input: {
    scope: Visibility;
    planGuid: string;
    organizationGuid: string;
    actor?: AuditActor;
  }): Promise<void> {
    const plan = await this.query.getPlan(input.scope, input.planGuid);
    this.adminOnly(input.scope);
    // The removal and its event commit together; nothing to remove is a 404 and changes nothing.
    await this.jobs.transaction(async (tx) => {
      if (!(await this.repo.removeOrgVisibility(plan.guid, input.organizationGuid, tx.manager)))
        throw notFound('Service plan visibility');
      await this.events.execute(
        {
          type: 'audit.service_plan_visibility.delete',
          actor: input.actor ?? SYSTEM_ACTOR,
          target: { guid: plan.guid, type: 'service_plan_visibility', name: plan.name },
          data: { request: { organization_guid: input.organizationGuid } },
        },
        tx.manager,
      );
    });
  }

  private adminOnly(scope: Visibility): void {
    if (!scope.all)
      throw servicesError(
        ServicesErrorCode.AdminOnly,
        'You are not authorized to perform the requested action: only platform admins change plan visibility.',
      );
  }
}
