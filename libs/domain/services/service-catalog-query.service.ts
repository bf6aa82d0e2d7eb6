import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { ServiceBrokerEntity } from './service-broker.entity';
import { OfferingFilter, PlanFilter, ServiceCatalogRepository } from './service-catalog.repository';
import { ServiceOfferingEntity } from './service-offering.entity';
import { ServicePlanEntity } from './service-plan.entity';
import { ServicesErrorCode, servicesError } from './services.errors';

/** A plan with what a request about it needs: its offering and broker. */
export interface PlanInCatalog {
  plan: ServicePlanEntity;
  offering: ServiceOfferingEntity;
  broker: ServiceBrokerEntity;
}

/**
 * Reads of brokers (admins only), offerings and plans. Admins see every plan; other users see
 * public plans and those enabled for one of their orgs, and offerings that have such a plan.
 */
@Injectable()
export class ServiceCatalogQueryService {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly identity: IdentityQueryService,
  ) {}

  listBrokers(
    scope: Visibility,
    filter: { names?: string[] },
    page: PageRequest,
  ): Promise<Page<ServiceBrokerEntity>> {
    if (!scope.all) return Promise.resolve({ items: [], total: 0, request: page });
    return this.repo.listBrokersPage(filter, page);
  }

  async getBroker(scope: Visibility, guid: string): Promise<ServiceBrokerEntity> {
    const broker = scope.all ? await this.repo.findBroker(guid) : null;
    if (!broker) throw notFound('Service broker');
    return broker;
  }

  async listOfferings(
    scope: Visibility,
    filter: OfferingFilter & { brokerNames?: string[] },
    page: PageRequest,
  ): Promise<Page<ServiceOfferingEntity>> {
    const brokerGuids = await this.brokerGuids(filter.brokerGuids, filter.brokerNames);
    let guids = filter.guids;
    if (!scope.all) {
      const visible = await this.visibleOfferingGuids(scope);
      guids = guids ? guids.filter((g) => visible.includes(g)) : visible;
    }
    return this.repo.listOfferingsPage({ ...filter, brokerGuids, guids }, page);
  }

  async getOffering(scope: Visibility, guid: string): Promise<ServiceOfferingEntity> {
    const page = await this.listOfferings(scope, { guids: [guid] }, FIRST);
    if (!page.items[0]) throw notFound('Service offering');
    return page.items[0];
  }

  async listPlans(
    scope: Visibility,
    filter: Omit<PlanFilter, 'visibleToOrgs'> & {
      offeringNames?: string[];
      brokerNames?: string[];
    },
    page: PageRequest,
  ): Promise<Page<ServicePlanEntity>> {
    const brokerGuids = await this.brokerGuids(filter.brokerGuids, filter.brokerNames);
    let offeringGuids = filter.offeringGuids;
    if (filter.offeringNames) {
      const named = await this.repo.listOfferingsPage(
        { names: filter.offeringNames, brokerGuids },
        ALL,
      );
      const guids = named.items.map((o) => o.guid);
      offeringGuids = offeringGuids ? offeringGuids.filter((g) => guids.includes(g)) : guids;
    }
    return this.repo.listPlansPage(
      { ...filter, brokerGuids, offeringGuids, visibleToOrgs: await this.orgsOf(scope) },
      page,
    );
  }

  async getPlan(scope: Visibility, guid: string): Promise<ServicePlanEntity> {
    const page = await this.listPlans(scope, { guids: [guid] }, FIRST);
    if (!page.items[0]) throw notFound('Service plan');
    return page.items[0];
  }

  /**
   * The plan a create or update names, with its offering and broker; CF's words when it does not
   * exist, is not visible to the space's org, or is no longer available.
   */
  async planForSpace(
    scope: Visibility,
    planGuid: string,
    organizationGuid: string,
  ): Promise<PlanInCatalog> {
    const invalid = servicesError(
      ServicesErrorCode.InvalidServiceInstance,
      'Invalid service plan. Ensure that the service plan exists, is available, and you have access to it.',
    );
    const plan = await this.repo.findPlan(planGuid);
    if (!plan || !plan.available) throw invalid;
    if (!plan.public && !scope.all) {
      const orgs = (await this.repo.orgsOfPlan(plan.guid)).map((v) => v.organizationGuid);
      if (!orgs.includes(organizationGuid)) throw invalid;
    }
    return this.catalogOf(plan).then((found) => {
      if (!found || !found.broker.registered || !found.offering.available) throw invalid;
      return found;
    });
  }

  /** The offering and broker of a plan an instance already uses (available or not). */
  async catalogOf(plan: ServicePlanEntity): Promise<PlanInCatalog | null> {
    const offering = await this.repo.findOffering(plan.offeringGuid);
    const broker = offering ? await this.repo.findBroker(offering.brokerGuid) : null;
    return offering && broker ? { plan, offering, broker } : null;
  }

  async catalogOfPlanGuid(planGuid: string | null): Promise<PlanInCatalog | null> {
    const plan = planGuid ? await this.repo.findPlan(planGuid) : null;
    return plan ? this.catalogOf(plan) : null;
  }

  plansByGuids(guids: string[]): Promise<ServicePlanEntity[]> {
    return this.repo.findPlansByGuids([...new Set(guids)]);
  }

  offeringsByGuids(guids: string[]): Promise<ServiceOfferingEntity[]> {
    return this.repo.findOfferingsByGuids([...new Set(guids)]);
  }

  /** `visibility_type` of each plan. */
  async visibilityTypes(
    plans: ServicePlanEntity[],
  ): Promise<Map<string, 'public' | 'admin' | 'organization'>> {
    const withOrgs = await this.repo.plansWithOrgs(
      plans.filter((p) => !p.public).map((p) => p.guid),
    );
    return new Map(
      plans.map((p) => [
        p.guid,
        p.public ? 'public' : withOrgs.has(p.guid) ? 'organization' : 'admin',
      ]),
    );
  }

  /** GET /v3/service_plans/:guid/visibility. */
  async visibilityOfPlan(
    scope: Visibility,
    guid: string,
  ): Promise<{
    type: 'public' | 'admin' | 'organization';
    organizations: { guid: string; name: string }[];
  }> {
    const plan = await this.getPlan(scope, guid);
    if (plan.public) return { type: 'public', organizations: [] };
    const orgs = await this.repo.orgsOfPlan(plan.guid);
    if (orgs.length === 0) return { type: 'admin', organizations: [] };
    const organizations: { guid: string; name: string }[] = [];
    for (const v of orgs) {
      const org = await this.identity.getOrganization(scope, v.organizationGuid).catch(() => null);
      if (org) organizations.push({ guid: org.guid, name: org.name });
    }
    return { type: 'organization', organizations };
  }

  private orgsOf(scope: Visibility): Promise<string[] | null> {
    // Orgs the caller belongs to (tenancy, issue 6, adds orgs reached through space roles).
    return Promise.resolve(scope.all ? null : scope.orgGuids);
  }

  private async visibleOfferingGuids(scope: Visibility): Promise<string[]> {
    const plans = await this.repo.listPlansPage(
      { visibleToOrgs: (await this.orgsOf(scope)) ?? [] },
      ALL,
    );
    return [...new Set(plans.items.map((p) => p.offeringGuid))];
  }

  private async brokerGuids(guids?: string[], names?: string[]): Promise<string[] | undefined> {
    if (!names) return guids;
    const named = (await this.repo.listBrokersPage({ names }, ALL)).items.map((b) => b.guid);
    return guids ? guids.filter((g) => named.includes(g)) : named;
  }
}

const FIRST: PageRequest = { page: 1, perPage: 1, orderBy: 'createdAt', direction: 'ASC' };
const ALL: PageRequest = { page: 1, perPage: 5000, orderBy: 'createdAt', direction: 'ASC' };
