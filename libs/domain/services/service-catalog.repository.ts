import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import type { OsbCatalog } from './osb/osb-catalog';
import { ServiceBrokerEntity } from './service-broker.entity';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceOfferingEntity } from './service-offering.entity';
import { ServicePlanVisibilityEntity } from './service-plan-visibility.entity';
import { PlanSchemas, ServicePlanEntity } from './service-plan.entity';

export interface OfferingFilter {
  names?: string[];
  brokerGuids?: string[];
  guids?: string[];
  available?: boolean;
}

export interface PlanFilter {
  names?: string[];
  offeringGuids?: string[];
  brokerGuids?: string[];
  guids?: string[];
  available?: boolean;
  /** Null: every plan (admins); otherwise public plans and those visible to these orgs. */
  visibleToOrgs: string[] | null;
}

/** What applying a catalog did, for the job's log and warnings. */
export interface CatalogChange {
  offerings: number;
  plans: number;
  /** Offerings and plans gone from the catalog but kept (unavailable) because instances use them. */
  keptUnavailable: string[];
}

/**
 * Brokers, the offerings and plans of their catalogs, and plan visibility. A catalog replaces the
 * previous one in one transaction: entries are matched by the broker's ids, so guids (and the
 * instances that point at plans) survive a refresh.
 */
@Injectable()
export class ServiceCatalogRepository {
  constructor(
    @InjectRepository(ServiceBrokerEntity)
    private readonly brokers: Repository<ServiceBrokerEntity>,
    @InjectRepository(ServiceOfferingEntity)
    private readonly offerings: Repository<ServiceOfferingEntity>,
    @InjectRepository(ServicePlanEntity)
    private readonly plans: Repository<ServicePlanEntity>,
    @InjectRepository(ServicePlanVisibilityEntity)
    private readonly visibilities: Repository<ServicePlanVisibilityEntity>,
    private readonly dataSource: DataSource,
  ) {}

  // Brokers (admin-only resources: no tenant scope).

  listBrokersPage(f: { names?: string[] }, page: PageRequest): Promise<Page<ServiceBrokerEntity>> {
    return findPage(this.brokers, { ...(f.names ? { name: In(f.names) } : {}) }, page);
  }

  findBroker(guid: string): Promise<ServiceBrokerEntity | null> {
    return this.brokers.findOneBy({ guid });
  }

  findBrokerByName(name: string): Promise<ServiceBrokerEntity | null> {
    return this.brokers.findOneBy({ name });
  }

  /** With `manager`, in that transaction. */
  saveBroker(
    fields: Partial<ServiceBrokerEntity>,
    manager?: EntityManager,
  ): Promise<ServiceBrokerEntity> {
    const repo = manager?.getRepository(ServiceBrokerEntity) ?? this.brokers;
    return repo.save(repo.create(fields));
  }

  /** The broker with its offerings, plans and their visibilities. */
  async deleteBroker(guid: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const offerings = await m.findBy(ServiceOfferingEntity, { brokerGuid: guid });
      const offeringGuids = offerings.map((o) => o.guid);
      if (offeringGuids.length) {
        const plans = await m.findBy(ServicePlanEntity, { offeringGuid: In(offeringGuids) });
        if (plans.length)
          await m.delete(ServicePlanVisibilityEntity, { planGuid: In(plans.map((p) => p.guid)) });
        await m.delete(ServicePlanEntity, { offeringGuid: In(offeringGuids) });
        await m.delete(ServiceOfferingEntity, { brokerGuid: guid });
      }
      await m.delete(ServiceBrokerEntity, { guid });
    });
  }

  async countInstancesOfBroker(brokerGuid: string): Promise<number> {
    const rows = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM service_instances i
         JOIN service_plans p ON p.guid = i.service_plan_guid
         JOIN service_offerings o ON o.guid = p.offering_guid
        WHERE o.broker_guid = $1`,
      [brokerGuid],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Replaces the broker's offerings and plans with the catalog's, marks it registered. */
  async applyCatalog(brokerGuid: string, catalog: OsbCatalog): Promise<CatalogChange> {
    return this.dataSource.transaction(async (m) => {
      const change: CatalogChange = { offerings: 0, plans: 0, keptUnavailable: [] };
      // New entries get created_at a millisecond apart in catalog order, so lists (ordered by
      // created_at) show offerings and plans as the broker listed them, not as their guids sort.
      const t0 = Date.now();
      let position = 0;
      const createdAt = () => new Date(t0 + position++);
      const existing = await m.findBy(ServiceOfferingEntity, { brokerGuid });
      const byId = new Map(existing.map((o) => [o.catalogId, o]));
      const seenOfferings = new Set<string>();
      for (const o of catalog.services) {
        const offering = await m.save(
          m.create(ServiceOfferingEntity, {
            ...(byId.get(o.id) ?? {
              guid: randomUUID(),
              createdAt: createdAt(),
              labels: {},
              annotations: {},
            }),
            brokerGuid,
            catalogId: o.id,
            name: o.name,
            description: o.description,
            available: true,
            bindable: o.bindable,
            tags: o.tags ?? [],
            requires: o.requires ?? [],
            instancesRetrievable: o.instances_retrievable ?? false,
            bindingsRetrievable: o.bindings_retrievable ?? false,
            planUpdateable: o.plan_updateable ?? false,
            allowContextUpdates: o.allow_context_updates ?? false,
            shareable: o.metadata?.shareable === true,
            documentationUrl:
              typeof o.metadata?.documentationUrl === 'string' ? o.metadata.documentationUrl : null,
            catalogMetadata: o.metadata ?? {},
          }),
        );
        seenOfferings.add(offering.guid);
        change.offerings++;
        const oldPlans = await m.findBy(ServicePlanEntity, { offeringGuid: offering.guid });
        const planById = new Map(oldPlans.map((p) => [p.catalogId, p]));
        const seenPlans = new Set<string>();
        for (const p of o.plans) {
          const plan = await m.save(
            m.create(ServicePlanEntity, {
              ...(planById.get(p.id) ?? {
                guid: randomUUID(),
                createdAt: createdAt(),
                labels: {},
                annotations: {},
                public: false,
              }),
              offeringGuid: offering.guid,
              catalogId: p.id,
              name: p.name,
              description: p.description,
              free: p.free ?? true,
              available: true,
              bindable: p.bindable ?? null,
              planUpdateable: p.plan_updateable ?? null,
              maximumPollingDuration: p.maximum_polling_duration ?? null,
              maintenanceInfo: p.maintenance_info ?? null,
              costs: Array.isArray(p.metadata?.costs) ? p.metadata.costs : [],
              catalogMetadata: p.metadata ?? {},
              schemas: (p.schemas ?? {}) as Partial<PlanSchemas>,
            }),
          );
          seenPlans.add(plan.guid);
          change.plans++;
        }
        for (const old of oldPlans)
          if (!seenPlans.has(old.guid))
            await this.retirePlan(m, old, `plan ${o.name}/${old.name}`, change);
      }
      for (const old of existing)
        if (!seenOfferings.has(old.guid)) {
          const plans = await m.findBy(ServicePlanEntity, { offeringGuid: old.guid });
          let inUse = false;
          for (const p of plans)
            inUse = (await this.retirePlan(m, p, `plan ${old.name}/${p.name}`, change)) || inUse;
          if (inUse) {
            await m.update(ServiceOfferingEntity, { guid: old.guid }, { available: false });
            change.keptUnavailable.push(`service offering ${old.name}`);
          } else await m.delete(ServiceOfferingEntity, { guid: old.guid });
        }
      await m.update(ServiceBrokerEntity, { guid: brokerGuid }, { registered: true });
      return change;
    });
  }

  /** A plan gone from the catalog: deleted, or kept unavailable while instances use it. */
  private async retirePlan(
    m: EntityManager,
    plan: ServicePlanEntity,
    label: string,
    change: CatalogChange,
  ): Promise<boolean> {
    const used = await m.countBy(ServiceInstanceEntity, { servicePlanGuid: plan.guid });
    if (used > 0) {
      await m.update(ServicePlanEntity, { guid: plan.guid }, { available: false });
      change.keptUnavailable.push(label);
      return true;
    }
    await m.delete(ServicePlanVisibilityEntity, { planGuid: plan.guid });
    await m.delete(ServicePlanEntity, { guid: plan.guid });
    return false;
  }

  // Offerings and plans.

  async listOfferingsPage(
    f: OfferingFilter,
    page: PageRequest,
  ): Promise<Page<ServiceOfferingEntity>> {
    const registered = await this.registeredBrokerGuids(f.brokerGuids);
    return findPage(
      this.offerings,
      {
        brokerGuid: In(registered),
        ...(f.names ? { name: In(f.names) } : {}),
        ...(f.guids ? { guid: In(f.guids) } : {}),
        ...(f.available !== undefined ? { available: f.available } : {}),
      },
      page,
    );
  }

  findOffering(guid: string): Promise<ServiceOfferingEntity | null> {
    return this.offerings.findOneBy({ guid });
  }

  findOfferingsByGuids(guids: string[]): Promise<ServiceOfferingEntity[]> {
    return guids.length ? this.offerings.findBy({ guid: In(guids) }) : Promise.resolve([]);
  }

  async listPlansPage(f: PlanFilter, page: PageRequest): Promise<Page<ServicePlanEntity>> {
    let offeringGuids = f.offeringGuids;
    const registered = await this.registeredBrokerGuids(f.brokerGuids);
    const ofBrokers = (
      await this.offerings.find({ select: { guid: true }, where: { brokerGuid: In(registered) } })
    ).map((o) => o.guid);
    offeringGuids = offeringGuids ? offeringGuids.filter((g) => ofBrokers.includes(g)) : ofBrokers;
    let guids = f.guids;
    if (f.visibleToOrgs) {
      const visible = await this.visiblePlanGuids(f.visibleToOrgs);
      guids = guids ? guids.filter((g) => visible.includes(g)) : visible;
    }
    return findPage(
      this.plans,
      {
        offeringGuid: In(offeringGuids),
        ...(guids ? { guid: In(guids) } : {}),
        ...(f.names ? { name: In(f.names) } : {}),
        ...(f.available !== undefined ? { available: f.available } : {}),
      },
      page,
    );
  }

  findPlan(guid: string): Promise<ServicePlanEntity | null> {
    return this.plans.findOneBy({ guid });
  }

  findPlansByGuids(guids: string[]): Promise<ServicePlanEntity[]> {
    return guids.length ? this.plans.findBy({ guid: In(guids) }) : Promise.resolve([]);
  }

  plansOfOfferings(offeringGuids: string[]): Promise<ServicePlanEntity[]> {
    return offeringGuids.length
      ? this.plans.find({ where: { offeringGuid: In(offeringGuids) }, order: { createdAt: 'ASC' } })
      : Promise.resolve([]);
  }

  /** Public plans and those enabled for one of these orgs. */
  async visiblePlanGuids(orgGuids: string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ guid: string }[]>(
      `SELECT guid FROM service_plans WHERE public
       UNION SELECT plan_guid FROM service_plan_visibilities WHERE organization_guid = ANY($1)`,
      [orgGuids],
    );
    return rows.map((r) => r.guid);
  }

  // Visibility.

  /** Of these plans, those enabled for at least one org. */
  async plansWithOrgs(planGuids: string[]): Promise<Set<string>> {
    if (planGuids.length === 0) return new Set();
    const rows = await this.visibilities
      .createQueryBuilder('v')
      .select('DISTINCT v.plan_guid', 'plan_guid')
      .where('v.plan_guid IN (:...planGuids)', { planGuids })
      .getRawMany<{ plan_guid: string }>();
    return new Set(rows.map((r) => r.plan_guid));
  }

  orgsOfPlan(planGuid: string): Promise<ServicePlanVisibilityEntity[]> {
    return this.visibilities.findBy({ planGuid });
  }

  /**
   * `public`: every org; `organization`: these orgs (added to, or replacing, the list); `admin`:
   * none. In one transaction (with `manager`, in that one).
   */
  async setVisibility(
    planGuid: string,
    type: 'public' | 'admin' | 'organization',
    orgGuids: string[],
    mode: 'replace' | 'append',
    manager?: EntityManager,
  ): Promise<void> {
    const work = async (m: EntityManager) => {
      await m.update(ServicePlanEntity, { guid: planGuid }, { public: type === 'public' });
      if (type !== 'organization' || mode === 'replace')
        await m.delete(ServicePlanVisibilityEntity, { planGuid });
      if (type === 'organization' && orgGuids.length)
        await m
          .createQueryBuilder()
          .insert()
          .into(ServicePlanVisibilityEntity)
          .values(orgGuids.map((organizationGuid) => ({ planGuid, organizationGuid })))
          .orIgnore()
          .execute();
    };
    await (manager ? work(manager) : this.dataSource.transaction(work));
  }

  /** With `manager`, in that transaction. */
  async removeOrgVisibility(
    planGuid: string,
    organizationGuid: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    const res = await (
      manager?.getRepository(ServicePlanVisibilityEntity) ?? this.visibilities
    ).delete({ planGuid, organizationGuid });
    return (res.affected ?? 0) > 0;
  }

  private async registeredBrokerGuids(wanted?: string[]): Promise<string[]> {
    const rows = await this.brokers.find({
      select: { guid: true },
      where: { registered: true, ...(wanted ? { guid: In(wanted) } : {}) },
    });
    return rows.map((b) => b.guid);
  }
}
